"""The site's glue around sphinx-gallery, for what none of its options does.

* The lessons depend on ``ae_gallery`` (its code, its published weights) and the profile,
  which sphinx-gallery's checksums do not see: :func:`library_changed` tells ``conf.py`` to
  run them again (``run_stale_examples``) when those changed since the last build.
* :func:`lesson_hook` runs around every lesson: a fresh Keras session before; after, what
  its output was made with (the page's stamp) and the data of its live parts.
* :func:`checked_matplotlib_scraper`: sphinx-gallery's own scraper, after a check that no
  label of a figure is cut or runs into another, and that it says what it shows (its alt
  text); without the Font Awesome stylesheet the animation widget links from a CDN.
* :func:`finish_downloads`: every download in the page's language, with the wheel's sha256
  and the site's address in every notebook's first cell, how to install the library at
  the top of every script, and the wheel and a README in the zips of all lessons.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import json
import os
import platform
import re
import tempfile
import zipfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
from babel.dates import format_date
from gallery_i18n.downloads import translated_lessons
from gallery_i18n.pages import output_translator, translating
from gallery_i18n.source import translate_comments
from lesson_live import export_live_parts
from sphinx_gallery.scrapers import matplotlib_scraper

from ae_gallery.budgets import requested_profile
from ae_gallery.device import backend_version, describe_device
from ae_gallery.figure_text import description, text_faults

#: Through which ``nox -s docs`` names the wheel it built.
WHEEL_ENV_VAR = "AE_GALLERY_WHEEL"
STAMP = ".ae_gallery-stamp"

#: The first cell of every notebook: short, and it stops the notebook with what to do
#: when it cannot install. ``{site}`` and ``{sha256}`` are filled at the end of the build.
FIRST_NOTEBOOK_CELL = """\
# This lesson needs ae_gallery {version}, the library of its site (not on the package
# index). If it is missing, this cell installs its wheel, from beside this notebook or
# from the site, once its sha256 is checked (with TensorFlow if no backend is installed).
SITE, WHEEL, SHA256 = "{site}", "ae_gallery-{version}-py3-none-any.whl", "{sha256}"
import hashlib, importlib, importlib.metadata as meta, pathlib, subprocess, sys, tempfile
from urllib.request import urlopen

try:
    missing = meta.version("ae-gallery") != "{version}"
except meta.PackageNotFoundError:
    missing = True
