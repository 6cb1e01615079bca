"""The downloads of a translated page: the ``.py``, ``.ipynb`` and ``.zip`` files.

Sphinx copies the English downloads into every language's site. On a translated page
they are replaced, at the end of the build, by the lesson with its prose and comments
translated (:func:`~gallery_i18n.prose.translate_example`), its notebook made from that
by sphinx-gallery, and archives holding those. The code is the same program.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx_gallery.notebook import jupyter_notebook, save_notebook
from sphinx_gallery.py_source_parser import remove_config_comments, split_code_and_text_blocks

from .catalogs import entry_state
from .pages import (
    catalog,
    examples_dir,
    locale_dir,
    output_translator,
    problem,
    shorten,
    translating,
)
from .prose import prose_lookup, translate_example
from .source import translate_comments

__all__ = ["setup", "translated_lessons"]

logger = logging.getLogger(__name__)


def translated_lessons(app: Sphinx, folder: Path) -> dict[str, bytes]:
    """Each lesson and its notebook, translated: file name -> content.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        A translated build.
    folder : pathlib.Path
        A scratch folder: sphinx-gallery makes a notebook from a file.
    """
    conf = dict(app.config.sphinx_gallery_conf)
    translator = output_translator(app)
    gallery = conf["gallery_dirs"]
    first_cell = conf.get("first_notebook_cell")
    if first_cell:
        conf["first_notebook_cell"] = translate_comments(first_cell, translator.comment)
    translated: dict[str, bytes] = {}
    for path in sorted(examples_dir(app).glob("*.py")):
        catalog_path = locale_dir(app) / gallery / f"{path.stem}.po"
        page_catalog = catalog(catalog_path)
        missing: list[str] = []
        source = translate_example(
            path.read_text(encoding="utf-8"),
            prose_lookup(page_catalog, missing),
            translator.comment,
        )
        # An entry that the lesson's page reports is English in its download too: the list
        # names it once. One that only the download misses means that translate_rst cut
        # the text otherwise than Sphinx did.
        relative = catalog_path.relative_to(Path(app.srcdir))
        reported = set(getattr(app.env, "i18n_problems", {}).get(f"{gallery}/{path.stem}", ()))
        for msgid in missing:
            text = f"{entry_state(page_catalog, msgid)} entry in {relative}: {shorten(msgid)!r}"
            if text not in reported:
                problem(app, f"download {path.name}: {text}")
        script = folder / path.name
        script.write_text(source, encoding="utf-8")
        translated[path.name] = source.encode("utf-8")
        _, blocks = split_code_and_text_blocks(str(script))
        if conf.get("remove_config_comments"):
            blocks = [type(b)(b[0], remove_config_comments(b[1]), b[2]) for b in blocks]
        notebook = jupyter_notebook(blocks, conf, Path(app.srcdir) / gallery)
        notebook_path = script.with_suffix(".ipynb")
        save_notebook(notebook, notebook_path)
        translated[notebook_path.name] = notebook_path.read_bytes()
    return translated


def _replace_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Replace the copied ``.py``, ``.ipynb`` and ``.zip`` files by translated ones."""
    if exception is not None or not translating(app) or app.builder.format != "html":
        return
    with tempfile.TemporaryDirectory() as tmp:
        translated = translated_lessons(app, Path(tmp))
    replaced = 0
    for source_name, (_, destination) in app.env.dlfiles.items():
        target = Path(app.outdir) / "_downloads" / destination
        name = Path(source_name).name
        if not target.is_file():
            continue
        if name in translated:
            target.write_bytes(translated[name])
            replaced += 1
        elif name.endswith(".zip"):
            buffer = io.BytesIO()
            with zipfile.ZipFile(target) as old, zipfile.ZipFile(buffer, "w") as new:
                for info in old.infolist():
                    data = translated.get(Path(info.filename).name) or old.read(info)
                    new.writestr(info, data)
            target.write_bytes(buffer.getvalue())
            replaced += 1
    logger.info(f"translated downloads: {replaced} files ({app.config.language})")


def setup(app: Sphinx) -> None:
    """Register the replacement of the downloads."""
    app.connect("build-finished", _replace_downloads)
