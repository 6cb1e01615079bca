"""Filling what needs no translator, after ``sphinx-intl update`` merged the templates.

Two kinds of entry are filled: an entry without prose (a code name, a formula, a file
name) is its own translation, and sphinx-gallery's sentences, which every lesson's page
repeats with its own file names, are translated from the one translation of their
template in the output catalog.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from .catalogs import CTX_BOILERPLATE, OUTPUT_DOMAIN, read_catalog, translation_of, write_catalog
from .templates import Template, fill_template, has_prose
from .words import BOILERPLATE_TEMPLATES

__all__ = ["boilerplate", "fill_catalog", "fill_locale"]

#: A template of sphinx-gallery's, and its translation ("" when it has none yet).
Boilerplate = tuple[Template, str]


def boilerplate(output: Catalog | None) -> list[Boilerplate]:
    """sphinx-gallery's sentences, with their translations from the output catalog."""
    return [
        (Template(text, dict(patterns)), translation_of(output, text, CTX_BOILERPLATE))
        for text, patterns in BOILERPLATE_TEMPLATES
    ]


def _filled(msgid: str, sentences: list[Boilerplate]) -> str | None:
    """The translation that ``msgid`` needs no translator for, or None."""
    for template, msgstr in sentences:
        match = template.regex().fullmatch(msgid)
        if match and msgstr:
            return fill_template(msgstr, template.values(match))
    if not has_prose(msgid):
        return msgid
    return None


def fill_catalog(catalog: Catalog, sentences: list[Boilerplate]) -> int:
    """Fill the entries of ``catalog`` that need no translator.

    Parameters
    ----------
    catalog : babel.messages.catalog.Catalog
        A page's catalog, changed in place.
    sentences : list of (Template, str)
        sphinx-gallery's sentences and their translations (see :func:`boilerplate`).

    Returns
    -------
    int
        How many entries were filled. A translated entry is left alone, unless it is
        fuzzy or is a copy of its English (a boilerplate sentence copied before its
        template had a translation).
    """
    changed = 0
    for message in catalog:
        # The header (empty id) and plural entries are no page's prose.
        if not message.id or isinstance(message.id, tuple):
            continue
        copied = message.string == message.id
        if message.string and not message.fuzzy and not copied:
            continue
        new = _filled(message.id, sentences)
        if new is not None and (new != message.string or message.fuzzy):
            message.string = new
            message.flags.discard("fuzzy")
            changed += 1
    return changed


def fill_locale(locale: Path) -> None:
    """Fill every page's catalog under ``locale`` (``docs/locale/<lang>/LC_MESSAGES``).

    The output catalog and ``sphinx.po`` are left alone: all of theirs is for a translator.
    """
    sentences = boilerplate(read_catalog(locale / f"{OUTPUT_DOMAIN}.po"))
    for path in sorted(locale.rglob("*.po")):
        if path.name in (f"{OUTPUT_DOMAIN}.po", "sphinx.po"):
            continue
        catalog = read_catalog(path)
        if catalog is None:
            continue
        changed = fill_catalog(catalog, sentences)
        write_catalog(catalog, path)  # also drops obsolete copies of active entries
        if changed:
            print(f"{path.relative_to(locale)}: filled {changed} entries")
