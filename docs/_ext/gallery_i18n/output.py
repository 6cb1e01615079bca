"""Printed output, rewritten line by line from the translations of its templates.

No gettext tool translates what a program printed: the values change on every run. The
templates come from the ``print`` calls of the lessons (:mod:`.source`), the sentences of
``ae_gallery`` itself (:data:`ae_gallery.messages.TEMPLATES`, read from the library, so a
changed sentence is followed without a copy here), and the words of Keras' model summary
and matplotlib's animation widget (below). Their translations are in the output catalog,
``gallery-output.po``. A translated line writes its numbers the language's way
(:func:`~.text.localized_numbers`); a sentence with plural forms takes the form of its
number (:func:`~.text.plural_index`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog

from ae_gallery import messages

from .catalogs import CTX_COMMENT, CTX_KERAS, CTX_OUTPUT, CTX_TERM, CTX_WIDGET, entry_state
from .catalogs import translation_of as lookup
from .source import example_messages
from .text import Template, fill_template, has_prose, localized_numbers, plural_index

__all__ = [
    "KERAS_TEMPLATES",
    "KERAS_TERMS",
    "OutputTranslator",
    "WIDGET_WORDS",
    "library_templates",
]

#: The words of Keras' ``model.summary()``: its header cells, then its lines with words.
KERAS_TERMS = ("Layer (type)", "Output Shape", "Param #")
KERAS_TEMPLATES = (
    'Model: "{name}"',
    "Total params: {count} ({size})",
    "Trainable params: {count} ({size})",
    "Non-trainable params: {count} ({size})",
)
#: The words of matplotlib's JavaScript animation widget (button titles, loop modes).
WIDGET_WORDS = (
    "Decrease speed",
    "First frame",
    "Previous frame",
    "Play backwards",
    "Pause",
    "Play",
    "Next frame",
    "Last frame",
    "Increase speed",
    "Repetition mode",
    "Once",
    "Loop",
    "Reflect",
    "Frame",
)


def library_templates() -> list[Template]:
    """Every sentence of ``ae_gallery.messages``, with what its placeholders may match."""
    return [Template(text, dict(patterns)) for text, patterns in messages.TEMPLATES]


class OutputTranslator:
    """Rewrites printed lines, comments and widget words from the output catalog.

    ``templates`` are the printed templates, ``terms`` the labels lessons print through a
    value. Every method that translates appends what it could not to ``problems``, a list
    the caller reports; that text stays English.
    """

    def __init__(
        self,
        catalog: Catalog | None,
        templates: Iterable[Template],
        terms: Iterable[str],
        language: str = "ru",
    ) -> None:
        self.catalog, self.language, self.terms = catalog, language, set(terms)
        # Only templates with words ("{0}: {1}" would match anything); the one that says
        # most first: "{0} epochs of batch {1}, {2} batches each" before "{0} epochs...".
        chosen = sorted(
            (t for t in dict.fromkeys(templates) if has_prose(t.text)),
            key=lambda t: (-len(t.literal.strip()), t.text),
        )
        self.regexes = [(t, t.regex()) for t in chosen]
        self.keras = [(t, t.regex()) for t in map(Template, KERAS_TEMPLATES)]
        # A message with a plural is found in the catalog by its singular.
        self.singular = {plural: singular for singular, plural in messages.PLURALS}

    @classmethod
    def for_examples(cls, catalog: Catalog | None, examples: Path, language: str = "ru"):
        """A translator for the lessons in ``examples`` and the library they print through."""
        templates, terms = [], []
        for path in sorted(examples.glob("*.py")):
            found, found_terms = example_messages(path.read_text(encoding="utf-8"))
            templates += [Template(t) for t in found]
            terms += found_terms
        return cls(catalog, [*templates, *library_templates()], terms, language)

    def get(self, msgid: str, context: str) -> str:
        """The translation of ``msgid`` under ``context``, or "" (the last form of a plural)."""
        found = lookup(self.catalog, msgid, context)
        return found[-1] if isinstance(found, tuple) else found

    def _missing(self, problems: list[str], what: str, msgid: str, context: str) -> None:
        problems.append(f"{entry_state(self.catalog, msgid, context)} {what} {msgid!r}")

    def _value(self, value: str, problems: list[str]) -> str:
        """A captured value: a term, a sentence of its own, or a value kept as it is."""
        stripped = value.strip()
        if stripped in self.terms:
            translated = self.get(stripped, CTX_TERM)
            if not translated:
                self._missing(problems, "term", stripped, CTX_TERM)
                translated = stripped
        else:
            translated = self.line(stripped, problems, inner=True) or stripped
        # A value padded with spaces was a column of a table: the translation keeps the
        # column. One space is a clause's own (" (the fit asks for ...)").
        lead = len(value) - len(value.lstrip(" "))
        if lead == 1:
            return " " + translated
        if lead:
            return translated.rjust(len(value))
        return translated.ljust(len(value)) if value.endswith(" ") else translated

    def _form(self, template: Template, values: dict[str, str], problems: list[str]) -> str:
        """The translation of a matched template, in the plural form of its first number."""
        msgid = self.singular.get(template.text, template.text)
        found = lookup(self.catalog, msgid, CTX_OUTPUT)
        if not found:
            self._missing(problems, "printed template", msgid, CTX_OUTPUT)
            return template.text
        if isinstance(found, str):
            return found
        number = next((v for v in values.values() if re.fullmatch(r"[\d,]+", v.strip())), "2")
        return found[plural_index(int(number.replace(",", "")), self.language, len(found))]

    def line(self, text: str, problems: list[str], inner: bool = False) -> str | None:
        """The translation of one printed line (leading spaces kept), or None when no
        template matches it and it is no row of labels either. ``inner``: a value inside
        another line, which only a whole template may match."""
        indent = len(text) - len(text.lstrip(" "))
        for template, regex in self.regexes:
            match = regex.fullmatch(text.lstrip(" "))
            if match is None:
                continue
            raw = template.values(match)
            values = {name: self._value(v, problems) for name, v in raw.items()}
            translated = localized_numbers(
                fill_template(self._form(template, raw, problems), values), self.language
            )
            # A literal block loses its common indentation: shift the translation as much
            # as the line was shifted against its template.
            shift = indent - (len(template.text) - len(template.text.lstrip(" ")))
            lead = len(translated) - len(translated.lstrip(" "))
            return " " * max(lead + shift, 0) + translated.lstrip(" ")
        return None if inner else self._terms_in_place(text, problems)

    def _terms_in_place(self, text: str, problems: list[str]) -> str | None:
        """A row of values and labels: its labels translated where they stand (right-aligned
        ones stay right-aligned); None when the line has no label, or other words."""
        remaining, found = text, False
        for term in sorted(self.terms, key=len, reverse=True):
            if term not in remaining:
                continue
            found, remaining = True, remaining.replace(term, " ")
            translated = self.get(term, CTX_TERM)
            if not translated:
                self._missing(problems, "term", term, CTX_TERM)
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
        return localized_numbers(text, self.language)

    def keras_line(self, text: str, problems: list[str]) -> str:
        """A line of Keras' model summary: its words translated, its table kept square."""
        stripped = text.strip()
        for template, regex in self.keras:
            match = regex.fullmatch(stripped)
            if match:
                msgstr = self.get(template.text, CTX_KERAS)
                if not msgstr:
                    self._missing(problems, "Keras line", template.text, CTX_KERAS)
                    return text
                filled = fill_template(msgstr, template.values(match))
                return text[: len(text) - len(text.lstrip())] + localized_numbers(
                    filled, self.language
                )
        if "┃" not in text:
            # A row of layers: its counts the language's way ("6,400" reads as 6.4 in
            # Russian), each as wide as before, so that the table stays square.
            return localized_numbers(text, self.language) if "│" in text else text
        cells = text.split("┃")  # the header row: each cell translated, its width kept
        for i, cell in enumerate(cells):
            if cell.strip() in KERAS_TERMS:
                translated = self.get(cell.strip(), CTX_KERAS)
                if not translated:
                    self._missing(problems, "Keras word", cell.strip(), CTX_KERAS)
                    continue
                width = len(cell) - 2
                right = cell.startswith("  ")  # Param # is right-aligned
                cells[i] = f" {translated.rjust(width) if right else translated.ljust(width)} "
        return "┃".join(cells)

    def output_block(self, text: str) -> tuple[str, list[str]]:
        """What a lesson's cell printed, translated line by line, and what could not be."""
        problems: list[str] = []
        out, in_summary = [], False
        for line in text.split("\n"):
            in_summary = in_summary or line.startswith('Model: "')
            if in_summary:
                out.append(self.keras_line(line, problems))
                in_summary = not line.strip().startswith("Non-trainable params")
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
        """The raw HTML of matplotlib's animation widget: its words and its frame's alt text."""

        def word(match: re.Match[str]) -> str:
            english = html.unescape(match.group(2))
            if english not in WIDGET_WORDS:
                return match.group(0)
            translated = self.get(english, CTX_WIDGET)
            if not translated:
                self._missing(problems, "widget word", english, CTX_WIDGET)
                return match.group(0)
            return match.group(1) + html.escape(translated) + match.group(3)

        def alt(match: re.Match[str]) -> str:
            translated = self.line(html.unescape(match.group(2)), problems, inner=True)
            if translated is None:
                problems.append(f"untranslated figure alt text {match.group(2)!r}")
                return match.group(0)
            return match.group(1) + html.escape(translated) + match.group(3)

        raw = re.sub(r'((?:title|aria-label)=")([^"]*)(")', word, raw)
        raw = re.sub(r'(<img alt=")([^"]*)(")', alt, raw)
        return re.sub(r"(<label for=\"_anim_radio\d_[^\"]*\">)([^<]*)(</label>)", word, raw)
