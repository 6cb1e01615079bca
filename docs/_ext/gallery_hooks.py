"""The site's glue around sphinx-gallery: reruns, resets, and an offline page.

* :func:`rerun_examples_when_library_changes`: sphinx-gallery re-executes an example only
  when the example file itself changed. Our figures also depend on ``ae_gallery`` (its
  code and published weights) and on the training profile, so a stamp of both is kept
  beside the generated gallery; when it changes, the checksums of the examples that
  import ``ae_gallery`` are removed and sphinx-gallery runs them again (their trained
  weights still come from the cache).
* :func:`stamp_lessons`: every lesson page ends with what its output was made with (the
  date, Keras, the backend, Python, the device, the training profile).
* :func:`reset_keras`: examples run one after another in the Sphinx process; each starts
  with a fresh Keras session.
* :func:`checked_matplotlib_scraper`: sphinx-gallery's own matplotlib scraper, after a
  check that no figure of a lesson has a label, title or tick label cut at its edge
  (:func:`ae_gallery.plotting.labels_outside`), and that it says what it shows
  (:func:`ae_gallery.plotting.description`, which becomes the image's alt text): a figure
  that fails either fails the build.
* The page hook removes the Font Awesome stylesheet that matplotlib's JavaScript animation
  widget links from a CDN; ``ae-gallery.css`` draws the widget's buttons with plain
  characters instead, so a page sends no request anywhere.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

#: The environment variable through which ``nox -s docs`` names the wheel it built.
WHEEL_ENV_VAR = "AE_GALLERY_WHEEL"

#: The first cell of every downloaded notebook. It never installs a name from the package
#: index: only the site's own wheel, checked against its sha256.
FIRST_NOTEBOOK_CELL = """\
# This notebook needs the ae_gallery library of its site (Keras 3 on TensorFlow or JAX).
# If it is missing, or another version is installed, this cell installs the site's wheel:
# the one beside this notebook (the zip of all lessons holds it), else the one on the site;
# with TensorFlow (about 2.5 GB) where neither TensorFlow nor JAX is installed.
import hashlib, importlib, importlib.metadata, importlib.util, pathlib

AE_GALLERY, WHEEL = "{version}", "{wheel}"
WHEEL_SHA256 = "{sha256}"
SITE = "{site}"
try:
    installed = importlib.metadata.version("ae-gallery")
except importlib.metadata.PackageNotFoundError:
    installed = None
if installed != AE_GALLERY:
    if pathlib.Path(WHEEL).is_file():
        if hashlib.sha256(pathlib.Path(WHEEL).read_bytes()).hexdigest() != WHEEL_SHA256:
            raise RuntimeError(f"{{WHEEL}} is not the site's wheel (its sha256 differs).")
        url = pathlib.Path(WHEEL).resolve().as_uri()
    elif SITE:
        url = f"{{SITE}}{{WHEEL}}#sha256={{WHEEL_SHA256}}"  # pip checks the sha256
    else:
        raise RuntimeError(
            f"ae_gallery {{AE_GALLERY}} is not installed. Download the zip of all lessons from "
            f"the site (it holds {{WHEEL}}) and open this notebook from its folder, or "
            f"install the wheel yourself: pip install '{{WHEEL}}[tensorflow]'"
        )
    backends = [name for name in ("tensorflow", "jax") if importlib.util.find_spec(name)]
    extra = "" if backends else "[tensorflow]"
    get_ipython().run_line_magic("pip", f'install --quiet "ae-gallery{{extra}} @ {{url}}"')
    importlib.invalidate_caches()
