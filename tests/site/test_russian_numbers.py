"""Numbers on the Russian pages are written the Russian way: 9 596, not 9,596; 0,4, not 0.4.

Russian separates thousands with a (non-breaking) space and decimals with a comma, so an
English "9,596" reads as nine point six, and "0.4" looks like a date or a version. This test
reads the prose of every Russian page (``docs/_build/html/ru/``, without ``_static``,
``_sources``, ``_modules``, ``genindex``, ``py-modindex`` and ``search``) and lists, page by
page, every number written the English way.

*Prose* is the text a reader sees, less what is code or printed by a program: the contents of
``<pre>``, ``<code>`` (the reST ``literals``), ``<kbd>``, ``<samp>``, ``<script>``,
``<style>``, ``<math>`` and of every element of class ``highlight`` (code blocks), ``sig`` (API
signatures), ``sphx-glr-script-out`` (a lesson's printed output) or ``math`` (formulas) are
left out; so are attribute values (alt text, tooltips).

Two rules:

*A comma between thousands*: one to three digits, the first not 0, then one or more groups of
a comma and exactly three digits (``1,000``, ``17,583``, ``1,330,000``), with no digit or
``,digit`` / ``.digit`` touching it. A Russian decimal with three decimals that starts with 0
(``0,003``) never counts; one that does not (``1,234``) counts as a thousands comma unless the
English page shows the same digits with a decimal point (``1.234``).

*A decimal point*: digits, a point, digits (``0.4``, ``11.5×``, ``99.0 %``), with no letter,
digit, point or comma just before it and no digit, Latin letter or ``.digit`` just after it,
so that ``3.15.1``, ``py3.11`` and file names never count. A version is allowed: a number that
follows, at most two words later, a word beginning with one of :data:`VERSION_WORDS`
(``Python 3.11``, ``TensorFlow начиная с 2.16``, ``вычислительной способностью 8.0``, the
version of an NVIDIA GPU's architecture).

The site tests run under `nox -s site` (``AE_GALLERY_SITE``); without a Russian build this test
is skipped, saying so, unless Russian is required (``AE_GALLERY_SITE_LANGUAGES`` or CI).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitekit import COUNTS, html_pages, site_languages

from ae_gallery import published

LANG = "ru"
#: Pages that are lists made by Sphinx, not prose.
SKIPPED_PAGES = {"genindex.html", "py-modindex.html", "search.html"}
#: Folders of a language that hold no pages of prose (sitekit already leaves out ``_*``).
SKIPPED_FOLDERS = {"_static", "_sources", "_modules", "_images", "_downloads"}
#: Elements whose text is never prose.
SKIPPED_TAGS = {"pre", "code", "kbd", "samp", "script", "style", "math", "template"}
#: Classes whose element's text is never prose (code blocks, signatures, output, formulas).
SKIPPED_CLASSES = {"highlight", "sig", "sphx-glr-script-out", "math"}
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
#: Elements inside a sentence; any other element starts a block of its own.
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip
#: Words after which, at most two words later, a number is a version: ``Keras 3.7``,
#: ``TensorFlow начиная с 2.16``. A word matches when it begins with one, in any case.
VERSION_WORDS = (
    "python", "keras", "tensorflow", "numpy", "scipy", "jax", "cuda", "sphinx", "furo",
    "ae_gallery", "ae-gallery", "version", "верси", "capability", "способност",
)  # fmt: skip

THOUSANDS_COMMA = re.compile(r"(?<!\d)(?<!\d[.,])[1-9]\d{0,2}(?:,\d{3})+(?!\d|[.,]\d)")
DECIMAL_POINT = re.compile(r"(?<![\w.,])\d+\.\d+(?!\d|\.\d|[A-Za-z_])")
ENGLISH_DECIMAL = re.compile(r"\d+\.\d+")
VERSION_BEFORE = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in VERSION_WORDS) + r")\S*(?:\s+\S+){0,2}\s+$",
    re.IGNORECASE,
)
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class _Prose(HTMLParser):
    """The visible text of a page, block by block (a paragraph, a list item, a table cell),
    less what is skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (tag, id, skipped, block number), innermost last
        self.stack: list[tuple[str, str, bool, int]] = []
        self.blocks: dict[int, list[str]] = {}
        self._blocks = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skipped = (
            (bool(self.stack) and self.stack[-1][2])
            or tag in SKIPPED_TAGS
            or bool(classes & SKIPPED_CLASSES)
        )
        if tag in INLINE_TAGS and self.stack:
            block = self.stack[-1][3]
        else:
            self._blocks += 1
            block = self._blocks
        self.stack.append((tag, attrs.get("id") or "", skipped, block))

    def handle_startendtag(self, tag, attrs):
        pass  # <br/>, <img .../>: no text inside

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return
        # An end tag without its start tag (HTML's implied ends): ignore it.

    def handle_data(self, data):
        if self.stack and not self.stack[-1][2] and data.strip():
            self.blocks.setdefault(self.stack[-1][3], []).append(data)


