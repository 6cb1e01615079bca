"""Printed output: each printed line rewritten from its template's translation.

The templates come from three places: the ``print`` calls of the lessons
(:func:`~gallery_i18n.source.example_messages`), the sentences of ``ae_gallery`` itself
(:data:`ae_gallery.messages.TEMPLATES`, read from the library so that a changed sentence
is followed without a copy here) and the lines of Keras' ``model.summary()``
(:mod:`.words`). Their translations are in the output
catalog (``gallery-output.po``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog

from ae_gallery import messages

from .catalogs import (
    CTX_COMMENT,
    CTX_KERAS,
    CTX_OUTPUT,
    CTX_TERM,
    CTX_WIDGET,
    entry_state,
    translation_of,
)
from .source import example_messages
from .templates import Template, fill_template, has_prose
from .words import KERAS_TEMPLATES, KERAS_TERMS, WIDGET_WORDS

__all__ = ["OutputTranslator", "is_script_output", "library_templates"]


def library_templates() -> list[Template]:
    """What ``ae_gallery`` prints, as templates: every sentence of ``ae_gallery.messages``.

    A placeholder matches any text unless the library says otherwise; a captured value is
    itself translated when a template matches it (a duration inside a summary).
    """
    return [Template(text, dict(patterns)) for text, patterns in messages.TEMPLATES]


def is_script_output(block) -> bool:
    """Whether a literal block (a docutils node) shows what a lesson printed, not code."""
    ancestor = block
    while ancestor is not None:
        if "sphx-glr-script-out" in ancestor.get("classes", []):
            return True
        ancestor = ancestor.parent
    return False


class OutputTranslator:
    """Rewrites printed lines, comments and widget words from the output catalog.

    Parameters
    ----------
    catalog : babel.messages.catalog.Catalog or None
        The output catalog of the target language (None: nothing is translated, and every
        line with words is reported).
    templates : iterable of Template
        The printed templates: the lessons' and the library's.
    terms : iterable of str
        The labels that lessons print through a value.

    Notes
    -----
    Every method that translates appends what it could not translate to ``problems``, a
    list the caller reports; the text then stays English.
    """

    def __init__(
        self, catalog: Catalog | None, templates: Iterable[Template], terms: Iterable[str]
    ) -> None:
        self.catalog = catalog
        # Only templates with words: "{0}" or "{0}: {1}" would match anything. The one
        # that says most is tried first: "{0} epochs of batch {1}, {2} batches each"
        # before "{0} epochs of batch {1}".
        self.templates = sorted(
            (t for t in dict.fromkeys(templates) if has_prose(t.text)),
            key=lambda t: (-len(t.literal.strip()), t.text),
        )
        self.regexes = [(t, t.regex()) for t in self.templates]
        self.terms = set(terms)
        keras = [Template(t, dict(p)) for t, p in KERAS_TEMPLATES]
        self.keras = [(t, t.regex()) for t in keras]

    @classmethod
    def for_examples(cls, catalog: Catalog | None, examples: Path) -> OutputTranslator:
        """A translator for the lessons in ``examples`` and the library they print through."""
        templates: list[Template] = []
        terms: list[str] = []
        for path in sorted(examples.glob("*.py")):
            found, found_terms = example_messages(path.read_text(encoding="utf-8"))
            templates += [Template(t) for t in found]
            terms += found_terms
        return cls(catalog, [*templates, *library_templates()], terms)

    def get(self, msgid: str, context: str) -> str:
        """The translation of ``msgid`` under ``context``, or ""."""
        return translation_of(self.catalog, msgid, context)

    def _state(self, msgid: str, context: str) -> str:
        return entry_state(self.catalog, msgid, context)

    def _value(self, value: str, problems: list[str]) -> str:
        """A captured value: a term, a sentence of its own, or a value kept as it is."""
        stripped = value.strip()
        if stripped in self.terms:
            translated = self.get(stripped, CTX_TERM)
            if not translated:
                problems.append(f"{self._state(stripped, CTX_TERM)} term {stripped!r}")
                translated = stripped
        else:
            translated = self.line(stripped, problems, inner=True)
            if translated is None:
                translated = stripped
        # A padded value was a column of a table: the translation keeps the column.
        if value.startswith(" "):
            return translated.rjust(len(value))
        if value.endswith(" "):
            return translated.ljust(len(value))
        return translated

    def line(self, text: str, problems: list[str], inner: bool = False) -> str | None:
        """The translation of one printed line.

        Parameters
        ----------
        text : str
            The line, as printed (leading spaces included).
        problems : list of str
            Receives what could not be translated.
        inner : bool, optional
            True for a value inside another line: only a whole template may match it.

        Returns
        -------
        str or None
            The line in the catalog's language; None when no template matches it and it
            is no row of labels either (see :meth:`_terms_in_place`).
        """
        indent = len(text) - len(text.lstrip(" "))
        for template, regex in self.regexes:
            match = regex.fullmatch(text.lstrip(" "))
            if match is None:
                continue
            msgstr = self.get(template.text, CTX_OUTPUT)
            if not msgstr:
                state = self._state(template.text, CTX_OUTPUT)
                problems.append(f"{state} printed template {template.text!r}")
                msgstr = template.text
            values = {name: self._value(v, problems) for name, v in template.values(match).items()}
            # A literal block loses its common indentation: shift the translation as much
            # as the line was shifted against its template.
            shift = indent - (len(template.text) - len(template.text.lstrip(" ")))
            translated = fill_template(msgstr, values)
            lead = len(translated) - len(translated.lstrip(" "))
            return " " * max(lead + shift, 0) + translated.lstrip(" ")
        return None if inner else self._terms_in_place(text, problems)

    def _terms_in_place(self, text: str, problems: list[str]) -> str | None:
        """A line of values and labels (a table row): its labels translated in place.

        A label keeps its column: right-aligned labels stay right-aligned, left-aligned ones
        left-aligned. None when the line has no label, or words besides its labels.
        """
        remaining, found = text, False
        for term in sorted(self.terms, key=len, reverse=True):
            if term not in remaining:
                continue
            found = True
            remaining = remaining.replace(term, " ")
            translated = self.get(term, CTX_TERM)
            if not translated:
                problems.append(f"{self._state(term, CTX_TERM)} term {term!r}")
                continue

            def replace(match: re.Match[str], translated: str = translated) -> str:
                lead, trail = match.group(1), match.group(3)
                if lead and not trail:  # right-aligned
                    return translated.rjust(len(match.group(0)))
                width = len(match.group(2)) + len(trail)
                return lead + translated.ljust(width if len(translated) < width else 0)

            text = re.sub(r"( *)(" + re.escape(term) + r")( *)", replace, text)
        if not found or has_prose(remaining):
            return None
        return text

    def keras_line(self, text: str, problems: list[str]) -> str:
        """A line of Keras' model summary: its words translated, its table kept square."""
        stripped = text.strip()
        for template, regex in self.keras:
            match = regex.fullmatch(stripped)
            if match:
                msgstr = self.get(template.text, CTX_KERAS)
                if not msgstr:
                    state = self._state(template.text, CTX_KERAS)
                    problems.append(f"{state} Keras line {template.text!r}")
                    return text
                indent = text[: len(text) - len(text.lstrip())]
                return indent + fill_template(msgstr, template.values(match))
        if "┃" in text:  # the header row: translate each cell, keep its width
            cells = text.split("┃")
            for i, cell in enumerate(cells):
                word = cell.strip()
                if word in KERAS_TERMS:
                    translated = self.get(word, CTX_KERAS)
                    if not translated:
                        problems.append(f"{self._state(word, CTX_KERAS)} {word!r}")
                        continue
                    width = len(cell) - 2
                    if cell.startswith("  "):  # right-aligned (Param #)
                        cells[i] = " " + translated.rjust(width) + " "
                    else:
                        cells[i] = " " + translated.ljust(width) + " "
            return "┃".join(cells)
        return text

    def output_block(self, text: str) -> tuple[str, list[str]]:
        """A printed block, translated line by line.

        Parameters
        ----------
        text : str
            What a lesson's code cell printed.

        Returns
        -------
        text : str
            The block in the catalog's language; a line that cannot be translated stays.
        problems : list of str
            What could not be translated, one sentence each.
        """
        problems: list[str] = []
        out = []
        in_summary = False
        for line in text.split("\n"):
            if line.startswith('Model: "'):
                in_summary = True
            if in_summary:
                out.append(self.keras_line(line, problems))
                if line.strip().startswith("Non-trainable params"):
                    in_summary = False
                continue
            translated = self.line(line, problems) if line.strip() else line
            if translated is None:
                translated = line
                if has_prose(line):
                    problems.append(f"printed line matches no template: {line.strip()!r}")
            out.append(translated)
        return "\n".join(out), problems

    def comment(self, text: str) -> str | None:
        """The translation of a code comment, or None."""
        return self.get(text, CTX_COMMENT) or None

    def widget(self, raw: str, problems: list[str]) -> str:
        """The raw HTML of matplotlib's animation widget with its words translated."""

        def replace(match: re.Match[str]) -> str:
            word = html.unescape(match.group(2))
            if word not in WIDGET_WORDS:
                return match.group(0)
            translated = self.get(word, CTX_WIDGET)
            if not translated:
                problems.append(f"{self._state(word, CTX_WIDGET)} widget word {word!r}")
                return match.group(0)
            return match.group(1) + html.escape(translated) + match.group(3)

        def described(match: re.Match[str]) -> str:
            english = html.unescape(match.group(2))
            translated = self.line(english, problems, inner=True)
            if translated is None:
                problems.append(f"untranslated figure alt text {english!r}")
                return match.group(0)
            return match.group(1) + html.escape(translated) + match.group(3)

        raw = re.sub(r'((?:title|aria-label)=")([^"]*)(")', replace, raw)
        raw = re.sub(r'(<img alt=")([^"]*)(")', described, raw)
        return re.sub(r"(<label for=\"_anim_radio\d_[^\"]*\">)([^<]*)(</label>)", replace, raw)
