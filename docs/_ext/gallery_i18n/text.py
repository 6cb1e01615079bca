"""Templates, prose and numbers: the text rules that no gettext tool applies to printed output.

A template is an English sentence in :meth:`str.format` syntax (``final loss {0}``): its
regular expression recognises a line made from it and captures the values, and
:func:`fill_template` writes them into the translation. :func:`has_prose` decides whether a
text needs a translator at all (a code name, a formula or a number does not).
:func:`localized_numbers` writes numbers as a language writes them, and
:func:`plural_index` picks the plural form a number takes there.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from babel import Locale

__all__ = ["Template", "fill_template", "has_prose", "localized_numbers", "plural_index"]


@dataclass(frozen=True)
class Template:
    """An English sentence with named or numbered placeholders (``{{`` is a brace).

    ``patterns`` says what a placeholder may match, as a regular expression (any text when
    not named); two templates with the same text are the same template.

    Examples
    --------
    >>> template = Template("{epochs} epochs of batch {0}", {"epochs": "[0-9]+"})
    >>> template.values(template.regex().fullmatch("200 epochs of batch 30"))
    {'epochs': '200', '0': '30'}
    """

    text: str
    patterns: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def fields(self) -> list[str]:
        """The names of the placeholders, in order."""
        return [name for _, name, _, _ in string.Formatter().parse(self.text) if name]

    @property
    def literal(self) -> str:
        """The text without its placeholders: how much a match says (longer first)."""
        return "".join(literal for literal, *_ in string.Formatter().parse(self.text))

    def regex(self) -> re.Pattern[str]:
        """A pattern for a line made from this template, leading spaces left out (a literal
        block loses its common indentation: the caller strips line and template alike)."""
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.text.lstrip(" ")):
            parts.append(re.escape(literal))
            if name is not None:
                # Lazy: the literal after the placeholder decides where a value ends.
                parts.append(f"(?P<{_group(name)}>{self.patterns.get(name, '.+?')})")
        return re.compile("".join(parts), re.DOTALL)

    def values(self, match: re.Match[str]) -> dict[str, str]:
        """The captured values of a match of :meth:`regex`, by placeholder name."""
        return {name: match.group(_group(name)) for name in self.fields()}


def _group(name: str) -> str:
    return f"p{name}" if name.isdigit() else name  # a group's name cannot start with a digit


def fill_template(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values`` (an unknown one stays).

    Examples
    --------
    >>> fill_template("{0} из {total} {{x}}", {"0": "3"})
    '3 из {total} {x}'
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


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
    text = re.sub(r"\\", "", text)
    words = re.findall(r"[^\W\d_]+(?:[._][\w.]+)?", text)
    # One letter is a symbol (x, z); an underscore or a dot makes an identifier.
    return any(len(w) > 1 and "_" not in w and "." not in w for w in words)


#: How each language writes thousands and decimals (English: as Python prints them).
SEPARATORS = {"ru": ("\u00a0", ",")}
#: A number with a comma between thousands (and maybe decimals), no other digit touching it.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)")
#: A decimal number that is no version (``3.15.1``) and no part of a word (``py3.11``).
_DECIMAL = re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w]|\.\d)")
#: A percentage or a size in bytes right after its number.
_UNIT = re.compile(r"(\d)(?: ?)(%|KB|MB|GB|B)(?!\w)")
UNITS = {"ru": {"%": "%", "B": "Б", "KB": "КБ", "MB": "МБ", "GB": "ГБ"}}


def localized_numbers(text: str, language: str) -> str:
    """``text`` with its numbers (and their % or byte units) written as ``language`` does.

    Versions (two points or more) and numbers inside words are left as they are.

    Examples
    --------
    >>> localized_numbers("9,596 steps in 6.8 s, 99.24%, 34.51 KB, Keras 3.15.1", "ru")
    '9\\xa0596 steps in 6,8 s, 99,24\\xa0%, 34,51\\xa0КБ, Keras 3.15.1'
    >>> localized_numbers("6.8 s", "en")
    '6.8 s'
    """
    if language not in SEPARATORS:
        return text
    thousands, decimal = SEPARATORS[language]
    text = _THOUSANDS.sub(lambda m: m[0].replace(",", thousands).replace(".", decimal), text)
    text = _DECIMAL.sub(lambda m: f"{m[1]}{decimal}{m[2]}", text)
    return _UNIT.sub(lambda m: f"{m[1]}\u00a0{UNITS[language][m[2]]}", text)


def plural_index(number: float, language: str, forms: int) -> int:
    """Which of a catalog entry's ``forms`` plural forms ``number`` takes in ``language``.

    Examples
    --------
    >>> [plural_index(n, "ru", 3) for n in (1, 2, 5, 11, 21, 200)]
    [0, 1, 2, 2, 0, 2]
    """
    rule = Locale.parse(language).plural_form
    order = [tag for tag in ("zero", "one", "two", "few", "many", "other") if tag in rule.tags]
    order.append("other")
    return min(order.index(rule(number)), forms - 1)
