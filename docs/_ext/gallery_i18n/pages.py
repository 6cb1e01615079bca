"""A translated page: what Sphinx's own translation leaves English, and the check of it all.

After Sphinx's ``Locale`` transform has translated a page's prose, :class:`PageTranslation`
translates the rest: the figures' alt text (what ``ae_gallery.plotting`` says each figure
shows), what the lessons printed, the comments of code, and matplotlib's animation widget.
Every entry the page shows in English is a *problem*: locally the build ends with their
list and the next step; with ``-D gallery_i18n_strict=1`` (``nox -s docs --
--strict-translations``, as on CI) each is a warning, which ``-W`` makes an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.errors import SphinxError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.nodes import extract_messages
from sphinx_gallery.directives import imgsgnode
from sphinx_gallery.gen_rst import md5sum_is_current

from .catalogs import CTX_COMMENT, OUTPUT_DOMAIN, SOURCE_LANGUAGE, entry_state, read_catalog
from .output import OutputTranslator
from .source import literal_comments, translate_comments
from .text import has_prose

__all__ = ["STRICT", "PageTranslation", "output_translator", "problem", "translating"]

logger = logging.getLogger(__name__)
#: The configuration value that makes translation problems warnings (``-D``, 0 or 1).
STRICT = "gallery_i18n_strict"
#: Per process: catalogs read once, the output translator, the build's own problems.
_CATALOGS: dict[Path, Catalog | None] = {}
_TRANSLATORS: dict[Path, OutputTranslator] = {}
BUILD_PROBLEMS: list[str] = []


def locale_dir(app: Sphinx) -> Path:
    """``docs/locale/<language>/LC_MESSAGES``: the catalogs of the build's language."""
    return Path(app.srcdir, app.config.locale_dirs[0], app.config.language, "LC_MESSAGES")


def catalog(path: Path) -> Catalog | None:
    """The catalog at ``path`` (None when there is none), read once per process."""
    if path not in _CATALOGS:
        _CATALOGS[path] = read_catalog(path)
    return _CATALOGS[path]


def translating(app: Sphinx) -> bool:
    """Whether this build writes a translation: a language but English, and no gettext."""
    language = app.config.language or SOURCE_LANGUAGE
    return language != SOURCE_LANGUAGE and not isinstance(app.builder, MessageCatalogBuilder)


def examples_dir(app: Sphinx) -> Path:
    return Path(app.config.sphinx_gallery_conf["examples_dirs"])


def output_translator(app: Sphinx) -> OutputTranslator:
    """The translator of printed output, comments and widget words, for this language."""
    path = locale_dir(app) / f"{OUTPUT_DOMAIN}.po"
    if path not in _TRANSLATORS:
        _TRANSLATORS[path] = OutputTranslator.for_examples(
            catalog(path), examples_dir(app), app.config.language
        )
    return _TRANSLATORS[path]


def problem(app: Sphinx, text: str, location: nodes.Node | None = None) -> None:
    """Note one translation problem (a warning too, under strict): the page's when found
    in a page (kept in the environment, so that an incremental build lists it again),
    else the build's."""
    if getattr(app.config, STRICT):
        logger.warning(text, location=location, type="i18n", subtype="untranslated")
    if location is None:
        BUILD_PROBLEMS.append(text)
        return
    found = getattr(app.env, "i18n_problems", {})
    found.setdefault(app.env.docname, []).append(text)
    app.env.i18n_problems = found


def _in_api_details(node: nodes.Node) -> bool:
    """An entry of an object's description past its summary: translated if a translator
    wishes, but not required (the library's own source is where a reader meets it)."""
    parent = node
    while parent is not None:
        if isinstance(parent, addnodes.desc_content):
            return next(iter(parent.findall(nodes.paragraph)), None) is not node
        parent = parent.parent
    return False


def _is_printed_output(block: nodes.Node) -> bool:
    """Whether a literal block shows what a lesson printed (sphinx-gallery's class is on it
    or on the block quote around it)."""
    while block is not None:
        if "sphx-glr-script-out" in block.get("classes", []):
            return True
        block = block.parent
    return False


