"""The site in other languages: what Sphinx's gettext does not translate by itself.

Sphinx translates the prose of every page from the catalogs in ``docs/locale/<lang>/``. A
sphinx-gallery page shows more than prose, and this extension handles the rest, in every
build whose ``language`` is not English:

* **Printed output.** The lessons run once, in English, and a second language never runs
  them again, so what they printed is in the generated page as it came out. Each printed
  line is matched against *templates*, the English sentences with their values left out
  (``mean distance of the data to the true curve: {0}``), and rewritten from the template's
  translation with the same values. The templates come from the ``print`` calls of the
  lessons (read from their source, so they never depend on a run: a timing or a "loaded
  from cache" cannot change them), from :data:`LIBRARY_TEMPLATES` (what ``ae_gallery``
  prints) and from :data:`KERAS_TERMS` (the words of Keras' model summary). Their
  translations are in the catalog ``gallery-output.po``.
* **Raw HTML and attributes.** The thumbnails' titles and tooltips, the image alt text and
  the words of matplotlib's animation widget.
* **Downloads.** The ``.py``, ``.ipynb`` and ``.zip`` files of a translated page are
  translated too: prose cells and comments (the code and its strings stay as they are).
* **The check.** Every translatable entry of a page must be translated: an untranslated,
  fuzzy or missing entry, or a printed line that no template matches, is a warning (so an
  error under ``-W``) that names the catalog and the entry.

Run as a script, the module also serves ``nox -s gettext``: ``extract`` writes the output
catalog's template (``gallery-output.pot``), ``fill`` fills the entries that need no
translator and ``stats`` prints the share of translated entries per catalog. See
``docs/translation.rst``.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import html
import io
import re
import string
import sys
import tempfile
import textwrap
import tokenize
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

SOURCE_LANGUAGE = "en"
#: The catalog (``<domain>.po``) of everything that is not page prose.
OUTPUT_DOMAIN = "gallery-output"

# Message contexts of the output catalog.
CTX_OUTPUT = "printed output"
CTX_TERM = "printed term"
CTX_COMMENT = "code comment"
CTX_FIGURE = "figure alt text"
CTX_WIDGET = "animation widget"
CTX_KERAS = "keras summary"
CTX_BOILERPLATE = "sphinx-gallery boilerplate"
CTX_THEME = "theme label"
CTX_SITE = "site"
#: The date written into the templates this module makes: a fixed one, so that an unchanged
#: template is an unchanged file.
_FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
#: The gettext build's list of what it found outside the prose (comments, site strings).
COLLECTED = f"{OUTPUT_DOMAIN}.json"

#: What ``ae_gallery`` prints, as templates: ``training.budget_note``,
#: ``TrainingRun.summary`` and the pieces they are made of (``Budget.describe``, the
#: durations, ``describe_device``). A placeholder matches any text unless the second
#: element says otherwise; a captured value is itself translated when a template matches it.
#: When the library's wording changes, change it here too: a printed line that no template
#: matches fails the translated builds.
NUMBER = r"[0-9][0-9.,e+-]*"
LIBRARY_TEMPLATES: tuple[tuple[str, dict[str, str]], ...] = (
    ("Profile {profile}: {budget}, the article's budget.", {}),
    ("Profile {profile}: {budget} (not in the article).", {}),
    (
        "Profile {profile}: {budget}, a shorter budget than the article's {full} "
        "(the full profile trains the article's).",
        {},
    ),
    ("{epochs} epochs of batch {batch}", {"epochs": NUMBER, "batch": NUMBER}),
    (
        "{epochs} epochs of batch {batch}, {steps} batches each",
        {"epochs": NUMBER, "batch": NUMBER, "steps": NUMBER},
    ),
    ("{epochs} epoch of batch {batch}", {"epochs": NUMBER, "batch": NUMBER}),
    (
        "{epochs} epoch of batch {batch}, {steps} batches each",
        {"epochs": NUMBER, "batch": NUMBER, "steps": NUMBER},
    ),
    ("{name}: trained {budget} in {time} on {device}; profile {profile}; final {losses}.", {}),
    (
        "{name}: loaded from cache (trained {budget} in {time} on {device}); "
        "profile {profile}; final {losses}.",
        {},
    ),
    ("{seconds} s", {"seconds": NUMBER}),
    ("{minutes} min {seconds} s", {"minutes": NUMBER, "seconds": NUMBER}),
    ("{hours} h {minutes} min", {"hours": NUMBER, "minutes": NUMBER}),
    ("CPU ({name}, {cores} cores)", {"cores": NUMBER}),
)

#: The words of Keras' ``model.summary()``: its header cells, and its closing lines.
KERAS_TERMS = ("Layer (type)", "Output Shape", "Param #")
KERAS_TEMPLATES: tuple[tuple[str, dict[str, str]], ...] = (
    ('Model: "{name}"', {}),
    ("Total params: {count} ({size})", {"count": NUMBER}),
    ("Trainable params: {count} ({size})", {"count": NUMBER}),
    ("Non-trainable params: {count} ({size})", {"count": NUMBER}),
)

#: The alt text of the lessons' figures: the page's title and the figure's number.
FIGURE_ALT = "{title}, figure {number}"

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
)

#: Labels that furo writes into every page without passing them through gettext (screen
#: readers read them; the last one shows when the keyboard reaches it).
THEME_LABELS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Toggle navigation of {name}",
    "Skip to content",
    # The titles of furo's icons (a tooltip over the theme switch, for example).
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)

#: The theme's words that Sphinx's own catalogs lack (furo's templates, and the message of
#: the search page, whose Russian in Sphinx's catalog is empty). ``extract`` adds them to
#: ``sphinx.pot``, the catalog of the templates' words, so that they are translated in
#: ``sphinx.po`` like the rest.
THEME_WORDS: tuple[str | tuple[str, str], ...] = (
    "On this page",
    "Next",
    "Previous",
    "Back to top",
    "Home",
    "Error",
    "Made with ",
    '<a href="https://www.sphinx-doc.org/">Sphinx</a> and ',
    "Please activate JavaScript to enable the search functionality.",
    "Edit this page",
    "View this page",
    "Copyright &#169; %(copyright)s",
    '<a href="%(path)s">Copyright</a> &#169; %(copyright)s',
    (
        "Search finished, found one page matching the search query.",
        "Search finished, found ${resultCount} pages matching the search query.",
    ),
)

#: sphinx-gallery's own sentences on the pages, as templates: ``fill`` translates every
#: page's copy of them from the output catalog, so a new lesson needs no translator for them.
BOILERPLATE_TEMPLATES: tuple[tuple[str, dict[str, str]], ...] = (
    (":ref:`Go to the end <{target}>` to download the full example code.", {}),
    (":download:`Download Jupyter notebook: {file} <{target}>`", {}),
    (":download:`Download Python source code: {file} <{target}>`", {}),
    (":download:`Download zipped: {file} <{target}>`", {}),
    (":download:`Download all examples in Python source code: {file} <{target}>`", {}),
    (":download:`Download all examples in Jupyter notebooks: {file} <{target}>`", {}),
    ("`Gallery generated by Sphinx-Gallery <{url}>`_", {}),
    ("Examples using ``{name}``", {}),
)


# ----------------------------------------------------------------------------------------
# Templates


@dataclass(frozen=True)
class Template:
    """An English sentence with named or numbered placeholders, in ``str.format`` syntax."""

    text: str
    patterns: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def fields(self) -> list[str]:
        return [name for _, name, _, _ in string.Formatter().parse(self.text) if name]

    @property
    def literal(self) -> str:
        return "".join(lit for lit, *_ in string.Formatter().parse(self.text))

    def regex(self) -> re.Pattern[str]:
        """Matches a line with this template's text; leading spaces are not part of it."""
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.text.lstrip(" ")):
            parts.append(re.escape(literal))
            if name is not None:
                pattern = self.patterns.get(name, ".+?")
                parts.append(f"(?P<{_group(name)}>{pattern})")
        return re.compile("".join(parts), re.DOTALL)