def prose(path: Path, russian: bool = True) -> str:
    """The prose of a page, one line per block, its whitespace collapsed.

    With ``russian``, a block in English (Latin words, no Cyrillic letter) is left out: on the
    Russian pages, the details of the API reference stay English on purpose, and English
    writes its numbers the English way. A block without words (a table cell) stays.
    """
    parser = _Prose()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    blocks = (" ".join("".join(runs).split()) for runs in parser.blocks.values())
    return "\n".join(
        block
        for block in blocks
        if block and not (russian and LATIN_WORD.search(block) and not CYRILLIC.search(block))
    )


def _snippet(text: str, start: int, end: int) -> str:
    """The number between » and «, with up to 50 characters of prose on each side."""
    left, right = max(0, start - 50), min(len(text), end + 50)
    return " ".join(
        f"{'…' if left else ''}{text[left:start]}»{text[start:end]}«{text[end:right]}"
        f"{'…' if right < len(text) else ''}".split()
    )


def english_decimals_with_comma(text: str) -> set[str]:
    """The decimals of an English text, written with a comma: ``1.234`` gives ``1,234``."""
    return {number.replace(".", ",") for number in ENGLISH_DECIMAL.findall(text)}


def english_numbers(text: str, english: str | None = None) -> list[tuple[str, str]]:
    """Every number of ``text`` (Russian prose) written the English way: (rule, snippet).

    ``english``, the prose of the same page in English, tells a Russian decimal with three
    decimals (``1,234`` where the English says ``1.234``) from a thousands comma.
    """
    decimals = english_decimals_with_comma(english) if english else set()
    found = []
    for match in THOUSANDS_COMMA.finditer(text):
        if match.group() not in decimals:
            found.append(
                (
                    "comma between thousands (write 9\u00a0596)",
                    _snippet(text, *match.span()),
                )
            )
    for match in DECIMAL_POINT.finditer(text):
        if VERSION_BEFORE.search(text, max(0, match.start() - 60), match.start()):
            continue
        found.append(("decimal point (write 0,4)", _snippet(text, *match.span())))
    return found


def _pages() -> list[str]:
    return [
        page
        for page in html_pages(LANG)
        if page not in SKIPPED_PAGES and not (set(Path(page).parts[:-1]) & SKIPPED_FOLDERS)
    ]


def test_russian_pages_write_numbers_the_russian_way(site):
    if LANG not in site_languages() or not (site / LANG / "index.html").is_file():
        pytest.skip(
            f"no Russian pages in {site / LANG}: build them with "
            f"`nox -s docs -- --languages ru` (after the English build)"
        )
    pages = _pages()
    assert pages, f"no Russian page found in {site / LANG}"
    problems = []
    for page in pages:
        english_page = site / "en" / page
        english = prose(english_page, russian=False) if english_page.is_file() else None
        for rule, snippet in english_numbers(prose(site / LANG / page), english):
            problems.append(f"{LANG}/{page}: {rule}: {snippet}")
    COUNTS[f"pages checked for Russian number format ({LANG})"] += len(pages)
    assert not problems, (
        f"{len(problems)} number(s) written the English way on the Russian pages "
        "(fix the msgstr in docs/locale/ru/LC_MESSAGES/):\n" + "\n".join(problems)
    )


#: What else a Russian line writes its own way (docs/translation.rst, "Numbers in Russian").
RUSSIAN_WAY = (
    (re.compile(r"\d\s?(?:KB|MB|GB|kB)\b"), "a unit in Latin letters (write 34,51\u00a0КБ)"),
    (
        re.compile(r"(?<![\w.,])\d+(?:,\d+)? ?(?:%|КБ|МБ|ГБ|с|мин|ч)(?!\w)"),
        "no no-break space between a number and its unit",
    ),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "a date written as ISO (write 2 декабря 2026 г.)"),
    (re.compile(r"\d\s?[xх]\s?\d"), "a letter x between sizes (write 28×28)"),
    (re.compile(r"[ёЁ]"), "ё (the article writes е)"),
    (re.compile(r'"[^"\n]*"?'), "straight quotes (write «»)"),
)


def russian_way(text: str, english: str | None = None) -> list[tuple[str, str]]:
    """Every number written the English way in a Russian line (as :func:`english_numbers`),
    and every unit, date, size, quote or ё that breaks the rule of the Russian edition."""
    found = english_numbers(text, english)
    for pattern, rule in RUSSIAN_WAY:
        found += [(rule, _snippet(text, *m.span())) for m in pattern.finditer(text)]
    return found


