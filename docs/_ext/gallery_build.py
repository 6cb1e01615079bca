"""The site's glue around sphinx-gallery, for what none of its options does.

* The lessons depend on ``ae_gallery`` (its code, its published weights) and the profile,
  which sphinx-gallery's checksums do not see: :func:`rerun_when_library_changed` runs them
  again when those changed since the language's last build.
* :func:`lesson_hook` runs around every lesson: a fresh Keras session before; after, what
  its output was made with, and the models its fit calls loaded (the page's stamp), and
  the data of its live parts. With ``-D lessons_published_only=1`` (CI) a lesson that
  trained a model, or loaded other weights than the same English lesson, fails the build.
* :func:`checked_matplotlib_scraper`: sphinx-gallery's own scraper, after a check that no
  label of a figure is cut or runs into another, and that it says what it shows (its alt
  text); without the Font Awesome stylesheet the animation widget links from a CDN. A
  figure labelled ``card`` is the lesson's card (its thumbnail), kept off its page. What
  each figure's texts say is recorded (``<lesson>.figure-text.json``, for the site tests).
* :func:`finish_downloads`: every script starts with how to install the library, every
  notebook's first cell gets the wheel's sha256 and the site's address, every zip the wheel
  and a README, each in the lessons' language (``examples/<language>/*.txt``).
"""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import json
import os
import platform
import zipfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
from babel.dates import format_date
from babel.messages.pofile import read_po
from lesson_languages import SOURCE_LANGUAGE, around
from lesson_live import export_live_parts
from matplotlib.text import Text
from sphinx.locale import _
from sphinx_gallery.scrapers import matplotlib_scraper

from ae_gallery import training
from ae_gallery.budgets import requested_profile
from ae_gallery.device import backend_version, describe_device
from ae_gallery.figure_text import description, text_faults
from ae_gallery.published import use_published

#: Through which ``nox -s docs`` names the wheel it built.
WHEEL_ENV_VAR = "AE_GALLERY_WHEEL"
STAMP = ".ae_gallery-stamp"
PUBLISHED_ONLY = "lessons_published_only"
#: What the lesson hook needs of the build (it is given sphinx-gallery's configuration only).
BUILD = {"language": SOURCE_LANGUAGE, "published_only": False, "gallery": Path()}
#: matplotlib's animation widget links Font Awesome from a CDN (as sphinx-gallery indents it);
#: its buttons are drawn with plain characters instead (ae-gallery.css): no request leaves.
FONT_AWESOME = (
    '<link rel="stylesheet"\n     '
    'href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/font-awesome.min.css">'
)


def wheel_of_build() -> tuple[Path, str] | None:
    """The wheel ``nox -s docs`` built, and its sha256; None without one."""
    path = os.environ.get(WHEEL_ENV_VAR)
    return (Path(path), hashlib.sha256(Path(path).read_bytes()).hexdigest()) if path else None


def library_changed(gallery: Path, library: Path, profile: str) -> bool:
    """Whether the library, its published weights or the profile changed since the lessons
    in ``gallery`` last ran. The new stamp is kept when the build succeeds; a failed build
    leaves none, so the next one runs them all."""
    digest = hashlib.sha256(profile.encode())
    for path in sorted([*library.rglob("*.py"), *library.glob("published/manifest.json")]):
        digest.update(path.relative_to(library).as_posix().encode() + path.read_bytes())
    for path in sorted(library.glob("locale/*/LC_MESSAGES/*.po")):
        with path.open("rb") as po:  # its entries: its header's date changes at every update
            entries = sorted((str(m.id), str(m.string)) for m in read_po(po) if m.id)
        digest.update(path.relative_to(library).as_posix().encode() + repr(entries).encode())
    stamp = gallery / STAMP
    changed = not stamp.is_file() or stamp.read_text() != digest.hexdigest()
    stamp.unlink(missing_ok=True)
    Path(gallery, f"{STAMP}.next").write_text(digest.hexdigest())
    return changed


