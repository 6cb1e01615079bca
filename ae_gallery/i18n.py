"""The language the library speaks: what it prints, draws and raises, in English or Russian.

A lesson says which in its first cell, ``i18n.set_language("ru")`` (an English lesson says
``"en"``, the default), and from then on the library's printed lines, its figures' words and
alt texts and its error messages are in that language, whatever the machine's locale. They
are translated with the standard library's :mod:`gettext`: :func:`_` for a sentence,
:func:`ngettext` for one with a counted noun (1 эпоха, 2 эпохи, 5 эпох); :func:`number`
writes a number the language's way (6 400 and 0,0081 in Russian).

The translations are ``locale/<language>/LC_MESSAGES/ae_gallery.po`` beside this module, in
the wheel as in a checkout. The first time a language is used, Babel compiles its catalog
in memory (no ``.mo`` file is kept, so none can be older than its ``.po``), and Babel's data
for the language gives its plural rule and its separators. ``nox -s gettext`` brings the
catalogs up to date with the library's sentences.

Examples
--------
>>> set_language("ru")
>>> ngettext("{epochs} epoch of batch {batch}", "{epochs} epochs of batch {batch}", 5)
'{epochs} эпох с батчами по {batch}'
>>> number(6400), number(0.00812, ".4f")
('6\\xa0400', '0,0081')
>>> set_language("en")
>>> number(6400), number(0.00812, ".4f")
('6,400', '0.0081')
"""

from __future__ import annotations

import contextlib
import gettext
import io
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LANGUAGES", "_", "language", "ngettext", "number", "set_language", "speaking"]

#: The folder of the catalogs: ``<language>/LC_MESSAGES/ae_gallery.po``.
LOCALE = Path(__file__).parent / "locale"
DOMAIN = "ae_gallery"
#: English, in which the library is written, and every language it has a catalog for.
LANGUAGES = ("en", *sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir()))

_current = "en"
_catalogs: dict[str, gettext.NullTranslations] = {"en": gettext.NullTranslations()}


def _catalog(name: str) -> gettext.NullTranslations:
    if name not in _catalogs:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with (LOCALE / name / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
            catalog = read_po(po, locale=name)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # fuzzy entries stay out, as msgfmt leaves them
        compiled.seek(0)
        _catalogs[name] = gettext.GNUTranslations(compiled)
    return _catalogs[name]


def set_language(name: str) -> None:
    """Speak ``name`` (``"en"`` or ``"ru"``) from now on, in this process.

    Raises
    ------
    ValueError
        For a language the library has no catalog for; the message lists those it has.
    """
    if name not in LANGUAGES:
        raise ValueError(
            _("The library speaks no {language!r}; choose one of: {languages}.").format(
                language=name, languages=", ".join(LANGUAGES)
            )
        )
    global _current
    _catalog(name)  # a broken catalog fails here, not in the middle of a lesson
    _current = name


def language() -> str:
    """The language the library speaks now."""
    return _current


@contextlib.contextmanager
def speaking(name: str) -> Iterator[None]:
    """Speak ``name`` for a while (the site's build words the maintainers' tables so)."""
    before = _current
    set_language(name)
    try:
        yield
    finally:
        set_language(before)


def _(message: str) -> str:
    """``message`` in the library's language (``nox -s gettext`` collects each one)."""
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a sentence with a counted noun that ``count`` takes in the language."""
    return _catalog(_current).ngettext(singular, plural, count)


def number(value: float, spec: str = ",") -> str:
    """``format(value, spec)``, with the language's thousands and decimal separators.

    The default ``spec`` groups the thousands of a whole number: ``6,400`` (``6 400`` in
    Russian, with a no-break space).
    """
    text = format(value, spec)
    if _current == "en":
        return text
    from babel.numbers import get_decimal_symbol, get_group_symbol

    signs = {",": get_group_symbol(_current), ".": get_decimal_symbol(_current)}
    return text.translate(str.maketrans(signs))
