"""What a translated build shows untranslated, and the search page's words: Sphinx says neither.

Sphinx translates each page's prose from its catalog (``docs/locale/<lang>/LC_MESSAGES/``)
and silently shows the English of an entry that is missing, empty or fuzzy. Here:

* :class:`CheckEntries` notes each such entry of a page (one with words: an entry without
  them needs no translator; an API object's details past its summary are not required);
* at the start of the build, the templates' words (``sphinx.po``) untranslated, and the
  translated lessons that are behind their English lesson (:mod:`lesson_languages`);
* :func:`report`: the build's last words list them all, the first 30 in the log and all in
  ``docs/_build/html/untranslated-<lang>.txt``. With ``-D translations_strict=1``
  (``nox -s docs -- --strict-translations``, as on CI) each is a warning, which ``-W``
  makes an error;
* :func:`write_sphinx_js`: Sphinx's search page takes its words from a ``sphinx.js`` found
  in the locale folders before its own, and some of its Russian ones are empty (the
  message after a search): the build writes ``docs/locale/<lang>/LC_MESSAGES/sphinx.js``,
  Sphinx's own with the project's ``sphinx.po`` over it. That message is a plural, which
  Sphinx's gettext builder cannot read from a template: :func:`add_search_message` adds it
  to ``sphinx.pot``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import sphinx
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from docutils import nodes
from lesson_languages import SOURCE_LANGUAGE, behind_english
from sphinx import addnodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

logger = logging.getLogger(__name__)
#: The configuration value that makes what the build shows untranslated warnings (0 or 1).
STRICT = "translations_strict"
#: What the build itself found (not a page's): kept per process.
BUILD_PROBLEMS: list[str] = []
#: The search page's message after a search (Sphinx's searchtools.js), singular and plural.
SEARCH_FOUND = (
    "Search finished, found one page matching the search query.",
    "Search finished, found ${resultCount} pages matching the search query.",
)


def read_catalog(path: Path) -> Catalog | None:
    """The catalog at ``path``, or None when there is no such file."""
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return read_po(f)


def entry_state(catalog: Catalog | None, msgid: str) -> str:
    """``translated``, ``untranslated``, ``fuzzy``, ``missing`` or ``missing (no catalog)``."""
    message = None if catalog is None else catalog.get(msgid)
    if message is None:
        return "missing" if catalog is not None else "missing (no catalog)"
    if message.fuzzy:
        return "fuzzy"
    return "translated" if message.string else "untranslated"


def has_prose(text: str) -> bool:
    """Whether ``text`` (reST) holds words, once code, targets and identifiers are left out.

    A role's or a link's own title is text (``:doc:`the lessons <index>```); a role's target
    alone, a literal, a file name and an identifier (``linear_ae``) are code.

    Examples
    --------
    >>> has_prose(":func:`train` and ``full``"), has_prose("the :doc:`lessons <index>`")
    (True, True)
    >>> has_prose(":func:`train`, ``full``, linear_ae, x = 3")
    False
    """
    text = re.sub(r":[\w:.+-]+:`([^`<]*?)\s*<[^>`]*>`", r" \1 ", text)  # :role:`title <x>`
    text = re.sub(r":[\w:.+-]+:`[^`]*`", " ", text)  # :role:`target`
    text = re.sub(r"``[^`]*``", " ", text)  # ``literal``
    text = re.sub(r"`([^`<]*?)\s*<[^>`]*>`_*", r" \1 ", text)  # `title <url>`_
    text = re.sub(r"\S+\.(?:py|ipynb|zip|rst|html|txt)\b", " ", text)  # file names
    words = re.findall(r"[^\W\d_]+(?:[._][\w.]+)?", text.replace("\\", ""))
    # One letter is a symbol (x, z); an underscore or a dot makes an identifier.
    return any(len(w) > 1 and "_" not in w and "." not in w for w in words)


def translating(app) -> bool:
    """Whether this build writes a translation: a language but English, and no gettext."""
    language = app.config.language or SOURCE_LANGUAGE
    return language != SOURCE_LANGUAGE and not isinstance(app.builder, MessageCatalogBuilder)


def locale_dir(app) -> Path:
    """``docs/locale/<language>/LC_MESSAGES``: the catalogs of the build's language."""
    return Path(app.srcdir, app.config.locale_dirs[0], app.config.language, "LC_MESSAGES")


def problem(app, text: str, location: nodes.Node | None = None) -> None:
    """Note one thing shown untranslated (a warning too, under strict): a page's is kept in
    the environment, so that an incremental build lists it again."""
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


