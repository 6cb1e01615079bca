"""Templates: English sentences with their values left out, and what counts as prose.

A template is a sentence in :meth:`str.format` syntax (``final loss {0}``). Its regular
expression recognises a line made from it and captures the values, and
:func:`fill_template` writes those values into the translation. :func:`has_prose` decides
whether a text needs a translator at all: a code name, a formula or a number does not.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

__all__ = ["Template", "fill_template", "group_name", "has_prose"]


def group_name(name: str) -> str:
    """The regular-expression group of a placeholder.

    Parameters
    ----------
    name : str
        A placeholder's name: a word (``profile``) or a position (``0``).

    Returns
    -------
    str
        ``name`` itself, or ``p0`` for a position: a group's name cannot start with a digit.
    """
    return f"p{name}" if name.isdigit() else name


@dataclass(frozen=True)
class Template:
    """An English sentence with named or numbered placeholders, in ``str.format`` syntax.

    Parameters
    ----------
    text : str
        The sentence; ``{{`` and ``}}`` are braces of the text.
    patterns : dict of str to str, optional
        What a placeholder may match, as a regular expression; any text when not named.
        Two templates with the same text are the same template, whatever their patterns.
    """

    text: str
    patterns: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def fields(self) -> list[str]:
        """The names of the placeholders, in order."""
        return [name for _, name, _, _ in string.Formatter().parse(self.text) if name]

    @property
    def literal(self) -> str:
        """The text without its placeholders: how much a match says (longer first)."""
        return "".join(lit for lit, *_ in string.Formatter().parse(self.text))

    def regex(self) -> re.Pattern[str]:
        """A pattern for a line made from this template.

        Leading spaces are not part of it: a literal block loses its common indentation,
        so the caller strips them from the line and from the template alike.
        """
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.text.lstrip(" ")):
            parts.append(re.escape(literal))
            if name is not None:
                # Lazy: the literal after the placeholder decides where a value ends.
                pattern = self.patterns.get(name, ".+?")
                parts.append(f"(?P<{group_name(name)}>{pattern})")
        return re.compile("".join(parts), re.DOTALL)

    def values(self, match: re.Match[str]) -> dict[str, str]:
        """The captured values of a match of :meth:`regex`, by placeholder name."""
        return {name: match.group(group_name(name)) for name in self.fields()}


def fill_template(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values``.

    Parameters
    ----------
    text : str
        A template or its translation (no format specs; ``{{`` is a brace).
    values : dict of str to str
        Text per placeholder name; a placeholder without one stays as it is.

    Returns
    -------
    str
        The filled text.
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


def has_prose(text: str) -> bool:
    """Whether ``text`` holds words, once code, targets and identifiers are left out.

    A role's or a link's own title is text (``:doc:`the lessons <index>```); a role's
    target alone (``:func:`train```), a literal (````full````), a file name and an
    identifier (``linear_ae``, ``keras.layers``) are code.

    Parameters
    ----------
    text : str
        A catalog entry, a printed template or a comment, in reStructuredText.

    Returns
    -------
    bool
        True when a translator has something to translate.
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
