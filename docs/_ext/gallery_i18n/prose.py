"""A lesson's source in another language: its docstring, text cells and comments.

The downloads of a translated page (``.py``, ``.ipynb``) are made from the lesson's source
with its prose translated from the page's catalog. Sphinx's catalogs hold a paragraph as
one entry with its lines joined by spaces; :func:`translate_rst` cuts the reST text the
same way, looks each entry up and wraps the translation again. The code stays as it is.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Callable

from babel.messages.catalog import Catalog

from .catalogs import translation_of
from .source import translate_comments
from .text import has_prose

__all__ = ["prose_lookup", "translate_example", "translate_rst"]

#: Looks an entry up: its translation, or None to keep the English.
Lookup = Callable[[str], str | None]

_BULLET = re.compile(r"^(\s*)([-*+]|#\.|\d+\.)(\s+)")
_TITLE_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


def _protect(text: str) -> str:
    """Spaces inside backquotes become NUL, so that wrapping never breaks a role apart."""
    return re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\0"), text)


def _wrap(text: str, first: str, rest: str, width: int) -> list[str]:
    lines = textwrap.wrap(
        _protect(text),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        # A hyphenated word or a long URL stays whole: reST reads a break as a space.
        break_on_hyphens=False,
    )
    return [line.replace("\0", " ") for line in lines] or [first.rstrip()]


def translate_rst(text: str, lookup: Lookup, width: int) -> str:
    """Translate the paragraphs, titles and list items of a lesson's reST text.

    Parameters
    ----------
    text : str
        reStructuredText: paragraphs separated by blank lines.
    lookup : callable
        Takes an entry as Sphinx's catalogs hold it (lines joined by spaces) and returns
        its translation, or None; an entry without one stays English.
    width : int
        The width to wrap the translated paragraphs at.

    Returns
    -------
    str
        The text with its prose translated and rewrapped. Directives and indented blocks
        (math, literal blocks) are kept as they are; a title's underline is made as long
        as its translation.
    """
    out: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = paragraph.split("\n")
        first = lines[0]
        if not first.strip() or first.startswith((" ", "\t", ".. ")):
            out.append(paragraph)
        elif len(lines) == 2 and _TITLE_UNDERLINE.match(lines[1]):
            title = lookup(first.strip()) or first.strip()
            out.append(title + "\n" + lines[1].strip()[0] * max(len(title), 3))
        elif first_bullet := _BULLET.match(first):
            items: list[tuple[str, list[str]]] = []
            for line in lines:
                match = _BULLET.match(line)
                if match and len(match.group(1)) == len(first_bullet.group(1)):
                    items.append((match.group(0), [line[match.end() :]]))
                else:
                    items[-1][1].append(line.strip())
            block = []
            for marker, item_lines in items:
                msgid = " ".join(item_lines)
                translated = lookup(msgid) or msgid
                block += _wrap(translated, marker, " " * len(marker), width)
            out.append("\n".join(block))
        else:
            msgid = " ".join(line.strip() for line in lines)
            translated = lookup(msgid) or msgid
            out.append("\n".join(_wrap(translated, "", "", width)))
    return "\n\n".join(out)


def translate_example(source: str, lookup: Lookup, comment: Lookup, width: int = 88) -> str:
    """A lesson's source with its docstring, text cells and comments translated.

    Parameters
    ----------
    source : str
        The lesson, in sphinx-gallery's format: a docstring, then code and ``# %%`` text
        cells.
    lookup : callable
        The prose's translations (see :func:`translate_rst`).
    comment : callable
        The code comments' translations (see
        :func:`~gallery_i18n.source.translate_comments`).
    width : int, optional
        The width of the docstring's lines; a text cell's lines are two shorter, for its
        ``# ``.

    Returns
    -------
    str
        The same program, with its prose in the catalog's language.
    """
    tree = ast.parse(source)
    lines = source.split("\n")
    out: list[str] = []
    doc = tree.body[0] if tree.body and isinstance(tree.body[0], ast.Expr) else None
    start = 0
    if doc is not None and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
        begin, end = doc.lineno - 1, (doc.end_lineno or doc.lineno) - 1
        opening, closing = lines[begin], lines[end]
        quote = opening.strip()
        # Only a docstring whose quotes stand on lines of their own: its body is plain reST.
        if quote in ('"""', 'r"""', "'''", "r'''") and closing.strip() in ('"""', "'''"):
            body = "\n".join(lines[begin + 1 : end])
            out += [opening, translate_rst(body, lookup, width), closing]
            start = end + 1
    i = start
    code: list[str] = []

    def flush() -> None:
        if code:
            out.append(translate_comments("\n".join(code), comment))
            code.clear()

    while i < len(lines):
        line = lines[i]
        if re.match(r"^# %%", line):
            flush()
            out.append(line)
            i += 1
            text = []
            while i < len(lines) and (lines[i].startswith("# ") or lines[i] == "#"):
                text.append(lines[i][2:])
                i += 1
            if text:
                translated = translate_rst("\n".join(text), lookup, width - 2)
                out += [("# " + t).rstrip() for t in translated.split("\n")]
            continue
        code.append(line)
        i += 1
    flush()
    return "\n".join(out)


def prose_lookup(catalog: Catalog | None, missing: list[str]) -> Lookup:
    """A lookup in a page's catalog that notes each entry with prose but no translation.

    Parameters
    ----------
    catalog : babel.messages.catalog.Catalog or None
        The page's catalog.
    missing : list of str
        Receives the English of each entry that stays English.

    Returns
    -------
    callable
        For :func:`translate_rst` and :func:`translate_example`.
    """

    def lookup(msgid: str) -> str | None:
        translated = translation_of(catalog, msgid)
        if not translated and has_prose(msgid):
            missing.append(msgid)
        return translated or None

    return lookup