%matplotlib inline"""

#: What a downloaded script says at its top, per language: how to get the library.
SCRIPT_HEADER = {
    "en": (
        "# Needs the ae_gallery library {version}, with Keras 3 on TensorFlow (about 2.5 GB)\n"
        "# or on JAX (write [jax] for [tensorflow]):\n"
        '#     pip install "{wheel}[tensorflow]"\n'
        "# The wheel is in the zip of all lessons{site_part}.\n"
    ),
    "ru": (
        "# Нужна библиотека ae_gallery {version} с Keras 3 на TensorFlow (около 2,5 ГБ)\n"
        "# или на JAX (напишите [jax] вместо [tensorflow]):\n"
        '#     pip install "{wheel}[tensorflow]"\n'
        "# Этот файл лежит в архиве всех уроков{site_part}.\n"
    ),
}
SITE_PART = {"en": " and on the site: {url}", "ru": " и на сайте: {url}"}


def wheel_of_build() -> tuple[str, str] | None:
    """``(file name, sha256)`` of the wheel ``nox -s docs`` built, or None without one."""
    import os

    path = os.environ.get(WHEEL_ENV_VAR)
    if not path:
        return None
    wheel = Path(path)
    return wheel.name, hashlib.sha256(wheel.read_bytes()).hexdigest()


def first_notebook_cell(version: str) -> str:
    """The first cell sphinx-gallery writes into the notebooks (:data:`FIRST_NOTEBOOK_CELL`).

    The wheel's sha256 and the site's address are left empty here and filled in at the end
    of the build (:func:`_finish_downloads`): a change of the wheel (its README, say) then
    makes new notebooks without running the lessons again.
    """
    name = f"ae_gallery-{version}-py3-none-any.whl"
    return FIRST_NOTEBOOK_CELL.format(version=version, wheel=name, sha256="", site="")


def _filled_first_cell(notebook: bytes, sha256: str, site: str | None) -> bytes:
    """A downloaded notebook with this build's wheel sha256 and site address filled in."""
    import json

    content = json.loads(notebook)
    cell = content["cells"][0]
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    source = source.replace('WHEEL_SHA256 = ""', f'WHEEL_SHA256 = "{sha256}"', 1)
    source = source.replace('SITE = ""', f'SITE = "{site or ""}"', 1)
    cell["source"] = source.splitlines(keepends=True)
    return (json.dumps(content, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def script_header(language: str, version: str, site: str | None) -> str:
    """The lines a downloaded script starts with, in ``language`` (English by default)."""
    wheel = wheel_of_build()
    name = wheel[0] if wheel else f"ae_gallery-{version}-py3-none-any.whl"
    language = language if language in SCRIPT_HEADER else "en"
    site_part = SITE_PART[language].format(url=f"{site}{name}") if site else ""
    return SCRIPT_HEADER[language].format(version=version, wheel=name, site_part=site_part)


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
    gallery_dir: Path, library: Path, examples: Path, profile: str, extra: str = ""
) -> list[str]:
    """Make sphinx-gallery re-run the examples that use ``ae_gallery`` when it changed.

    ``extra`` is anything else the generated files depend on (the notebooks' first cell).
    Returns the names of the examples whose checksums were removed.
    """
    stamp = _library_stamp(library, f"{profile}\n{extra}")
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


#: The name of the animation widget's slider (a widget word, translated with the others).
SLIDER_LABEL = "Frame"


def checked_matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's matplotlib scraper, refusing figures whose labels are cut or that
    say nothing of what they show; each image's alt text is its figure's description."""
    import html
    import re

    import matplotlib.pyplot as plt
    from matplotlib.animation import Animation
    from sphinx_gallery.scrapers import matplotlib_scraper

    from ae_gallery.plotting import description, labels_outside

    animated = {
        value._fig
        for value in block_vars["example_globals"].values()
        if isinstance(value, Animation)
    }
    alts, widgets = [], []
    for number in plt.get_fignums():
        figure = plt.figure(number)
        where = f"{block_vars['src_file']}: figure {number}"
        cut = labels_outside(figure)
        if cut:
            raise RuntimeError(
                f"{where} has text outside its image: "
                + "; ".join(cut)
                + ". Lay the figure out (fig.tight_layout()) or give it more room."
            )
        if description(figure) is None:
            raise RuntimeError(
                f"{where} says nothing of what it shows (its alt text): draw it with "
                "ae_gallery.plotting, whose figures carry a description."
            )
        if figure not in animated:
            alts.append(description(figure))
        else:
            widgets.append(html.escape(description(figure), quote=True))
    rst = matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)
    # sphinx-gallery writes one ":alt:" line per image, and one widget per animation, each
    # in the order of the figures. The widget's image and slider get a name too.
    alt_lines, widget_alts = iter(alts), iter(widgets)
    rst = re.sub(r"(:alt: ).*", lambda m: m[1] + next(alt_lines), rst)
    rst = re.sub(r'<img id="_anim_img', lambda m: f'<img alt="{next(widget_alts)}"' + m[0][4:], rst)
    return rst.replace(
        '<input id="_anim_slider', f'<input aria-label="{SLIDER_LABEL}" id="_anim_slider'
    )


def reset_keras(gallery_conf, fname, when=None) -> None:
    """Start each example with a fresh Keras session (names, graphs, memory)."""
    import keras

    keras.backend.clear_session()


def _strip_cdn_links(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and _FONT_AWESOME in body:
        context["body"] = body.replace(_FONT_AWESOME, "")


#: The README of each "download all" zip, per language, in parts: how to run what it holds.
ZIP_README = {
    "en": {
        "intro": "The lessons of ae-gallery{site_part}: manifold learning and latent "
        "variables, taught with Keras autoencoders.\n\n"
        "1. Install the library and what it needs (TensorFlow, about 2.5 GB), best in a\n"
        "   fresh virtual environment, from this folder (for Keras on JAX, about 0.8 GB,\n"
        "   write [jax] for [tensorflow]):\n\n"
        "    $ python3 -m venv .venv\n"
        '    $ .venv/bin/python -m pip install "./{wheel}[tensorflow]"\n\n',
        "scripts": "2. Run a lesson:\n\n    $ .venv/bin/python {lesson}\n\n",
        "notebooks": "2. Install Jupyter and open the notebooks:\n\n"
        "    $ .venv/bin/python -m pip install notebook\n"
        "    $ .venv/bin/jupyter notebook\n\n",
        "sha256": "sha256 of the wheel: {sha256}\n",
    },
    "ru": {
        "intro": "Уроки ae-gallery{site_part}: обучение многообразий и скрытые переменные "
        "на примере автоэнкодеров в Keras.\n\n"
        "1. Установите библиотеку и всё, что ей нужно (TensorFlow, около 2,5 ГБ), лучше\n"
        "   в новом виртуальном окружении, из этой папки (для Keras на JAX, около 0,8 ГБ,\n"
        "   напишите [jax] вместо [tensorflow]):\n\n"
        "    $ python3 -m venv .venv\n"
        '    $ .venv/bin/python -m pip install "./{wheel}[tensorflow]"\n\n',
        "scripts": "2. Запустите урок:\n\n    $ .venv/bin/python {lesson}\n\n",
        "notebooks": "2. Установите Jupyter и откройте блокноты:\n\n"
        "    $ .venv/bin/python -m pip install notebook\n"
        "    $ .venv/bin/jupyter notebook\n\n",
        "sha256": "sha256 файла библиотеки: {sha256}\n",
    },
}
ZIP_SITE_PART = {"en": " (from {url})", "ru": " (с сайта {url})"}


def _finish_downloads(app, exception) -> None:
    """Every downloaded script starts with how to get the library; every zip of all lessons
    holds the wheel and a README. Runs after the translated downloads are written."""
    import io
    import os
    import zipfile

    if exception is not None or app.builder.format != "html":
        return
    wheel_path = os.environ.get(WHEEL_ENV_VAR)
    if not wheel_path:
        return
    wheel = Path(wheel_path)
    sha256 = hashlib.sha256(wheel.read_bytes()).hexdigest()
    language = app.config.language if app.config.language in ZIP_README else "en"
    version = app.config.release
    site = app.config.html_context.get("ae_gallery_site")
    header = script_header(language, version, site)

    def with_header(data: bytes) -> bytes:
        text = data.decode("utf-8")
        return text.encode() if text.startswith(header) else (header + text).encode("utf-8")

    downloads = Path(app.outdir) / "_downloads"
    for script in downloads.glob("*/plot_*.py"):
        script.write_bytes(with_header(script.read_bytes()))
    for notebook in downloads.glob("*/plot_*.ipynb"):
        notebook.write_bytes(_filled_first_cell(notebook.read_bytes(), sha256, site))
    for archive in downloads.glob("*/*.zip"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(buffer, "w") as new:
            names = [info.filename for info in old.infolist()]
            for info in old.infolist():
                data = old.read(info)
                if info.filename.endswith(".py"):
                    data = with_header(data)
                elif info.filename.endswith(".ipynb"):
                    data = _filled_first_cell(data, sha256, site)
                if info.filename not in (wheel.name, "README.txt"):
                    new.writestr(info, data)
            scripts = sorted(n for n in names if n.startswith("plot_") and n.endswith(".py"))
            parts = ZIP_README[language]
            site_part = ZIP_SITE_PART[language].format(url=site) if site else ""
            readme = (
                parts["intro"].format(site_part=site_part, wheel=wheel.name)
                + (parts["scripts"].format(lesson=scripts[0]) if scripts else parts["notebooks"])
                + parts["sha256"].format(sha256=sha256)
            )
            new.writestr("README.txt", readme)
            new.write(wheel, wheel.name)
        archive.write_bytes(buffer.getvalue())


#: The directive that holds a lesson page's stamp (:func:`stamp_lessons`).
STAMP_DIRECTIVE = "ae-gallery-build-stamp"


def build_stamp() -> str:
    """What the lessons run now are made with: the sentence of ``messages.BUILD_STAMP``."""
    import datetime
    import platform

    import keras

    from ae_gallery import messages
    from ae_gallery.budgets import requested_profile
    from ae_gallery.device import backend_version, describe_device

    return messages.BUILD_STAMP.format(
        date=datetime.date.today().isoformat(),
        keras=keras.__version__,
        backend=backend_version(),
        python=platform.python_version(),
        device=describe_device(),
        profile=requested_profile() or messages.PROFILE_PER_MODEL,
    )


def lessons_to_edit(app) -> Path | None:
    """The folder of the lesson pages sphinx-gallery generated, when this build is the one
    that may add to them (the English HTML build, which runs the lessons; a translation
    reuses its pages), else None. The hooks that add to the pages run after sphinx-gallery
    (builder-inited, priority 500)."""
    gallery = Path(app.srcdir) / "auto_examples"
    english_html = app.builder.name == "html" and app.config.language in (None, "en")
    return gallery if english_html and gallery.is_dir() else None


def stamp_lessons(app) -> None:
    """End every lesson page that sphinx-gallery generated in this build with the stamp.

    A page whose lesson did not run again keeps the stamp of the build that ran it: the
    stamp says what the page's output was made with. Runs after sphinx-gallery wrote the
    pages (builder-inited), in the build that runs the lessons (not a translation's).
    """
    gallery = lessons_to_edit(app)
    if gallery is None:
        return
    stamp = None
    for page in sorted(gallery.glob("plot_*.rst")):
        text = page.read_text(encoding="utf-8")
        anchor = f".. _sphx_glr_download_auto_examples_{page.stem}.py:"
        if f".. {STAMP_DIRECTIVE}::" in text or anchor not in text:
            continue
        stamp = stamp or build_stamp()
        block = f".. {STAMP_DIRECTIVE}:: {stamp}\n\n"
        page.write_text(text.replace(anchor, block + anchor, 1), encoding="utf-8")


def _stamp_directive():
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    class BuildStamp(SphinxDirective):
        """A lesson page's stamp, translated like printed output (not a catalog entry:
        it changes with every build)."""

        required_arguments = 1
        final_argument_whitespace = True

        def run(self):
            text = self.arguments[0]
            if self.env.config.language not in (None, "en"):
                from gallery_i18n.check import problem
                from gallery_i18n.context import output_translator

                problems: list[str] = []
                translated = output_translator(self.env.app).line(text, problems)
                if translated is None:
                    problems.append(f"untranslated build stamp {text!r}")
                for text_problem in problems:
                    problem(self.env.app, f"build stamp: {text_problem}")
                text = translated or text
            paragraph = nodes.paragraph(text, text, translatable=False)
            return [nodes.container("", paragraph, classes=["ae-gallery-stamp"])]

    return BuildStamp


def setup(app):
    app.add_directive(STAMP_DIRECTIVE, _stamp_directive())
    # After sphinx-gallery wrote the lesson pages (builder-inited, priority 500).
    app.connect("builder-inited", stamp_lessons, priority=600)
    # After gallery_i18n's translated downloads (build-finished, priority 500).
    app.connect("build-finished", _finish_downloads, priority=800)
    app.connect("html-page-context", _strip_cdn_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
