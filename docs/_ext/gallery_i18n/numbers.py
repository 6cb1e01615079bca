"""Numbers written the way a language writes them, where the site's code writes them.

Python writes ``9,596`` and ``0.4``; Russian writes ``9 596`` (a non-breaking space between
thousands) and ``0,4``. The catalogs carry the prose's numbers; this module converts the
numbers that code puts into a page's tables (the published weights, made from the manifest).
"""

from __future__ import annotations

import re

__all__ = ["localized_numbers"]

#: How each language separates thousands and decimals (English: as Python prints).
SEPARATORS = {"ru": ("\u00a0", ",")}

#: A number with a comma between thousands, and no other digit or separator touching it.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d)")
#: A decimal number that is no version (``3.15.1``) and no part of a word (``py3.11``).
_DECIMAL = re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w]|\.\d)")


def localized_numbers(text: str, language: str) -> str:
    """``text`` with its numbers written as ``language`` writes them.

    Versions (two points or more) and numbers inside words are left as they are.

    Examples
    --------
    >>> localized_numbers("9,596 steps in 6.8 s on Keras 3.15.1", "ru")
    '9\\xa0596 steps in 6,8 s on Keras 3.15.1'
    >>> localized_numbers("6.8 s", "en")
    '6.8 s'
    """
    if language not in SEPARATORS:
        return text
    thousands, decimal = SEPARATORS[language]
    text = _THOUSANDS.sub(lambda m: m[0].replace(",", thousands), text)
    return _DECIMAL.sub(lambda m: f"{m[1]}{decimal}{m[2]}", text)
