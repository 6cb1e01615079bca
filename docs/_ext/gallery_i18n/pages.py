"""A translated page: what Sphinx's own translation leaves English in its doctree.

After Sphinx's ``Locale`` transform has translated the page's prose, :class:`PageTranslation`
translates the rest: the figures' alt text, what the lessons printed, the comments of code
blocks, and the raw HTML that sphinx-gallery writes (the thumbnails' titles and tooltips,
the animation widget). Then it checks the page's entries (:mod:`.check`). A translated
build runs no lesson: :func:`require_current_lessons` makes sure the English build ran them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.transforms import SphinxTransform
from sphinx_gallery.directives import imgsgnode
from sphinx_gallery.gen_rst import _sanitize_rst, md5sum_is_current

from .catalogs import CTX_COMMENT, CTX_FIGURE, OUTPUT_DOMAIN, SOURCE_LANGUAGE, entry_state
from .check import check_entries, problem
from .context import STATE, examples_dir, is_gettext, locale_dir, output_translator, translating
from .extract import collect_comments
from .output import is_script_output
from .source import literal_comments, translate_comments
from .templates import fill_template, has_prose
from .words import FIGURE_ALT

__all__ = ["PageTranslation", "require_current_lessons"]


def _thumbnail_texts(app: Sphinx) -> dict[str, str]:
    """English thumbnail title or tooltip -> its translation, from the lessons' catalogs."""
    if STATE.thumbnails is None:
        texts: dict[str, str] = {}
        gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
        for path in sorted(examples_dir(app).glob("*.py")):
            catalog = STATE.catalog(locale_dir(app) / gallery / f"{path.stem}.po")
            for message in catalog or ():
                if message.id and message.string and not message.fuzzy:
                    # sphinx-gallery writes the first paragraph without its markup.
                    english = _sanitize_rst(message.id.replace("\n", " "))
                    texts[english] = _sanitize_rst(message.string.replace("\n", " "))
        STATE.thumbnails = texts
    return STATE.thumbnails


def _note(app: Sphinx, path: Path) -> None:
    """The page depends on ``path``: a changed catalog makes Sphinx read it again."""
    if path.exists():
        app.env.note_dependency(str(path))


def _set_text(node: nodes.Element, text: str) -> None:
    node.children = [nodes.Text(text)]
    node.rawsource = text