class CheckEntries(SphinxTransform):
    """Every entry of a translated page with words is translated (see the module)."""

    default_priority = 26  # after Locale (20) and its progress count (25)

    def apply(self, **kwargs) -> None:
        gallery = self.config.sphinx_gallery_conf["gallery_dirs"]
        if not translating(self.app) or self.env.docname.startswith(f"{gallery}/"):
            return  # a lesson's page is written in its language (examples/<language>/)
        path = locale_dir(self.app) / f"{self.env.docname}.po"
        catalog = read_catalog(path)
        # Sphinx marks the nodes it translated, but a few (a toctree's caption, a rubric):
        # a text that is a translation of this catalog is translated.
        done = {m.string for m in catalog or () if isinstance(m.string, str)}
        for node, msg in extract_messages(self.document):
            if node.get("translated") or msg in done or _in_api_details(node):
                continue
            msgid = " ".join(msg.split("\n"))
            state = entry_state(catalog, msgid)
            if state != "translated" and has_prose(msgid):
                short = msgid if len(msgid) <= 70 else msgid[:67] + "..."
                where = path.relative_to(Path(self.app.srcdir))
                problem(self.app, f"{state} entry in {where}: {short!r}", node)


def check_build_words(app) -> None:
    """The templates' words all translated, and the translated lessons up to date."""
    BUILD_PROBLEMS.clear()
    if not translating(app):
        return
    for message in read_catalog(locale_dir(app) / "sphinx.po") or ():
        if message.id and (message.fuzzy or not message.string or not all(message.string)):
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            problem(app, f"untranslated template word in sphinx.po: {key!r}")
    for lesson in behind_english(app.config.language):
        problem(app, lesson)


def report(app, exception: Exception | None) -> None:
    """The build's last words: what it showed untranslated, in a file and in the log."""
    if exception is not None or not translating(app):
        return
    pages = sorted(getattr(app.env, "i18n_problems", {}).items())
    found = [f"{docname}: {text}" for docname, texts in pages for text in texts]
    problems = list(dict.fromkeys(found + BUILD_PROBLEMS))
    listing = Path(app.outdir).parent / f"untranslated-{app.config.language}.txt"
    listing.unlink(missing_ok=True)
    if not problems:
        return
    listing.write_text("\n".join(problems) + "\n", encoding="utf-8")
    strict = "" if getattr(app.config, STRICT) else " (with --strict-translations, an error)"
    shown = problems[:30] + ([f"... all {len(problems)} in {listing}"] if problems[30:] else [])
    logger.info(
        f"{len(problems)} untranslated entries ({app.config.language}), shown in English"
        f"{strict}:\n  " + "\n  ".join(shown) + "\nNext: `nox -s gettext`, then translate "
        f"them in docs/locale/{app.config.language}/ or examples/{app.config.language}/ "
        "(docs/translation.rst).",
        color="darkred",
    )


def js_catalog(sphinx_js: str, catalog: Catalog | None) -> str:
    """Sphinx's script catalog (``Documentation.addTranslations({...});``) with the
    translations of ``catalog`` over its own: only the messages its scripts use (those it
    has), and not a fuzzy or empty one."""
    start, end = sphinx_js.index("(") + 1, sphinx_js.rindex(")")
    data = json.loads(sphinx_js[start:end])
    for message in catalog or ():
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in data["messages"] and message.string and not message.fuzzy:
            string = message.string
            data["messages"][key] = list(string) if isinstance(string, tuple) else string
    return sphinx_js[:start] + json.dumps(data, ensure_ascii=False, indent=4) + sphinx_js[end:]


def write_sphinx_js(app) -> None:
    """Write ``sphinx.js`` into the language's locale folder, where Sphinx looks first."""
    if not translating(app) or app.builder.format != "html":
        return
    own = Path(sphinx.package_dir, "locale", app.config.language, "LC_MESSAGES", "sphinx.js")
    if not own.is_file():
        return  # Sphinx has no script catalog for this language: there is nothing to fix
    text = js_catalog(own.read_text(encoding="utf-8"), read_catalog(locale_dir(app) / "sphinx.po"))
    target = locale_dir(app) / "sphinx.js"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def add_search_message(app, exception: Exception | None) -> None:
    """In the gettext build, the search page's message joins the templates' words."""
    if exception is not None or not isinstance(app.builder, MessageCatalogBuilder):
        return
    path = Path(app.outdir, "sphinx.pot")
    catalog = read_catalog(path) or Catalog()
    catalog.add(SEARCH_FOUND, auto_comments=["the search page's (Sphinx's own catalog lacks it)"])
    with path.open("wb") as f:
        write_po(f, catalog)


def _purge(app, env, docname: str) -> None:
    getattr(env, "i18n_problems", {}).pop(docname, None)


def _merge(app, env, docnames: set[str], other) -> None:
    mine = getattr(env, "i18n_problems", {})
    mine.update({d: v for d, v in getattr(other, "i18n_problems", {}).items() if d in docnames})
    env.i18n_problems = mine


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Pages that had a problem are read again, so that a strict build warns again."""
    return sorted(set(getattr(env, "i18n_problems", {})) - set(removed)) if translating(app) else []


def setup(app):
    app.add_config_value(STRICT, False, "", types=frozenset({bool}))
    app.add_transform(CheckEntries)
    app.connect("builder-inited", check_build_words)
    app.connect("builder-inited", write_sphinx_js)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    # Last: the build's last words, after every other build-finished handler (at 500).
    app.connect("build-finished", report, priority=900)
    app.connect("build-finished", add_search_message)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