def rerun_when_library_changed(app, config) -> None:
    """Before sphinx-gallery reads its configuration: the language's lessons run again when
    the library, the published weights, the profile or the published-only rule changed."""
    if str(config.plot_gallery) in ("0", "False"):
        return  # a build that runs no lesson (gettext's) leaves the stamp as it is
    gallery = Path(app.srcdir, config.sphinx_gallery_conf["gallery_dirs"])
    profile = f"{requested_profile()} published={use_published()}"
    BUILD.update(
        language=config.language or SOURCE_LANGUAGE,
        published_only=bool(getattr(config, PUBLISHED_ONLY)),
        gallery=gallery.resolve(),
    )
    library = Path(__file__).resolve().parents[2] / "ae_gallery"
    if library_changed(gallery, library, f"{profile} {BUILD['published_only']}"):
        # Without their checksums sphinx-gallery runs them all (its run_stale_examples would
        # be a setting that differs between builds: Sphinx writes every page again then).
        for checksum in gallery.glob("*.py.md5"):
            checksum.unlink()


def _keep_stamp(app, exception) -> None:
    pending = Path(app.srcdir, "auto_examples", f"{STAMP}.next")
    if exception is None and pending.is_file():
        pending.replace(pending.with_suffix(""))


def _models(lesson: str) -> dict[str, dict]:
    """The models the lesson's fit calls obtained, and whether they were the published ones;
    under the published-only rule, each must be, and the English lesson's (see the module)."""
    found = {
        name: {"key": run.key, "published": run.published} for name, run in training.RUNS.items()
    }
    if not BUILD["published_only"]:
        return found
    trained = [name for name, model in found.items() if not model["published"]]
    if trained:
        raise RuntimeError(
            f"{lesson}: {', '.join(trained)} trained instead of loading the published weights "
            "(its lesson changed since they were published?): publish them again with nox -s "
            "train -- --models NAME, or re-key with nox -s train -- --rekey."
        )
    english = BUILD["gallery"].parent / SOURCE_LANGUAGE / f"{lesson}.stamp.json"
    if BUILD["language"] != SOURCE_LANGUAGE and english.is_file():
        if json.loads(english.read_text())["models"] != found:
            raise RuntimeError(
                f"{lesson}: the {BUILD['language']} lesson loaded other models than the English "
                f"one ({sorted(found)}): its code must be the English lesson's."
            )
    return found


def lesson_hook(gallery_conf, fname, when) -> None:
    """Before a lesson: a fresh Keras session. After: its stamp and its live parts' data."""
    keras.backend.clear_session()
    lesson = Path(fname).stem
    folder = Path(gallery_conf["src_dir"], gallery_conf["gallery_dirs"])
    if when != "after":
        training.RUNS.clear()  # what this lesson obtains, below
        (folder / f"{lesson}.figure-text.json").write_text('{"figures": []}')
        return
    models = _models(lesson)
    stamp = {
        "date": datetime.date.today().isoformat(),
        "keras": keras.__version__,
        "backend": backend_version(),
        "python": platform.python_version(),
        # In the lesson's language: the lesson chose it, and it is the library's now.
        "device": describe_device(),
        "profile": requested_profile() or "",
        "models": models,
    }
    (folder / f"{lesson}.stamp.json").write_text(json.dumps(stamp, ensure_ascii=False))
    export_live_parts(lesson, Path(gallery_conf["src_dir"]))