class _Output(HTMLParser):
    """The lines a lesson printed (``sphx-glr-script-out``) and the figures' alt texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.lines, self.alts = 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or "sphx-glr-script-out" in (attrs.get("class") or "").split():
            self.depth += tag not in VOID_TAGS
        if tag == "img" and attrs.get("alt"):
            self.lines.append(attrs["alt"])
            self.alts.append(attrs["alt"])

    def handle_endtag(self, tag):
        self.depth = max(self.depth - 1, 0) if self.depth else 0

    def handle_data(self, data):
        if self.depth:
            self.lines += data.split("\n")


def test_the_librarys_lines_and_alt_text_follow_the_russian_rule(site):
    """What ``ae_gallery`` writes on a Russian lesson page, speaking the lesson's language,
    writes numbers, units, dates and quotes the Russian way: each line a model's fit call
    printed (it begins with the model's name) and every figure's alt text. A lesson's own
    ``print`` shows what its code formats, and Keras' summary what Keras prints; so does a
    fit line's final losses, named by Keras' keys (``loss 0.01817``), in the notation of the
    lesson's own printed numbers around it."""
    if LANG not in site_languages() or not (site / LANG / "index.html").is_file():
        pytest.skip(f"no Russian pages in {site / LANG}")
    models = tuple(f"{name}: " for name in published.read_manifest())
    problems, lines = [], 0
    for page in sorted((site / LANG / "auto_examples").glob("plot_*.html")):
        parser, english = _Output(), _Output()
        parser.feed(page.read_text(encoding="utf-8"))
        english.feed((site / "en" / "auto_examples" / page.name).read_text(encoding="utf-8"))
        printed = "\n".join(english.lines)  # tells 1,000 (one, three decimals) from a thousand
        library = (
            line for line in parser.lines if line.strip().startswith(models) or line in parser.alts
        )
        for line in (line.strip() for line in library):
            line = re.sub(r"\b(?:val_)?loss [-+.\de]+", "loss", line)
            lines += 1
            problems += [f"{page.name}: {rule}: {s}" for rule, s in russian_way(line, printed)]
    COUNTS["the library's printed lines and alt texts checked (ru)"] += lines
    assert lines > 30, "no line of the library's found on the Russian lesson pages"
    assert not problems, f"{len(problems)} line(s) break the Russian rule:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("Всего параметров: 8\u00a0835 (34,51\u00a0КБ), точность 98,12\u00a0%", 0),
        ("Всего параметров: 8,835 (34.51 KB)", 3),
        ("точность 98,12%", 1),
        ("обучено 2026-12-02 за 77 с", 2),
        ("картинки 28x28", 1),
        ('Модель: "deep_ae"', 1),
        ("Модель «deep_ae», ещё", 1),
        ("за 3 мин 47 с; за 6,8\u00a0с; Z3 с гистограммой", 2),
    ],
)
def test_the_rule_of_translated_lines(text, rules):
    assert len(russian_way(text)) == rules, russian_way(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9,596 шагов", ["9,596"]),
        ("всего 1,330,000 шагов", ["1,330,000"]),
        ("9\u00a0596 шагов и 1 000 точек", []),
        ("скорость 0,003 и вероятность 0,4; 2,5 ГБ", []),
        ("вероятность 0.4 и 11.5× быстрее, 99.0 %", ["0.4", "11.5", "99.0"]),
        ("Keras 3.15.1 на TensorFlow 2.21.0, Python 3.11.7", []),
        ("TensorFlow начиная с 2.16 и Keras начиная с 3.7", []),
        ("с вычислительной способностью 8.0 и выше", []),
        ("файл ae_gallery-0.3.0-py3-none-any.whl и float32", []),
        ("отрезок [-2,2; 2,2], шаги 1, 2, 3", []),
    ],
)
def test_the_rules(text, expected):
    """The rules themselves, on sentences made for them (no site needed)."""
    found = [snippet.split("»")[1].split("«")[0] for _, snippet in english_numbers(text)]
    assert found == expected


def test_a_three_decimal_comma_is_told_by_the_english_page():
    assert english_numbers("за 1,234 с", "in 1.234 s") == []
    assert len(english_numbers("за 1,234 шага", "in 1,234 steps")) == 1


def test_prose_leaves_out_code_output_formulas_and_english(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>Текст 1,000 и <code>1,000</code> <kbd>2.5</kbd> "
        '<span class="math">\\([-2.2, 2.2]\\)</span><br/></p>'
        '<div class="sphx-glr-script-out"><div class="highlight"><pre>6,667</pre></div></div>'
        '<dt class="sig sig-object py">f(x=0.5)</dt><p>one epoch holds 100,000 rows</p>'
        '<section id="published-weights"><p>веса 1.5</p></section>'
        "<table><tr><td>17,583</td><td><p>конец <em>0.4</em></p></td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    assert prose(page) == "Текст 1,000 и\nвеса 1.5\n17,583\nконец 0.4"
    assert "100,000" in prose(page, russian=False)