class PageTranslation(SphinxTransform):
    """Everything after Sphinx's own translation (see the module's docstring)."""

    default_priority = 26  # after Locale (20) and its progress count (25)

    def apply(self, **kwargs) -> None:
        if not translating(self.app):
            return
        app, translator = self.app, output_translator(self.app)
        app.env.note_dependency(str(locale_dir(app) / f"{OUTPUT_DOMAIN}.po"))
        in_gallery = app.env.docname.startswith("auto_examples/")
        for image in self.document.findall(imgsgnode):
            problems: list[str] = []
            image["alt"] = translator.line(image.get("alt", ""), problems, inner=True) or image.get(
                "alt", ""
            )
            for text in problems or ([] if image["alt"] else ["figure without alt text"]):
                problem(app, f"figure alt text: {text}", image)
        for block in list(self.document.findall(nodes.literal_block)):
            text = block.astext()
            if _is_printed_output(block):
                new, problems = translator.output_block(text)
                for found in problems:
                    problem(app, f"printed output: {found} (in {OUTPUT_DOMAIN}.po)", block)
            else:
                language = block.get("language", "python" if in_gallery else "none")
                new = translate_comments(text, translator.comment, language)
                for _, _, comment in literal_comments(text, language):
                    if not translator.comment(comment) and has_prose(comment):
                        state = entry_state(translator.catalog, comment, CTX_COMMENT)
                        problem(app, f"{state} code comment {comment!r}", block)
            if new != text:
                block.children, block.rawsource = [nodes.Text(new)], new
        for raw in self.document.findall(nodes.raw):
            if "anim-controls" in raw.astext():
                problems = []
                raw.children = [nodes.Text(translator.widget(raw.astext(), problems))]
                for found in problems:
                    problem(app, found, raw)
        self._check_entries()

    def _check_entries(self) -> None:
        """Every entry of the page translated, but an object's details on the API pages."""
        path = locale_dir(self.app) / f"{self.env.docname}.po"
        # Sphinx marks the nodes it translated, but a few (a toctree's caption, a rubric):
        # a text that is a translation of this catalog is translated.
        done = {m.string for m in catalog(path) or () if isinstance(m.string, str)}
        for node, msg in extract_messages(self.document):
            if node.get("translated") or _in_api_details(node) or msg in done:
                continue
            state = entry_state(catalog(path), " ".join(msg.split("\n")))
            if state != "translated":
                relative = path.relative_to(Path(self.app.srcdir))
                problem(self.app, f"{state} entry in {relative}: {shorten(msg)!r}", node)


def shorten(text: str, width: int = 70) -> str:
    """An entry on one line, cut to ``width`` characters: enough to find it in the catalog."""
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 3] + "..."


def all_problems(app: Sphinx) -> list[str]:
    """Every problem of the last build, each once: the pages', then the build's."""
    found = [
        f"{docname}: {text}"
        for docname, texts in sorted(getattr(app.env, "i18n_problems", {}).items())
        for text in texts
    ]
    return list(dict.fromkeys(found + BUILD_PROBLEMS))


def report(app: Sphinx, exception: Exception | None) -> None:
    """The build's last words: what it showed in English, in a file and in the log."""
    if exception is not None or not translating(app):
        return
    language, problems = app.config.language, all_problems(app)
    listing = Path(app.outdir).parent / f"untranslated-{language}.txt"
    listing.unlink(missing_ok=True)
    if not problems:
        return
    listing.write_text("\n".join(problems) + "\n", encoding="utf-8")
    strict = "" if getattr(app.config, STRICT) else " (with --strict-translations, an error)"
    shown = problems[:30] + ([f"... all {len(problems)} in {listing}"] if problems[30:] else [])
    logger.info(
        f"{len(problems)} untranslated entries ({language}), shown in English{strict}:\n  "
        + "\n  ".join(shown)
        + f"\nNext: `nox -s gettext`, then translate them in docs/locale/{language}/"
        "LC_MESSAGES (docs/translation.rst).",
        color="darkred",
    )


class LessonsOutOfDate(SphinxError):
    category = "Lessons out of date"


def require_current_lessons(app: Sphinx) -> None:
    """A translated build runs no lesson: it needs the pages the English build generated
    (sphinx-gallery would run a lesson whose page is out of date; here the build stops)."""
    conf = app.config.sphinx_gallery_conf
    if not translating(app) or str(conf.get("plot_gallery", True)) in ("0", "False"):
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


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "i18n_problems", {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames: set[str], other) -> None:
    mine = getattr(env, "i18n_problems", {})
    mine.update({d: v for d, v in getattr(other, "i18n_problems", {}).items() if d in docnames})
    env.i18n_problems = mine


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages that had a problem are read again, so that a strict build warns again."""
    return sorted(set(getattr(env, "i18n_problems", {})) - set(removed)) if translating(app) else []


def setup(app: Sphinx) -> None:
    app.add_config_value(STRICT, False, "", types=frozenset({bool}))
    app.add_transform(PageTranslation)
    app.connect("builder-inited", lambda app: BUILD_PROBLEMS.clear(), priority=1)
    # Before sphinx-gallery's own builder-inited, which would run the lessons.
    app.connect("builder-inited", require_current_lessons, priority=100)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", report, priority=900)
