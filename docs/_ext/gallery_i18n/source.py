"""What the lessons print and say in comments, read from their source.

A lesson runs once, in English; its translated page is made from that run. So what a page
printed is recognised by templates read from the ``print`` calls of the source (never from
a run: a timing or a "loaded from cache" cannot change them), and the comments of code are
found with Python's tokenizer and translated in place.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterator

from .text import has_prose

__all__ = [
    "code_comments",
    "example_messages",
    "literal_comments",
    "print_template",
    "shell_comments",
    "translate_comments",
]

#: A comment, as found: (line number from 1, column of its ``#``, text without ``# ``).
Comment = tuple[int, int, str]


def _format_constant(node: ast.FormattedValue) -> str | None:
    """The text of ``{'mean Z1':>8}``: a constant formatted at a constant spec."""
    if not isinstance(node.value, ast.Constant):
        return None
    spec = ""
    if node.format_spec is not None:
        if not all(isinstance(v, ast.Constant) for v in node.format_spec.values):
            return None
        spec = "".join(str(v.value) for v in node.format_spec.values)
    value = node.value.value
    if node.conversion == ord("r"):
        value = repr(value)
    return format(value, spec)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def print_template(call: ast.Call) -> str | None:
    """The template of one ``print(...)`` call.

    Parameters
    ----------
    call : ast.Call
        A call of ``print``.

    Returns
    -------
    str or None
        Its text with each computed value a numbered placeholder (``{0}``), the arguments
        joined by spaces as ``print`` joins them; None for ``print(*values)``, whose
        number of values the source does not say.
    """
    parts: list[str] = []
    count = 0
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            return None
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            parts.append(_escape_braces(arg.value))
        elif isinstance(arg, ast.JoinedStr):
            text = ""
            for value in arg.values:
                if isinstance(value, ast.Constant):
                    text += _escape_braces(str(value.value))
                elif (constant := _format_constant(value)) is not None:
                    text += _escape_braces(constant)
                else:
                    text += f"{{{count}}}"
                    count += 1
            parts.append(text)
        else:
            parts.append(f"{{{count}}}")
            count += 1
    return " ".join(parts)


def _string_elements(node: ast.AST) -> Iterator[str]:
    for element in getattr(node, "elts", ()):
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            yield element.value
        else:
            yield from _string_elements(element)


def example_messages(source: str) -> tuple[list[str], list[str]]:
    """The printed templates and the printed terms of one lesson.

    Parameters
    ----------
    source : str
        The lesson's Python source.

    Returns
    -------
    templates : list of str
        One per line of each ``print`` call, in order, without repeats.
    terms : list of str
        The labels a lesson prints through a placeholder, when they have words
        (``linear_ae`` is a name): the string keys of its dict literals, the strings of
        the tuples a ``for`` loop walks and the first strings of (label, value) pairs.
    """
    tree = ast.parse(source)
    templates: list[str] = []
    terms: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print" and (template := print_template(node)):
                for line in template.splitlines():
                    if line.strip() and line not in templates:
                        templates.append(line)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    terms.append(key.value)
        elif isinstance(node, ast.For):
            terms.extend(_string_elements(node.iter))
        elif isinstance(node, ast.List | ast.Tuple):
            # A list of (label, value) pairs, walked later: the labels.
            for element in node.elts:
                if isinstance(element, ast.Tuple) and element.elts:
                    first = element.elts[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        terms.append(first.value)
    terms = [t for t in dict.fromkeys(terms) if has_prose(t)]
    return templates, terms


def code_comments(code: str) -> list[Comment]:
    """The comments of a piece of Python code, but tool directives (``noqa``, ``type:``).

    Parameters
    ----------
    code : str
        Python source, possibly with IPython magics (``%pip``).

    Returns
    -------
    list of (int, int, str)
        Line (from 1), column of the ``#`` and the comment's text without ``# ``.
    """
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                text = token.string[1:].strip()
                if text and not re.match(r"(noqa|type:|sphinx_gallery_|%%)", text):
                    found.append((token.start[0], token.start[1], text))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # IPython magics (%pip) are not Python: read such lines one by one.
        found = []
        for number, line in enumerate(code.splitlines(), 1):
            stripped = line.lstrip()
            if stripped.startswith("#") and stripped[1:].strip():
                found.append((number, len(line) - len(stripped), stripped[1:].strip()))
    return found


def shell_comments(code: str) -> list[Comment]:
    """The comments of a shell example: ``#`` at a line's start or after a space."""
    found = []
    for number, line in enumerate(code.split("\n"), 1):
        match = re.search(r"(?:^|\s)(#\s+)(\S.*)$", line)
        if match:
            found.append((number, match.start(1), match.group(2).strip()))
    return found


def literal_comments(code: str, language: str) -> list[Comment]:
    """The comments of a code block in ``language`` (Python's, or else a shell's)."""
    if language.lower() in ("python", "py", "python3", "pycon", "ipython"):
        return code_comments(code)
    return shell_comments(code)


def translate_comments(
    code: str, lookup: Callable[[str], str | None], language: str = "python"
) -> str:
    """``code`` with each comment that ``lookup`` knows replaced by its translation.

    Parameters
    ----------
    code : str
        A code block.
    lookup : callable
        A comment's text to its translation, or None to leave it as it is.
    language : str, optional
        The block's language (see :func:`literal_comments`).

    Returns
    -------
    str
        The same code; only the comments changed. A translated comment runs to the end of
        its line, like the original.
    """
    lines = code.split("\n")
    for number, column, text in reversed(literal_comments(code, language)):
        translated = lookup(text)
        if translated:
            line = lines[number - 1]
            lines[number - 1] = line[:column] + "# " + translated
    return "\n".join(lines)