if missing:
    here = pathlib.Path(WHEEL)  # the zip of all lessons holds it beside the notebooks
    try:
        wheel = here.read_bytes() if here.is_file() else urlopen(SITE + WHEEL).read()
    except (OSError, ValueError) as error:
        sys.exit(f"Cannot get {{SITE + WHEEL}} ({{error}}): offline, or has the site moved? "
                 "Open this notebook beside its wheel: the zip of all lessons holds both.")
    if hashlib.sha256(wheel).hexdigest() != SHA256:
        sys.exit(f"{{WHEEL}} is not the wheel this notebook was made with (another sha256): "
                 "download the lesson and its wheel again, from one site.")
    path = pathlib.Path(tempfile.mkdtemp(), WHEEL)
    path.write_bytes(wheel)
    backend = importlib.util.find_spec("tensorflow") or importlib.util.find_spec("jax")
    target = f"{{path}}{{'' if backend else '[tensorflow]'}}"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", target]
    if subprocess.run(pip, capture_output=True, text=True).returncode:
        sys.exit(f"pip could not install {{WHEEL}} and what it needs from the package "
                 "index (offline?). Run it yourself to see why: pip install " + target)
    importlib.invalidate_caches()"""

#: What a downloaded script says at its top, and the README of the zips (``{lesson}``: a
#: command that runs one); their comments are translated like the lessons'.
SCRIPT_HEADER = """\
# This lesson needs ae_gallery {version}, the library of its site, with Keras 3 on
# TensorFlow (about 2.5 GB; write [jax] for Keras on JAX). Its wheel is in the zip of all
# lessons, and on the site: {site}{wheel}
#     pip install "{wheel}[tensorflow]"
"""
ZIP_README = """\
# The lessons of ae-gallery ({site}): manifold learning and latent variables, taught
# with Keras autoencoders.
# Install the library and what it needs (TensorFlow, about 2.5 GB), best in a fresh
# virtual environment, from this folder (for Keras on JAX, write [jax] for [tensorflow]):
    $ python3 -m venv .venv
    $ .venv/bin/python -m pip install "./{wheel}[tensorflow]"
{run}
# The wheel's sha256: {sha256}
"""
RUN_SCRIPT = "# Then run a lesson:\n    $ .venv/bin/python {lesson}"
RUN_NOTEBOOKS = (
    "# Then install Jupyter and open the notebooks:\n    $ .venv/bin/python -m pip install "
    "notebook\n    $ .venv/bin/jupyter notebook"
)


def first_notebook_cell(version: str) -> str:
    """The first cell sphinx-gallery writes into the notebooks, its site and sha256 empty
    until :func:`finish_downloads` (a new wheel then makes new notebooks without running
    the lessons again)."""
    return FIRST_NOTEBOOK_CELL.format(version=version, site="", sha256="")


def wheel_of_build() -> tuple[Path, str] | None:
    """The wheel ``nox -s docs`` built, and its sha256; None without one."""
    path = os.environ.get(WHEEL_ENV_VAR)
    return (Path(path), hashlib.sha256(Path(path).read_bytes()).hexdigest()) if path else None


def library_changed(gallery: Path, library: Path, profile: str) -> bool:
    """Whether the library, its published weights or the profile changed since the lessons
    last ran: then every lesson that uses it runs again. The stamp is written now; a
    failed build leaves none, so the next one runs them all."""
    digest = hashlib.sha256(profile.encode())
    for path in sorted([*library.rglob("*.py"), *library.glob("published/manifest.json")]):
        digest.update(path.relative_to(library).as_posix().encode() + path.read_bytes())
    stamp = gallery / STAMP
    changed = not stamp.is_file() or stamp.read_text() != digest.hexdigest()
    gallery.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    Path(gallery, f"{STAMP}.next").write_text(digest.hexdigest())
    return changed


def _keep_stamp(app, exception) -> None:
    pending = Path(app.srcdir, "auto_examples", f"{STAMP}.next")
    if exception is None and pending.is_file():
        pending.replace(pending.with_suffix(""))


def lesson_hook(gallery_conf, fname, when) -> None:
    """Before a lesson: a fresh Keras session. After: its stamp and its live parts' data."""
    keras.backend.clear_session()
    if when != "after":
        return
    lesson = Path(fname).stem
    folder = Path(gallery_conf["src_dir"], gallery_conf["gallery_dirs"])
    stamp = {
        "date": datetime.date.today().isoformat(),
        "keras": keras.__version__,
        "backend": backend_version(),
        "python": platform.python_version(),
        "device": describe_device(),
        "profile": requested_profile() or "",
    }
    (folder / f"{lesson}.stamp.json").write_text(json.dumps(stamp))
    export_live_parts(lesson, Path(gallery_conf["src_dir"]))