def checked_matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's matplotlib scraper, refusing a figure whose labels are cut or run
    into each other, or that says nothing of what it shows; what it says is its alt text
    (sphinx-gallery takes a figure's alt text from its titles: this one is never drawn)."""
    widgets, cards = [], []
    record_path = Path(gallery_conf["src_dir"], gallery_conf["gallery_dirs"])
    record_path /= f"{Path(block_vars['src_file']).stem}.figure-text.json"
    record = json.loads(record_path.read_text()) if record_path.is_file() else {"figures": []}
    for number in plt.get_fignums():
        figure = plt.figure(number)
        where = f"{block_vars['src_file']}: figure {number}"
        faults = text_faults(figure)
        if faults:
            raise RuntimeError(f"{where}: {'; '.join(faults)}. Lay the figure out again.")
        text = description(figure)
        if text is None:
            raise RuntimeError(f"{where} says nothing of what it shows (draw it with plotting)")
        drawn = sorted({t.get_text() for t in figure.findobj(Text) if t.get_visible()} - {""})
        if figure.get_label() == "card":  # the lesson's thumbnail in the list of lessons only
            record["card"] = {"alt": text, "texts": drawn}
            cards.append(figure)
            plt.close(figure)  # off the page; saved last, for thumbnail_number = -1
            continue
        record["figures"].append(drawn)
        if figure.get_label() == "animation":
            widgets.append(html.escape(text, quote=True))
        else:
            figure.suptitle(text, visible=False)
    record_path.write_text(json.dumps(record, ensure_ascii=False))
    rst = matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)
    for figure in cards:
        figure.savefig(next(block_vars["image_path_iterator"]))
    for alt in widgets:  # one widget per animation, in the figures' order
        rst = rst.replace('<img id="_anim_img', f'<img alt="{alt}" id="_anim_img', 1)
        frame = html.escape(_("Frame"), quote=True)
        rst = rst.replace(
            '<input id="_anim_slider', f'<input aria-label="{frame}" id="_anim_slider'
        )
        rst = rst.replace(FONT_AWESOME, "")
        if "font-awesome" in rst:
            raise RuntimeError("matplotlib's widget links Font Awesome otherwise: see FONT_AWESOME")
    return rst


def finish_downloads(app, exception) -> None:
    """Every download, in the lessons' language: every script starts with how to get the
    library, every notebook's first cell gets the wheel's sha256 and the site's address,
    every zip the wheel and a README (nothing without a wheel of this build)."""
    built = wheel_of_build()
    if exception is not None or app.builder.format != "html" or built is None:
        return
    wheel, sha256 = built
    language, version = app.config.language or SOURCE_LANGUAGE, app.config.release
    site = app.config.html_context.get("ae_gallery_site") or ""
    header = around("script_header.txt", language) + "\n"
    header = header.format(version=version, site=site, wheel=wheel.name)
    empty = app.config.sphinx_gallery_conf["first_notebook_cell"]
    cell = around("notebook_first_cell.txt", language)
    cell = cell.format(version=version, site=site, sha256=sha256)

    def finished(name: str, data: bytes) -> bytes:
        if name.endswith(".py") and not data.decode("utf-8").startswith(header):
            return (header + data.decode("utf-8")).encode("utf-8")
        if name.endswith(".ipynb"):
            notebook = json.loads(data)
            if "".join(notebook["cells"][0]["source"]) == empty:
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
            # How to run the scripts; in the zip of notebooks only, how to open them.
            scripts = sorted(i.filename for i in lessons if i.filename.endswith(".py"))
            readme = around(f"zip_readme_{'python' if scripts else 'jupyter'}.txt", language)
            lesson = scripts[0] if scripts else ""
            readme = readme.format(site=site, wheel=wheel.name, sha256=sha256, lesson=lesson)
            new.writestr("README.txt", readme + "\n")
            new.write(wheel, wheel.name)
        archive.write_bytes(buffer.getvalue())


def lesson_stamp(app, pagename, templatename, context, doctree) -> None:
    """A lesson page's stamp: what its output was made with (in the page's language)."""
    path = Path(app.srcdir, f"{pagename}.stamp.json")
    if not pagename.startswith("auto_examples/plot_") or not path.is_file():
        return
    stamp = json.loads(path.read_text())
    stamp["date"] = format_date(
        datetime.date.fromisoformat(stamp["date"]), "long", locale=app.config.language
    )
    context["lesson_stamp"] = stamp


def setup(app):
    app.add_config_value(PUBLISHED_ONLY, False, "", types=frozenset({bool}))
    # After lesson_languages chose the language's gallery folder (5), before sphinx-gallery
    # reads its configuration (10).
    app.connect("config-inited", rerun_when_library_changed, priority=6)
    app.connect("build-finished", _keep_stamp)
    app.connect("build-finished", finish_downloads)
    app.connect("html-page-context", lesson_stamp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
