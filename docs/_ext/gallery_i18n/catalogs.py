"""The catalogs: reading and writing ``.po`` files, and the state of one entry.

Besides one catalog per page (Sphinx's), the site has :data:`OUTPUT_DOMAIN`: everything a
page shows that is not prose, each kind under its own message context.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

__all__ = [
    "CTX_BOILERPLATE",
    "CTX_COMMENT",
    "CTX_KERAS",
    "CTX_OUTPUT",
    "CTX_TERM",
    "CTX_WIDGET",
    "FIXED_DATE",
    "OUTPUT_DOMAIN",
    "SOURCE_LANGUAGE",
    "entry_state",
    "js_catalog",
    "read_catalog",
    "translation_of",
    "write_catalog",
]

#: The language the site is written in, that of every msgid; every other is a translation.
SOURCE_LANGUAGE = "en"
#: The catalog (``<domain>.po``) of everything that is not page prose.
OUTPUT_DOMAIN = "gallery-output"

# Message contexts of the output catalog: the same English word may need a different
# translation as a printed term and as a widget's button.
CTX_OUTPUT = "printed output"  # what the lessons and the library print, alt text included
CTX_TERM = "printed term"
CTX_COMMENT = "code comment"
CTX_WIDGET = "animation widget"
CTX_KERAS = "keras summary"
CTX_BOILERPLATE = "sphinx-gallery boilerplate"

#: The date written into the templates this package makes: a fixed one, so that an
#: unchanged template is an unchanged file.
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def read_catalog(path: Path) -> Catalog | None:
    """The catalog at ``path``, or None when there is no such file."""
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return read_po(f)


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` to ``path``, leaving the file alone when nothing changed.

    Obsolete entries that repeat an active one are dropped first.

    An untouched file keeps its time stamp, so Sphinx does not compile it again and does
    not read again the pages that depend on it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # An obsolete entry (``#~``) that repeats an active one makes the file invalid gettext
    # ("duplicate message definition", GNU msgfmt): the active one is what counts.
    for key in list(catalog.obsolete):
        msgid, context = (key, None) if isinstance(key, str) else key
        if catalog.get(msgid, context=context) is not None:
            del catalog.obsolete[key]
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, omit_header=False, sort_output=False)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def translation_of(
    catalog: Catalog | None, msgid: str, context: str | None = None
) -> str | tuple[str, ...]:
    """The translation of ``msgid``, or "" when there is none (missing, empty or fuzzy); an
    entry with plural forms gives them all, a tuple."""
    if catalog is None:
        return ""
    message = catalog.get(msgid, context=context)
    if message is None or message.fuzzy or not message.string or not all(message.string):
        return ""
    return message.string


def entry_state(catalog: Catalog | None, msgid: str, context: str | None = None) -> str:
    """How far ``msgid`` is translated, as a word for a report.

    Returns
    -------
    str
        ``translated``, ``untranslated``, ``fuzzy``, ``missing`` (no such entry) or
        ``missing (no catalog)``.
    """
    if catalog is None:
        return "missing (no catalog)"
    message = catalog.get(msgid, context=context)
    if message is None:
        return "missing"
    if message.fuzzy:
        return "fuzzy"
    if not message.string:
        return "untranslated"
    return "translated"


def js_catalog(sphinx_js: str, catalog: Catalog | None) -> str:
    """Sphinx's JavaScript catalog with the translations of ``catalog`` over its own.

    Parameters
    ----------
    sphinx_js : str
        A ``sphinx.js`` file: ``Documentation.addTranslations({...});``.
    catalog : babel.messages.catalog.Catalog or None
        The project's ``sphinx.po``. Only the messages that Sphinx's scripts use (those
        already in ``sphinx_js``) are taken; a fuzzy or empty entry is not.

    Returns
    -------
    str
        The file's new text; ``sphinx_js`` itself when nothing changed.
    """
    start, end = sphinx_js.index("(") + 1, sphinx_js.rindex(")")
    data = json.loads(sphinx_js[start:end])
    messages = data["messages"]
    changed = False
    for message in catalog or ():
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in messages and message.string and not message.fuzzy:
            value = list(message.string) if isinstance(message.string, tuple) else message.string
            if messages[key] != value:
                messages[key] = value
                changed = True
    if not changed:
        return sphinx_js
    body = json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True)
    return sphinx_js[:start] + body + sphinx_js[end:]