def _alt_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The figures' alt text, in every language.

    A lesson's figure says what it shows (``ae_gallery.plotting.description``, which the
    scraper writes as the image's alt text): translated like a printed line. An image
    whose alt sphinx-gallery made from the file name gets "title, figure n".
    """
    images = list(doctree.findall(imgsgnode))
    if not images:
        return
    title_node = doctree.next_node(nodes.title)
    title = title_node.astext() if title_node else docname
    alt = FIGURE_ALT
    if translating(app):
        alt = output_translator(app).get(FIGURE_ALT, CTX_FIGURE)
        if not alt:
            problem(app, f"untranslated figure alt text {FIGURE_ALT!r}", images[0])
            alt = FIGURE_ALT
    # sphinx-gallery's own alt text, the file name in words ("plot 1 manifold learning").
    file_name = re.sub(r"[-,_]", " ", docname.rsplit("/", 1)[-1])
    for number, image in enumerate(images, 1):
        described = image.get("alt", "")
        if described and described != file_name:
            if translating(app):
                problems: list[str] = []
                described = output_translator(app).line(described, problems) or described
                for text in problems:
                    problem(app, f"figure alt text: {text}", image)
            image["alt"] = described
        else:
            image["alt"] = fill_template(alt, {"title": title, "number": str(number)})


def _code_blocks(app: Sphinx, doctree: nodes.document, in_gallery: bool) -> None:
    """Printed output and comments in code, from the output catalog."""
    translator = output_translator(app)
    for block in list(doctree.findall(nodes.literal_block)):
        if is_script_output(block):
            text, problems = translator.output_block(block.astext())
            for text_problem in problems:
                problem(app, f"printed output: {text_problem} (in {OUTPUT_DOMAIN}.po)", block)
        else:
            # A lesson's code cells carry no language; every other block says its own.
            language = block.get("language", "python" if in_gallery else "none")
            text = translate_comments(block.astext(), translator.comment, language)
            for _, _, comment in literal_comments(block.astext(), language):
                if not translator.comment(comment) and has_prose(comment):
                    state = entry_state(translator.catalog, comment, CTX_COMMENT)
                    problem(app, f"{state} code comment {comment!r}", block)
        if text != block.astext():
            _set_text(block, text)


def _raw_html(app: Sphinx, doctree: nodes.document) -> None:
    """Raw HTML: the thumbnails (titles, tooltips) and the animation widget."""
    gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
    for raw in doctree.findall(nodes.raw):
        text = raw.astext()
        problems: list[str] = []
        if "sphx-glr-thumbcontainer" in text or "sphx-glr-thumbnail-title" in text:
            texts = _thumbnail_texts(app)
            for path in sorted(examples_dir(app).glob("*.py")):
                _note(app, locale_dir(app) / gallery / f"{path.stem}.po")

            def replace(match: re.Match[str], texts=texts, problems=problems) -> str:
                english = html.unescape(match.group(2))
                translated = texts.get(english)
                if translated is None:
                    problems.append(f"untranslated thumbnail text {english[:60]!r}")
                    return match.group(0)
                return match.group(1) + html.escape(translated) + match.group(3)

            text = re.sub(r'(tooltip=")([^"]*)(")', replace, text)
            text = re.sub(r'(<div class="sphx-glr-thumbnail-title">)([^<]*)(</div>)', replace, text)
        if "anim-controls" in text:
            text = output_translator(app).widget(text, problems)
        for text_problem in problems:
            problem(app, text_problem, raw)
        if text != raw.astext():
            raw.children = [nodes.Text(text)]


class PageTranslation(SphinxTransform):
    """Everything after Sphinx's own translation (see the module's docstring)."""

    default_priority = 26  # after Locale (20) and its progress count (25)

    def apply(self, **kwargs) -> None:
        app, doctree = self.app, self.document
        docname = app.env.docname
        _alt_text(app, doctree, docname)
        if not translating(app):
            if is_gettext(app):
                collect_comments(app, doctree, docname)
            return
        _note(app, locale_dir(app) / f"{OUTPUT_DOMAIN}.po")
        gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
        _code_blocks(app, doctree, docname.startswith(gallery + "/"))
        _raw_html(app, doctree)
        check_entries(app, doctree, docname)


class LessonsOutOfDate(SphinxError):
    category = "Lessons out of date"


def require_current_lessons(app: Sphinx) -> None:
    """A translated build runs no lesson: it needs the pages the English build generated.

    sphinx-gallery would run a lesson whose page is out of date (the lesson or, through the
    stamp in ``conf.py``, ``ae_gallery`` changed since); a translated build refuses instead,
    so that every language shows the same run.
    """
    if not translating(app):
        return
    conf = app.config.sphinx_gallery_conf
    if not conf.get("plot_gallery", True) or str(conf.get("plot_gallery")) in ("0", "False"):
        return
    gallery = Path(app.srcdir) / conf["gallery_dirs"]
    pattern = re.compile(conf.get("filename_pattern", r"/plot_"))
    stale = [
        path.name
        for path in sorted(examples_dir(app).glob("*.py"))
        if pattern.search(str(path)) and not md5sum_is_current(gallery / path.name, mode="t")
    ]
    if stale:
        raise LessonsOutOfDate(
            f"{', '.join(stale)}: out of date since the last {SOURCE_LANGUAGE} build. A "
            f"translated build ({app.config.language}) runs no lesson: build "
            f"{SOURCE_LANGUAGE} first (nox -s docs does)."
        )
