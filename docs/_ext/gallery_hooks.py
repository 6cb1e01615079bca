"""The site's glue around sphinx-gallery: reruns, resets, and an offline page.

* :func:`rerun_examples_when_library_changes`: sphinx-gallery re-executes an example only
  when the example file itself changed. Our figures also depend on ``ae_gallery`` (its
  code and published weights) and on the training profile, so a stamp of both is kept
  beside the generated gallery; when it changes, the checksums of the examples that
  import ``ae_gallery`` are removed and sphinx-gallery runs them again (their trained
  weights still come from the cache).
* :func:`reset_keras`: examples run one after another in the Sphinx process; each starts
  with a fresh Keras session.
* :func:`checked_matplotlib_scraper`: sphinx-gallery's own matplotlib scraper, after a
  check that no figure of a lesson has a label, title or tick label cut at its edge
  (:func:`ae_gallery.plotting.labels_outside`): such a figure fails the build.
* The page hook removes the Font Awesome stylesheet that matplotlib's JavaScript animation
  widget links from a CDN; ``ae-gallery.css`` draws the widget's buttons with plain
  characters instead, so a page sends no request anywhere.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

#: The first cell of every downloaded notebook.
FIRST_NOTEBOOK_CELL = """\
# This notebook needs the ae_gallery library (Keras 3 on TensorFlow).
# If it is not installed yet, this cell installs it (about 2.5 GB with TensorFlow).
try:
    import ae_gallery
except ImportError:
    %pip install --quiet {pip_spec}
%matplotlib inline"""

STAMP_NAME = ".ae_gallery-stamp"

_FONT_AWESOME = (
    '<link rel="stylesheet"\n'
    'href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/font-awesome.min.css">'
)


def _library_stamp(library: Path, profile: str) -> str:
    digest = hashlib.sha256(f"profile={profile}\n".encode())
    # The published weights decide figures too (ae_gallery.published): their manifest
    # holds every file's sha256.
    for path in sorted([*library.rglob("*.py"), *library.glob("published/manifest.json")]):
        digest.update(path.relative_to(library).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _imports_library(example: Path) -> bool:
    tree = ast.parse(example.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ae_gallery":
            return True
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == "ae_gallery" for alias in node.names
        ):
            return True
    return False


def rerun_examples_when_library_changes(
    gallery_dir: Path, library: Path, examples: Path, profile: str
) -> list[str]:
    """Make sphinx-gallery re-run the examples that use ``ae_gallery`` when it changed.

    Returns the names of the examples whose checksums were removed.
    """
    stamp = _library_stamp(library, profile)
    stamp_file = gallery_dir / STAMP_NAME
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return []
    rerun = []
    for example in sorted(examples.glob("*.py")):
        checksum = gallery_dir / f"{example.name}.md5"
        if checksum.exists() and _imports_library(example):
            checksum.unlink()
            rerun.append(example.name)
    gallery_dir.mkdir(parents=True, exist_ok=True)
    stamp_file.write_text(stamp)
    return rerun


def checked_matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's matplotlib scraper, refusing figures whose labels are cut."""
    import matplotlib.pyplot as plt
    from sphinx_gallery.scrapers import matplotlib_scraper

    from ae_gallery.plotting import labels_outside

    for number in plt.get_fignums():
        cut = labels_outside(plt.figure(number))
        if cut:
            raise RuntimeError(
                f"{block_vars['src_file']}: figure {number} has text outside its image: "
                + "; ".join(cut)
                + ". Lay the figure out (fig.tight_layout()) or give it more room."
            )
    return matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)


def reset_keras(gallery_conf, fname, when=None) -> None:
    """Start each example with a fresh Keras session (names, graphs, memory)."""
    import keras

    keras.backend.clear_session()


def _strip_cdn_links(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and _FONT_AWESOME in body:
        context["body"] = body.replace(_FONT_AWESOME, "")


def setup(app):
    app.connect("html-page-context", _strip_cdn_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