def checked_matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's matplotlib scraper, refusing a figure whose labels are cut or run
    into each other, or that says nothing of what it shows; its description is its alt."""
    alts, widgets = [], []
    for number in plt.get_fignums():
        figure = plt.figure(number)
        where = f"{block_vars['src_file']}: figure {number}"
        faults = text_faults(figure)
        if faults:
            raise RuntimeError(f"{where}: {'; '.join(faults)}. Lay the figure out again.")
        if description(figure) is None:
            raise RuntimeError(f"{where} says nothing of what it shows (draw it with plotting)")
        alt = html.escape(description(figure), quote=True)
        (widgets if figure.get_label() == "animation" else alts).append(alt)
    rst = matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)
    # One ":alt:" line per image and one widget per animation, in the figures' order.
    alt_lines, widget_alts = iter(alts), iter(widgets)
    rst = re.sub(r"(:alt: ).*", lambda m: m[1] + html.unescape(next(alt_lines)), rst)
    rst = re.sub(
        r'<img id="_anim_img', lambda m: f'<img alt="{next(widget_alts)}" id="_anim_img', rst
    )
    rst = rst.replace('<input id="_anim_slider', '<input aria-label="Frame" id="_anim_slider')
    # Its buttons are drawn with plain characters (ae-gallery.css): no request leaves.
    return re.sub(r'<link rel="stylesheet"\s*href="https://[^"]*font-awesome[^"]*">', "", rst)


def _script_header(app, wheel: Path, site: str) -> str:
    header = SCRIPT_HEADER.format(version=app.config.release, site=site, wheel=wheel.name)
    if translating(app):
        header = translate_comments(header, output_translator(app).comment, "shell")
    return header


def finish_downloads(app, exception) -> None:
    """Every download in the page's language (:mod:`gallery_i18n.downloads`), each written
    once: every script starts with how to get the library, every notebook's first cell
    gets the wheel's sha256 and the site's address, every zip the wheel and a README
    (without a wheel of this build, only the translation)."""
    if exception is not None or app.builder.format != "html":
        return
    translated = {}
    if translating(app):
        with tempfile.TemporaryDirectory() as scratch:
            translated = translated_lessons(app, Path(scratch))
    built = wheel_of_build()
    wheel, sha256 = built or (Path(), "")
    site = app.config.html_context.get("ae_gallery_site") or ""
    header = _script_header(app, wheel, site) if built else ""

    def finished(name: str, data: bytes) -> bytes:
        data = translated.get(Path(name).name, data)
        if name.endswith(".py") and not data.decode().startswith(header):
            return (header + data.decode("utf-8")).encode("utf-8")
        if name.endswith(".ipynb") and built:
            notebook = json.loads(data)
            cell = "".join(notebook["cells"][0]["source"])
            cell = cell.replace('SITE, WHEEL, SHA256 = ""', f'SITE, WHEEL, SHA256 = "{site}"')
            cell = cell.replace('-any.whl", ""\n', f'-any.whl", "{sha256}"\n', 1)
            notebook["cells"][0]["source"] = cell.splitlines(keepends=True)
            return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        return data

    downloads = Path(app.outdir) / "_downloads"
    for path in [*downloads.glob("*/plot_*.py"), *downloads.glob("*/plot_*.ipynb")]:
        path.write_bytes(finished(path.name, path.read_bytes()))
    for archive in downloads.glob("*/*.zip"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(archive) as old, zipfile.ZipFile(buffer, "w") as new:
            lessons = [i for i in old.infolist() if i.filename not in (wheel.name, "README.txt")]
            for info in lessons:
                new.writestr(info, finished(info.filename, old.read(info)))
            if built:
                scripts = sorted(i.filename for i in lessons if i.filename.endswith(".py"))
                run = RUN_SCRIPT.format(lesson=scripts[0]) if scripts else RUN_NOTEBOOKS
                readme = ZIP_README.format(site=site, wheel=wheel.name, run=run, sha256=sha256)
                if translating(app):
                    readme = translate_comments(readme, output_translator(app).comment, "shell")
                new.writestr("README.txt", readme)
                new.write(wheel, wheel.name)
        archive.write_bytes(buffer.getvalue())


def lesson_stamp(app, pagename, templatename, context, doctree) -> None:
    """A lesson page's stamp, in the page's language: what its output was made with."""
    path = Path(app.srcdir, f"{pagename}.stamp.json")
    if not pagename.startswith("auto_examples/plot_") or not path.is_file():
        return
    stamp = json.loads(path.read_text())
    stamp["date"] = format_date(
        datetime.date.fromisoformat(stamp["date"]), "long", locale=app.config.language
    )
    if translating(app):
        device = output_translator(app).line(stamp["device"], [], inner=True)
        stamp["device"] = device or stamp["device"]
    context["lesson_stamp"] = stamp


def setup(app):
    app.connect("build-finished", _keep_stamp)
    app.connect("build-finished", finish_downloads)
    app.connect("html-page-context", lesson_stamp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