def _group(name: str) -> str:
    return f"p{name}" if name.isdigit() else name


def fill_template(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders replaced (no format specs; ``{{`` is a brace)."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


def has_prose(text: str) -> bool:
    """Whether ``text`` holds words, once code, targets and identifiers are left out.

    A role's or a link's own title is text (``:doc:`the lessons <index>```); a role's
    target alone (``:func:`train```) and a literal (````full````) are code.
    """
    text = re.sub(r":[\w:.+-]+:`([^`<]*?)\s*<[^>`]*>`", r" \1 ", text)  # :role:`title <x>`
    text = re.sub(r":[\w:.+-]+:`[^`]*`", " ", text)  # :role:`target`
    text = re.sub(r"``[^`]*``", " ", text)  # ``literal``
    text = re.sub(r"`([^`<]*?)\s*<[^>`]*>`_*", r" \1 ", text)  # `title <url>`_
    text = re.sub(r"\S+\.(?:py|ipynb|zip|rst|html|txt)\b", " ", text)  # file names
    text = re.sub(r"\\", "", text)
    words = re.findall(r"[^\W\d_]+(?:[._][\w.]+)?", text)
    return any(len(w) > 1 and "_" not in w and "." not in w for w in words)


# ----------------------------------------------------------------------------------------
# What the lessons print and say in comments, read from their source


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
    """The template of one ``print(...)`` call: its text with each computed value a ``{n}``."""
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

    Terms are the labels a lesson prints through a placeholder: the string keys of its dict
    literals, the strings of the tuples a ``for`` loop walks and the first strings of
    (label, value) pairs in a list, when they have words (``linear_ae`` is a name).
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


def code_comments(code: str) -> list[tuple[int, int, str]]:
    """The comments of a piece of Python code: (line, column, text without ``# ``)."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                text = token.string[1:].strip()
                if text and not re.match(r"(noqa|type:|sphinx_gallery_|%%)", text):
                    found.append((token.start[0], token.start[1], text))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # IPython magics (%pip) are not Python: read such lines one by one.
        for number, line in enumerate(code.splitlines(), 1):
            stripped = line.lstrip()
            if stripped.startswith("#") and stripped[1:].strip():
                found.append((number, len(line) - len(stripped), stripped[1:].strip()))
    return found


def shell_comments(code: str) -> list[tuple[int, int, str]]:
    """The comments of a shell example: ``#`` at a line's start or after a space."""
    found = []
    for number, line in enumerate(code.split("\n"), 1):
        match = re.search(r"(?:^|\s)(#\s+)(\S.*)$", line)
        if match:
            found.append((number, match.start(1), match.group(2).strip()))
    return found


def literal_comments(code: str, language: str) -> list[tuple[int, int, str]]:
    if language.lower() in ("python", "py", "python3", "pycon", "ipython"):
        return code_comments(code)
    return shell_comments(code)


def translate_comments(
    code: str, lookup: Callable[[str], str | None], language: str = "python"
) -> str:
    """``code`` with each comment that ``lookup`` knows replaced by its translation."""
    lines = code.split("\n")
    for number, column, text in reversed(literal_comments(code, language)):
        translated = lookup(text)
        if translated:
            line = lines[number - 1]
            lines[number - 1] = line[:column] + "# " + translated
    return "\n".join(lines)


def _example_code_blocks(path: Path) -> list[str]:
    from sphinx_gallery.py_source_parser import split_code_and_text_blocks

    _, blocks = split_code_and_text_blocks(str(path))
    return [content for label, content, _ in blocks if label == "code"]


def output_catalog(
    examples: Path, first_notebook_cell: str, collected: dict | None = None
) -> Catalog:
    """The output catalog's template: everything of :data:`OUTPUT_DOMAIN`.

    ``collected`` is what the gettext build found in the pages: the comments of their
    code blocks and the site's own strings (see :func:`_collect`).
    """
    collected = collected or {}
    catalog = Catalog(project="ae-gallery", fuzzy=False)

    def add(msgid: str, context: str, comment: str) -> None:
        if msgid not in [m.id for m in catalog if m.context == context]:
            catalog.add(msgid, context=context, auto_comments=[comment])

    for path in sorted(examples.glob("*.py")):
        templates, terms = example_messages(path.read_text(encoding="utf-8"))
        for template in templates:
            if has_prose(template):
                add(template, CTX_OUTPUT, f"printed by examples/{path.name}")
        for term in terms:
            add(term, CTX_TERM, f"a label that examples/{path.name} prints")
        for code in _example_code_blocks(path):
            for _, _, text in code_comments(code):
                add(text, CTX_COMMENT, f"a comment in examples/{path.name}")
    for _, _, text in code_comments(first_notebook_cell):
        add(text, CTX_COMMENT, "a comment in the first cell of every notebook")
    for text, where in sorted(collected.get("comments", {}).items()):
        add(text, CTX_COMMENT, f"a comment in a code block of {where}")
    for name, text in sorted(collected.get("site", {}).items()):
        add(text, CTX_SITE, f"the site's {name} (conf.py), shown in every page")
    for template, _ in LIBRARY_TEMPLATES:
        add(template, CTX_OUTPUT, "printed by ae_gallery (LIBRARY_TEMPLATES)")
    for template, _ in KERAS_TEMPLATES:
        add(template, CTX_KERAS, "a line of Keras' model.summary()")
    for term in KERAS_TERMS:
        add(term, CTX_KERAS, "a column of Keras' model.summary()")
    add(FIGURE_ALT, CTX_FIGURE, "alt text of a lesson's figure: {title} is the page's title")
    for word in WIDGET_WORDS:
        add(word, CTX_WIDGET, "matplotlib's animation widget")
    for label in THEME_LABELS:
        add(label, CTX_THEME, "an aria-label that furo writes in every page")
    for template, _ in BOILERPLATE_TEMPLATES:
        add(template, CTX_BOILERPLATE, "sphinx-gallery's text; fills every page's copy")
    return catalog


# ----------------------------------------------------------------------------------------
# Catalogs


def read_catalog(path: Path) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return read_po(f)


def translation_of(catalog: Catalog | None, msgid: str, context: str | None = None) -> str:
    """The translation, or "" when there is none (missing, empty or fuzzy)."""
    if catalog is None:
        return ""
    message = catalog.get(msgid, context=context)
    if message is None or message.fuzzy or not message.string:
        return ""
    return message.string


def entry_state(catalog: Catalog | None, msgid: str, context: str | None = None) -> str:
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


class OutputTranslator:
    """Rewrites printed lines, comments and widget words from the output catalog."""

    def __init__(self, catalog: Catalog | None, examples: Path) -> None:
        self.catalog = catalog
        templates: list[Template] = []
        terms: list[str] = []
        for path in sorted(examples.glob("*.py")):
            found, found_terms = example_messages(path.read_text(encoding="utf-8"))
            templates += [Template(t) for t in found]
            terms += found_terms
        templates += [Template(t, dict(p)) for t, p in LIBRARY_TEMPLATES]
        # Only templates with words: "{0}" or "{0}: {1}" would match anything.
        self.templates = sorted(
            (t for t in dict.fromkeys(templates) if has_prose(t.text)),
            key=lambda t: (-len(t.literal.strip()), t.text),
        )
        self.regexes = [(t, t.regex()) for t in self.templates]
        self.terms = set(terms)
        keras = [Template(t, dict(p)) for t, p in KERAS_TEMPLATES]
        self.keras = [(t, t.regex()) for t in keras]

    def get(self, msgid: str, context: str) -> str:
        return translation_of(self.catalog, msgid, context)

    def _value(self, value: str, problems: list[str]) -> str:
        stripped = value.strip()
        if stripped in self.terms:
            translated = self.get(stripped, CTX_TERM)
            if not translated:
                problems.append(
                    f"{entry_state(self.catalog, stripped, CTX_TERM)} term {stripped!r}"
                )
                translated = stripped
        else:
            translated = self.line(stripped, problems, inner=True)
            if translated is None:
                translated = stripped
        if value.startswith(" "):
            return translated.rjust(len(value))
        if value.endswith(" "):
            return translated.ljust(len(value))
        return translated

    def line(self, text: str, problems: list[str], inner: bool = False) -> str | None:
        """The translation of one printed line; None when it cannot be translated."""
        indent = len(text) - len(text.lstrip(" "))
        for template, regex in self.regexes:
            match = regex.fullmatch(text.lstrip(" "))
            if match is None:
                continue
            msgstr = self.get(template.text, CTX_OUTPUT)
            if not msgstr:
                state = entry_state(self.catalog, template.text, CTX_OUTPUT)
                problems.append(f"{state} printed template {template.text!r}")
                msgstr = template.text
            values = {
                name: self._value(match.group(_group(name)), problems) for name in template.fields()
            }
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
        left-aligned.
        """
        remaining, found = text, False
        for term in sorted(self.terms, key=len, reverse=True):
            if term not in remaining:
                continue
            found = True
            remaining = remaining.replace(term, " ")
            translated = self.get(term, CTX_TERM)
            if not translated:
                problems.append(f"{entry_state(self.catalog, term, CTX_TERM)} term {term!r}")
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
        stripped = text.strip()
        for template, regex in self.keras:
            match = regex.fullmatch(stripped)
            if match:
                msgstr = self.get(template.text, CTX_KERAS)
                if not msgstr:
                    problems.append(
                        f"{entry_state(self.catalog, template.text, CTX_KERAS)} "
                        f"Keras line {template.text!r}"
                    )
                    return text
                values = {name: match.group(_group(name)) for name in template.fields()}
                return text[: len(text) - len(text.lstrip())] + fill_template(msgstr, values)
        if "┃" in text:  # the header row: translate each cell, keep its width
            cells = text.split("┃")
            for i, cell in enumerate(cells):
                word = cell.strip()
                if word in KERAS_TERMS:
                    translated = self.get(word, CTX_KERAS)
                    if not translated:
                        problems.append(f"{entry_state(self.catalog, word, CTX_KERAS)} {word!r}")
                        continue
                    width = len(cell) - 2
                    if cell.startswith("  "):  # right-aligned (Param #)
                        cells[i] = " " + translated.rjust(width) + " "
                    else:
                        cells[i] = " " + translated.ljust(width) + " "
            return "┃".join(cells)
        return text

    def output_block(self, text: str) -> tuple[str, list[str]]:
        """A printed block, translated line by line, and what could not be translated."""
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
        return self.get(text, CTX_COMMENT) or None

    def widget(self, raw: str, problems: list[str]) -> str:
        def replace(match: re.Match[str]) -> str:
            word = html.unescape(match.group(2))
            if word not in WIDGET_WORDS:
                return match.group(0)
            translated = self.get(word, CTX_WIDGET)
            if not translated:
                problems.append(
                    f"{entry_state(self.catalog, word, CTX_WIDGET)} widget word {word!r}"
                )
                return match.group(0)
            return match.group(1) + html.escape(translated) + match.group(3)

        raw = re.sub(r'((?:title|aria-label)=")([^"]*)(")', replace, raw)
        return re.sub(r"(<label for=\"_anim_radio\d_[^\"]*\">)([^<]*)(</label>)", replace, raw)


# ----------------------------------------------------------------------------------------
# Lessons' prose, for the downloads


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
        break_on_hyphens=False,
    )
    return [line.replace("\0", " ") for line in lines] or [first.rstrip()]


def translate_rst(text: str, lookup: Callable[[str], str | None], width: int) -> str:
    """Translate the paragraphs, titles and list items of a lesson's reST text.

    ``lookup`` takes the entry as Sphinx's catalogs hold it (lines joined by spaces) and
    returns the translation, or None; an entry without one stays English. Directives and
    indented blocks (math, literal blocks) are kept as they are.
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
        elif _BULLET.match(first):
            items: list[tuple[str, list[str]]] = []
            for line in lines:
                match = _BULLET.match(line)
                if match and len(match.group(1)) == len(_BULLET.match(first).group(1)):
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


def translate_example(
    source: str,
    lookup: Callable[[str], str | None],
    comment: Callable[[str], str | None],
    width: int = 88,
) -> str:
    """A lesson's source with its docstring, text cells and comments translated."""
    tree = ast.parse(source)
    lines = source.split("\n")
    out: list[str] = []
    doc = tree.body[0] if tree.body and isinstance(tree.body[0], ast.Expr) else None
    start = 0
    if doc is not None and isinstance(doc.value, ast.Constant) and isinstance(doc.value.value, str):
        begin, end = doc.lineno - 1, doc.end_lineno - 1
        opening, closing = lines[begin], lines[end]
        quote = opening.strip()
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


def prose_lookup(catalog: Catalog | None, missing: list[str]) -> Callable[[str], str | None]:
    def lookup(msgid: str) -> str | None:
        translated = translation_of(catalog, msgid)
        if not translated and has_prose(msgid):
            missing.append(msgid)
        return translated or None

    return lookup


# ----------------------------------------------------------------------------------------
# Sphinx


def _locale_dir(app) -> Path:
    return Path(app.srcdir) / app.config.locale_dirs[0] / app.config.language / "LC_MESSAGES"


def _examples_dir(app) -> Path:
    return Path(app.config.sphinx_gallery_conf["examples_dirs"])


def _translating(app) -> bool:
    from sphinx.builders.gettext import MessageCatalogBuilder

    language = app.config.language or SOURCE_LANGUAGE
    return language != SOURCE_LANGUAGE and not isinstance(app.builder, MessageCatalogBuilder)


class _State:
    """Per-build caches of catalogs (read once per process)."""

    def __init__(self) -> None:
        self.catalogs: dict[Path, Catalog | None] = {}
        self.translator: OutputTranslator | None = None
        self.thumbnails: dict[str, str] | None = None

    def catalog(self, path: Path) -> Catalog | None:
        if path not in self.catalogs:
            self.catalogs[path] = read_catalog(path)
        return self.catalogs[path]


_STATE = _State()


def _output_translator(app) -> OutputTranslator:
    if _STATE.translator is None:
        path = _locale_dir(app) / f"{OUTPUT_DOMAIN}.po"
        _STATE.translator = OutputTranslator(_STATE.catalog(path), _examples_dir(app))
    return _STATE.translator


def _thumbnail_texts(app) -> dict[str, str]:
    """English thumbnail title or tooltip -> its translation, from the lessons' catalogs."""
    from sphinx_gallery.gen_rst import _sanitize_rst

    if _STATE.thumbnails is None:
        texts: dict[str, str] = {}
        gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
        for path in sorted(_examples_dir(app).glob("*.py")):
            catalog = _STATE.catalog(_locale_dir(app) / gallery / f"{path.stem}.po")
            for message in catalog or ():
                if message.id and message.string and not message.fuzzy:
                    english = _sanitize_rst(message.id.replace("\n", " "))
                    texts[english] = _sanitize_rst(message.string.replace("\n", " "))
        _STATE.thumbnails = texts
    return _STATE.thumbnails


def _note(app, path: Path) -> None:
    if path.exists():
        app.env.note_dependency(str(path))


def _problem(app, node, docname: str, text: str) -> None:
    from sphinx.util import logging

    logging.getLogger(__name__).warning(text, location=node, type="i18n", subtype="untranslated")
    app.env.i18n_problem_docs = getattr(app.env, "i18n_problem_docs", set()) | {docname}


def _is_api_detail(node) -> bool:
    """An entry of an object's description past its summary (its first paragraph)."""
    from docutils import nodes
    from sphinx import addnodes

    parent = node
    while parent is not None:
        if isinstance(parent, addnodes.desc_content):
            first = next(iter(parent.findall(nodes.paragraph)), None)
            return first is not node
        parent = parent.parent
    return False


def _is_gettext(app) -> bool:
    from sphinx.builders.gettext import MessageCatalogBuilder

    return isinstance(app.builder, MessageCatalogBuilder)


def _is_script_output(block) -> bool:
    ancestor = block
    while ancestor is not None:
        if "sphx-glr-script-out" in ancestor.get("classes", []):
            return True
        ancestor = ancestor.parent
    return False


def _collect_comments(app, doctree, docname: str) -> None:
    """In the gettext build: the comments of the pages' code blocks, for the output catalog."""
    from docutils import nodes

    gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
    if docname.startswith(gallery + "/"):
        return  # the lessons' comments are read from their source
    found = getattr(app.env, "i18n_comments", {})
    found[docname] = sorted(
        {
            text
            for block in doctree.findall(nodes.literal_block)
            if not _is_script_output(block)
            for _, _, text in literal_comments(block.astext(), block.get("language", "none"))
            if has_prose(text)
        }
    )
    app.env.i18n_comments = found


def _write_collected(app, exception) -> None:
    """The gettext build's findings, for ``gallery_i18n.py extract``."""
    import json

    if exception is not None or not _is_gettext(app):
        return
    comments: dict[str, str] = {}
    for docname, texts in sorted(getattr(app.env, "i18n_comments", {}).items()):
        for text in texts:
            comments.setdefault(text, f"{docname}.rst")
    collected = {"comments": comments, "site": {"copyright": app.config.copyright}}
    path = Path(app.outdir) / COLLECTED
    path.write_text(json.dumps(collected, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def _require_current_lessons(app) -> None:
    """A translated build runs no lesson: it needs the pages the English build generated.

    sphinx-gallery would run a lesson whose page is out of date (the lesson or, through the
    stamp in ``conf.py``, ``ae_gallery`` changed since); a translated build refuses instead,
    so that every language shows the same run.
    """
    from sphinx.errors import SphinxError
    from sphinx_gallery.gen_rst import md5sum_is_current

    class LessonsOutOfDate(SphinxError):
        category = "Lessons out of date"

    if not _translating(app):
        return
    conf = app.config.sphinx_gallery_conf
    if not conf.get("plot_gallery", True) or str(conf.get("plot_gallery")) in ("0", "False"):
        return
    gallery = Path(app.srcdir) / conf["gallery_dirs"]
    pattern = re.compile(conf.get("filename_pattern", r"/plot_"))
    stale = [
        path.name
        for path in sorted(_examples_dir(app).glob("*.py"))
        if pattern.search(str(path)) and not md5sum_is_current(gallery / path.name, mode="t")
    ]
    if stale:
        raise LessonsOutOfDate(
            f"{', '.join(stale)}: out of date since the last {SOURCE_LANGUAGE} build. A "
            f"translated build ({app.config.language}) runs no lesson: build "
            f"{SOURCE_LANGUAGE} first (nox -s docs does)."
        )


def _check_site_strings(app) -> None:
    """The strings of every page that no page's catalog holds: the copyright, the labels."""
    from sphinx.util import logging

    if not _translating(app):
        return
    translator = _output_translator(app)
    wanted = [(app.config.copyright, CTX_SITE)] + [(label, CTX_THEME) for label in THEME_LABELS]
    for msgid, context in wanted:
        if not translator.get(msgid, context):
            state = entry_state(translator.catalog, msgid, context)
            logging.getLogger(__name__).warning(
                f"{state} {context} in {OUTPUT_DOMAIN}.po: {msgid!r}",
                type="i18n",
                subtype="untranslated",
            )


def _translate_site_strings(app, pagename, templatename, context, doctree) -> None:
    if _translating(app) and context.get("copyright"):
        translated = _output_translator(app).get(app.config.copyright, CTX_SITE)
        if translated:
            context["copyright"] = translated


def _is_thumbnail_raw(text: str) -> bool:
    return "sphx-glr-thumbcontainer" in text or "sphx-glr-thumbnail-title" in text


def _translate_doctree(app, doctree) -> None:
    """Everything after Sphinx's own translation (see the module's docstring)."""
    from docutils import nodes
    from sphinx.util.nodes import extract_messages
    from sphinx_gallery.directives import imgsgnode

    docname = app.env.docname
    translator = _output_translator(app) if _translating(app) else None
    gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
    in_gallery = docname.startswith(gallery + "/")

    # The figures' alt text (every language: sphinx-gallery's is the file name).
    images = list(doctree.findall(imgsgnode))
    if images:
        title_node = doctree.next_node(nodes.title)
        title = title_node.astext() if title_node else docname
        alt = translator.get(FIGURE_ALT, CTX_FIGURE) if translator else FIGURE_ALT
        if translator and not alt:
            _problem(app, images[0], docname, f"untranslated figure alt text {FIGURE_ALT!r}")
            alt = FIGURE_ALT
        for number, image in enumerate(images, 1):
            image["alt"] = fill_template(alt, {"title": title, "number": str(number)})

    if translator is None:
        if _is_gettext(app):
            _collect_comments(app, doctree, docname)
        return
    output_po = _locale_dir(app) / f"{OUTPUT_DOMAIN}.po"
    _note(app, output_po)

    # Printed output and comments in code.
    for block in list(doctree.findall(nodes.literal_block)):
        if _is_script_output(block):
            text, problems = translator.output_block(block.astext())
            for problem in problems:
                _problem(app, block, docname, f"printed output: {problem} (in {OUTPUT_DOMAIN}.po)")
            if text != block.astext():
                block.children = [nodes.Text(text)]
                block.rawsource = text
        else:
            language = block.get("language", "python" if in_gallery else "none")
            text = translate_comments(block.astext(), translator.comment, language)
            for _, _, comment in literal_comments(block.astext(), language):
                if not translator.comment(comment) and has_prose(comment):
                    state = entry_state(translator.catalog, comment, CTX_COMMENT)
                    _problem(app, block, docname, f"{state} code comment {comment!r}")
            if text != block.astext():
                block.children = [nodes.Text(text)]
                block.rawsource = text

    # Raw HTML: thumbnails (titles, tooltips) and the animation widget.
    for raw in doctree.findall(nodes.raw):
        text = raw.astext()
        problems: list[str] = []
        if _is_thumbnail_raw(text):
            texts = _thumbnail_texts(app)
            for path in sorted(_examples_dir(app).glob("*.py")):
                _note(app, _locale_dir(app) / gallery / f"{path.stem}.po")

            def replace(match: re.Match[str], texts=texts, problems=problems) -> str:
                english = html.unescape(match.group(2))
                translated = texts.get(english)
                if translated is None:
                    problems.append(f"untranslated thumbnail text {english[:60]!r}")
                    return match.group(0)
                return match.group(1) + html.escape(translated) + match.group(3)

            text = re.sub(r'(tooltip=")([^"]*)(")', replace, text)
            text = re.sub(r'(<div class="sphx-glr-thumbnail-title">)([^<]*)(</div>)', replace, text)
        if "anim-controls" in text:
            text = translator.widget(text, problems)
        for problem in problems:
            _problem(app, raw, docname, problem)
        if text != raw.astext():
            raw.children = [nodes.Text(text)]

    # The check: every entry of the page translated, except an object's details (API).
    catalog_path = _locale_dir(app) / f"{docname}.po"
    catalog = None
    counts = [0, 0, 0, 0]  # required, of which translated; exempt, of which translated
    for node, msg in extract_messages(doctree):
        exempt = _is_api_detail(node)
        counts[2 * exempt] += 1
        done = node.get("translated")
        if not done:
            # Sphinx marks nodes it translated, except a few (a toctree's caption): ask the
            # catalog about those.
            if catalog is None:
                catalog = read_catalog(catalog_path)
            state = entry_state(catalog, " ".join(msg.split("\n")))
            done = state == "translated"
        if done:
            counts[2 * exempt + 1] += 1
            continue
        if exempt:
            continue
        relative = catalog_path.relative_to(Path(app.srcdir))
        short = msg.replace("\n", " ")
        short = short if len(short) <= 70 else short[:67] + "..."
        _problem(app, node, docname, f"{state} entry in {relative}: {short!r}")
    app.env.i18n_counts = getattr(app.env, "i18n_counts", {}) | {docname: counts}


def _write_report(app, exception) -> None:
    """The share of translated entries per page, as this build applied them."""
    from sphinx.util import logging

    if exception is not None or not _translating(app):
        return
    counts = getattr(app.env, "i18n_counts", {})
    width = max([len(d) for d in counts] + [4])
    row = "{:<" + str(width) + "}  {:>9}  {:>8}  {:>13}"
    lines = [row.format("page", "required", "share", "API details")]
    total = [0, 0, 0, 0]
    for docname in sorted(counts):
        c = counts[docname]
        total = [a + b for a, b in zip(total, c, strict=True)]
        share = f"{100 * c[1] / c[0]:.1f}%" if c[0] else "-"
        details = f"{c[3]}/{c[2]}" if c[2] else ""
        lines.append(row.format(docname, f"{c[1]}/{c[0]}", share, details))
    share = f"{100 * total[1] / total[0]:.1f}%" if total[0] else "-"
    lines.append(row.format("all", f"{total[1]}/{total[0]}", share, f"{total[3]}/{total[2]}"))
    report = Path(app.outdir).parent / f"translation-{app.config.language}.txt"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logging.getLogger(__name__).info(
        f"translated entries ({app.config.language}): required {total[1]}/{total[0]} "
        f"({share}), API details {total[3]}/{total[2]}; per page in {report}"
    )


def _make_transform():
    from sphinx.transforms import SphinxTransform

    class GalleryTranslation(SphinxTransform):
        default_priority = 26  # after Locale (20) and its progress count (25)

        def apply(self, **kwargs) -> None:
            _translate_doctree(self.app, self.document)

    return GalleryTranslation


def _purge(app, env, docname: str) -> None:
    getattr(env, "i18n_problem_docs", set()).discard(docname)
    getattr(env, "i18n_comments", {}).pop(docname, None)
    getattr(env, "i18n_counts", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    env.i18n_problem_docs = getattr(env, "i18n_problem_docs", set()) | (
        getattr(other, "i18n_problem_docs", set()) & set(docnames)
    )
    comments = getattr(env, "i18n_comments", {})
    for docname, texts in getattr(other, "i18n_comments", {}).items():
        if docname in docnames:
            comments[docname] = texts
    env.i18n_comments = comments
    env.i18n_counts = getattr(env, "i18n_counts", {}) | {
        d: c for d, c in getattr(other, "i18n_counts", {}).items() if d in docnames
    }


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Pages that had something untranslated are read again, so that they warn again."""
    if not _translating(app):
        return []
    return sorted(getattr(env, "i18n_problem_docs", set()) - set(removed))


def _rewrite_theme_labels(app, exception) -> None:
    """furo's hard-coded labels, and Sphinx's search messages, in the page's language."""
    if exception is not None or not _translating(app) or app.builder.format != "html":
        return
    translator = _output_translator(app)
    templates = []
    for label in THEME_LABELS:
        template = Template(label)
        templates.append((template, template.regex(), translator.get(label, CTX_THEME)))

    def translate(match: re.Match[str]) -> str:
        value = html.unescape(match.group(2))
        for template, regex, msgstr in templates:
            found = regex.fullmatch(value)
            if found and msgstr:
                values = {n: found.group(_group(n)) for n in template.fields()}
                value = html.escape(fill_template(msgstr, values))
                return match.group(1) + value + match.group(3)
        return match.group(0)

    pattern = re.compile(
        r'(aria-label="|<a class="skip-to-content[^>]*>\s*|<symbol [^>]*>\s*<title>)'
        r'([^"<]*?)(\s*"|\s*</a>|</title>)'
    )
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = pattern.sub(translate, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    _patch_translations_js(app)


def _patch_translations_js(app) -> None:
    """Sphinx's search page takes its words from ``_static/translations.js``, made from
    Sphinx's own catalog, where some Russian entries are empty (the message after a
    search). Entries of the project's ``sphinx.po`` replace them."""
    import json

    path = Path(app.outdir) / "_static" / "translations.js"
    catalog = read_catalog(_locale_dir(app) / "sphinx.po")
    if not path.is_file() or catalog is None:
        return
    text = path.read_text(encoding="utf-8")
    start, end = text.index("(") + 1, text.rindex(")")
    data = json.loads(text[start:end])
    messages = data["messages"]
    changed = False
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in messages and message.string and not message.fuzzy:
            value = list(message.string) if isinstance(message.string, tuple) else message.string
            if messages[key] != value:
                messages[key] = value
                changed = True
    if changed:
        body = json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True)
        path.write_text(text[:start] + body + text[end:], encoding="utf-8")


def _translated_downloads(app, exception) -> None:
    """Replace the copied ``.py``, ``.ipynb`` and ``.zip`` files by translated ones."""
    if exception is not None or not _translating(app) or app.builder.format != "html":
        return
    from sphinx.util import logging
    from sphinx_gallery.notebook import jupyter_notebook, save_notebook
    from sphinx_gallery.py_source_parser import (
        remove_config_comments,
        split_code_and_text_blocks,
    )

    logger = logging.getLogger(__name__)
    conf = dict(app.config.sphinx_gallery_conf)
    translator = _output_translator(app)
    gallery = app.config.sphinx_gallery_conf["gallery_dirs"]
    gallery_src = Path(app.srcdir) / gallery
    first_cell = conf.get("first_notebook_cell")
    if first_cell:
        conf["first_notebook_cell"] = translate_comments(first_cell, translator.comment)

    translated: dict[str, bytes] = {}  # file name -> translated content
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(_examples_dir(app).glob("*.py")):
            catalog = _STATE.catalog(_locale_dir(app) / gallery / f"{path.stem}.po")
            missing: list[str] = []
            source = translate_example(
                path.read_text(encoding="utf-8"),
                prose_lookup(catalog, missing),
                translator.comment,
            )
            for msgid in missing:
                logger.warning(
                    f"download {path.name}: untranslated {msgid[:60]!r}",
                    type="i18n",
                    subtype="untranslated",
                )
            script = Path(tmp) / path.name
            script.write_text(source, encoding="utf-8")
            translated[path.name] = source.encode("utf-8")
            _, blocks = split_code_and_text_blocks(str(script))
            if conf.get("remove_config_comments"):
                blocks = [type(b)(b[0], remove_config_comments(b[1]), b[2]) for b in blocks]
            notebook = jupyter_notebook(blocks, conf, gallery_src)
            notebook_path = script.with_suffix(".ipynb")
            save_notebook(notebook, notebook_path)
            translated[notebook_path.name] = notebook_path.read_bytes()

    replaced = 0
    for source_name, (_, destination) in app.env.dlfiles.items():
        target = Path(app.outdir) / "_downloads" / destination
        name = Path(source_name).name
        if not target.is_file():
            continue
        if name in translated:
            target.write_bytes(translated[name])
            replaced += 1
        elif name.endswith(".zip"):
            buffer = io.BytesIO()
            with zipfile.ZipFile(target) as old, zipfile.ZipFile(buffer, "w") as new:
                for info in old.infolist():
                    data = translated.get(Path(info.filename).name) or old.read(info)
                    new.writestr(info, data)
            target.write_bytes(buffer.getvalue())
            replaced += 1
    logger.info(f"translated downloads: {replaced} files ({app.config.language})")


def setup(app):
    app.add_transform(_make_transform())
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("html-page-context", _translate_site_strings)
    app.connect("build-finished", _translated_downloads)
    app.connect("build-finished", _rewrite_theme_labels)
    app.connect("build-finished", _write_collected)
    app.connect("build-finished", _write_report)
    app.connect("builder-inited", _check_site_strings)
    # Before sphinx-gallery's own builder-inited, which would run them.
    app.connect("builder-inited", _require_current_lessons, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ----------------------------------------------------------------------------------------
# Command line: nox -s gettext


def _write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, omit_header=False, sort_output=False)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def _first_notebook_cell() -> str:
    sys.path.insert(0, str(Path(__file__).parent))
    import gallery_hooks

    return gallery_hooks.FIRST_NOTEBOOK_CELL


def command_extract(pot_dir: Path, examples: Path) -> None:
    import json

    collected_path = pot_dir / COLLECTED
    collected = json.loads(collected_path.read_text()) if collected_path.is_file() else {}
    catalog = output_catalog(examples, _first_notebook_cell(), collected)
    catalog.creation_date = catalog.revision_date = _FIXED_DATE
    _write_catalog(catalog, pot_dir / f"{OUTPUT_DOMAIN}.pot")
    print(f"{OUTPUT_DOMAIN}.pot: {len(catalog)} entries")
    # The templates' words: Sphinx extracts ours (docs/_templates); the theme's are added.
    theme_path = pot_dir / "sphinx.pot"
    theme = read_catalog(theme_path) or Catalog(project="ae-gallery", fuzzy=False)
    for word in THEME_WORDS:
        if theme.get(word) is None:
            theme.add(word, auto_comments=["the theme's template (Sphinx's catalog lacks it)"])
    theme.creation_date = theme.revision_date = _FIXED_DATE
    _write_catalog(theme, theme_path)
    print(f"sphinx.pot: {len(theme)} entries")


def _catalogs(locale: Path) -> Iterable[Path]:
    return sorted(locale.rglob("*.po"))


def command_fill(locale: Path) -> None:
    """Fill what needs no translator: entries without prose, and sphinx-gallery's sentences."""
    output = read_catalog(locale / f"{OUTPUT_DOMAIN}.po")
    boilerplate = [
        (
            Template(t, dict(p)),
            Template(t, dict(p)).regex(),
            translation_of(output, t, CTX_BOILERPLATE),
        )
        for t, p in BOILERPLATE_TEMPLATES
    ]
    for path in _catalogs(locale):
        if path.name in (f"{OUTPUT_DOMAIN}.po", "sphinx.po"):
            continue
        catalog = read_catalog(path)
        changed = 0
        for message in catalog:
            if not message.id or isinstance(message.id, tuple):
                continue
            copied = message.string == message.id  # e.g. boilerplate copied before its translation
            if message.string and not message.fuzzy and not copied:
                continue
            new = None
            for template, regex, msgstr in boilerplate:
                match = regex.fullmatch(message.id)
                if match and msgstr:
                    values = {n: match.group(_group(n)) for n in template.fields()}
                    new = fill_template(msgstr, values)
                    break
            if new is None and not has_prose(message.id):
                new = message.id
            if new is not None and (new != message.string or message.fuzzy):
                message.string = new
                message.flags.discard("fuzzy")
                changed += 1
        if changed:
            _write_catalog(catalog, path)
            print(f"{path.relative_to(locale)}: filled {changed} entries")


@dataclass
class Share:
    catalog: str
    total: int = 0
    translated: int = 0
    prose: int = 0
    prose_translated: int = 0
    fuzzy: int = 0


def catalog_shares(locale: Path) -> list[Share]:
    shares = []
    for path in _catalogs(locale):
        catalog = read_catalog(path)
        share = Share(str(path.relative_to(locale)))
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            done = all(strings) and not message.fuzzy
            prose = has_prose(ids[0])
            share.total += 1
            share.translated += done
            share.prose += prose
            share.prose_translated += done and prose
            share.fuzzy += message.fuzzy
        shares.append(share)
    return shares


def command_stats(locale: Path) -> None:
    shares = catalog_shares(locale)
    width = max(len(s.catalog) for s in shares)
    row = "{:<" + str(width) + "}  {:>7}  {:>10}  {:>5}  {:>7}  {:>5}"
    print(row.format("catalog", "entries", "translated", "prose", "prose %", "fuzzy"))
    total = Share("all")
    for s in [*shares, None]:
        if s is None:
            s = total
        else:
            for name in ("total", "translated", "prose", "prose_translated", "fuzzy"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
        pct = 100 * s.prose_translated / s.prose if s.prose else 100.0
        share = f"{s.translated}/{s.total}"
        print(row.format(s.catalog, s.total, share, s.prose, f"{pct:.1f}%", s.fuzzy))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="gallery_i18n")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help=f"write {OUTPUT_DOMAIN}.pot")
    extract.add_argument("pot_dir", type=Path)
    extract.add_argument("--examples", type=Path, default=Path("examples"))
    fill = commands.add_parser("fill", help="fill entries that need no translator")
    fill.add_argument("locale", type=Path, help="e.g. docs/locale/ru/LC_MESSAGES")
    stats = commands.add_parser("stats", help="share of translated entries per catalog")
    stats.add_argument("locale", type=Path)
    args = parser.parse_args(argv)
    if args.command == "extract":
        command_extract(args.pot_dir, args.examples)
    elif args.command == "fill":
        command_fill(args.locale)
    else:
        command_stats(args.locale)


if __name__ == "__main__":
    main()
