"""No broken internal link or anchor, in any language: every relative href and src of every
page (and every url() of the site's stylesheets) names a file that exists, and every #anchor
an id or name in its target; every page's language switch names the same page in the other
language (test_browser.py follows it in chromium on a page of each kind), and a translated
page's theme labels are in its language."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
from sitekit import COUNTS, KNOWN_LANGUAGES, html_pages, site_languages

PAGES = [f"{lang}/{page}" for lang in site_languages() for page in html_pages(lang)]
EXTERNAL_SCHEMES = ("http", "https", "mailto", "data", "javascript", "tel", "ftp")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.anchors: set[str] = set()
        self.icons: list[str] = []
        self.lang = ""
        self.switches: dict[str, str] = {}  # language -> href of the language switch

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "link" and "icon" in (found.get("rel") or "").split():
            self.icons.append(found.get("href") or "")
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "a" and "ae-language-other" in (found.get("class") or "").split():
            self.switches[found.get("hreflang") or ""] = found.get("href") or ""
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append((tag, candidate.split()[0]))
            elif name in ("href", "src", "poster", "xlink:href") or (
                name == "data" and tag == "object"
            ):
                self.links.append((tag, value))


@functools.cache
def _parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _unbuilt_language(target: Path, root: Path) -> bool:
    """A link into a language folder that this run does not test (not built, not required)."""
    try:
        first = target.relative_to(root).parts[0]
    except (ValueError, IndexError):
        return False
    return first in KNOWN_LANGUAGES and first not in site_languages()


def broken_links(path: Path, root: Path) -> list[str]:
    """The broken internal links of one HTML file."""
    problems = []
    for tag, link in _parse(path).links:
        parts = urlsplit(link)
        if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
            continue
        if parts.scheme:
            problems.append(f"<{tag}> {link}: unexpected scheme")
            continue
        if parts.path:
            target = (path.parent / unquote(parts.path)).resolve()
            if root not in target.parents:
                problems.append(f"<{tag}> {link}: leaves the site")
                continue
            if _unbuilt_language(target, root):
                COUNTS["links into a language not built (not checked)"] += 1
                continue
            if target.is_dir():
                target = target / "index.html"
        else:
            target = path
        COUNTS["internal links checked"] += 1
        if not target.is_file():
            problems.append(f"<{tag}> {link}: no file {target.relative_to(root)}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html":
            COUNTS["anchors checked"] += 1
            if fragment not in _parse(target).anchors:
                problems.append(
                    f"<{tag}> {link}: no id or name {fragment!r} in {target.relative_to(root)}"
                )
    return problems


@pytest.mark.fault(
    "A broken link or anchor, in either language",
    "The site test of that page fails, naming the link and the missing file or id.",
)
@pytest.mark.parametrize("page", PAGES)
def test_no_broken_internal_link(site, languages, page):
    problems = broken_links(site / page, site)
    COUNTS[f"pages link-checked ({page.split('/')[0]})"] += 1
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_every_language_switch_leads_to_the_same_page(site, languages, lang):
    """On every page, the switch to each other language names the same page there, and that
    page says it is in that language (``<html lang>``): the way there and, from the other
    language's pages, the way back."""
    if len(languages) < 2:
        pytest.skip("only one language built")
    problems = []
    for page in html_pages(lang):
        path = site / lang / page
        for other in (other for other in languages if other != lang):
            href = _parse(path).switches.get(other)
            target = (path.parent / unquote(urlsplit(href or "").path)).resolve()
            if href is None:
                problems.append(f"{lang}/{page}: no switch to {other}")
            elif target != (site / other / page).resolve():
                problems.append(f"{lang}/{page}: the switch to {other} leads to {href}")
            elif not _parse(target).lang.startswith(other):
                problems.append(f"{other}/{page}: <html lang={_parse(target).lang!r}>")
            COUNTS["language switches checked in the pages' HTML"] += 1
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_every_page_names_its_icon(site, languages, lang):
    """Without <link rel="icon">, a browser asks the server for /favicon.ico: a 404 in the
    reader's console on every site that has none at its host's root."""
    missing = [page for page in html_pages(lang) if not _parse(site / lang / page).icons]
    assert not missing, (
        f"{len(missing)} {lang} pages name no icon (html_favicon in docs/conf.py), e.g. "
        f"{missing[:3]}"
    )


def test_the_root_page_leads_to_a_language(site, languages):
    assert (site / "index.html").is_file(), "no index.html at the site's root (nox -s docs)"
    problems = broken_links(site / "index.html", site)
    assert not problems, problems
    assert _parse(site / "index.html").links, "the root index.html links nowhere"


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_stylesheets_name_files_that_exist(site, languages, lang):
    problems = []
    for css in sorted((site / lang / "_static").rglob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        for link in CSS_URL.findall(text):
            parts = urlsplit(link.strip())
            if parts.scheme or parts.netloc or not parts.path or link.startswith("#"):
                continue
            COUNTS["stylesheet url()s checked"] += 1
            if not (css.parent / unquote(parts.path)).is_file():
                problems.append(f"{css.relative_to(site)}: url({link}) names no file")
    assert not problems, "\n".join(problems)


def test_every_built_language_has_the_same_pages(site, languages):
    pages = {lang: set(html_pages(lang)) for lang in languages}
    first = languages[0]
    for lang in languages[1:]:
        assert pages[lang] == pages[first], (
            f"pages only in {first}: {sorted(pages[first] - pages[lang])}; "
            f"only in {lang}: {sorted(pages[lang] - pages[first])}"
        )


TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "_templates"
#: Where furo's HTML shows its English words: labels, icon titles, hidden button text.
THEME_TEXT = re.compile(r'aria-label="([^"]*)"|<title>([^<]*)</title>|"visually-hidden">([^<]*)<')


@pytest.mark.parametrize("lang", [lang for lang in KNOWN_LANGUAGES if lang != "en"])
def test_theme_labels_are_in_the_pages_language(site, languages, lang):
    """furo writes its labels and icon titles in English in every language; page.html puts
    them in the page's (the words of our templates, sphinx.po): none is left English."""
    if lang not in languages:
        pytest.skip(f"no {lang} site built (and {lang} not required)")
    extraction = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    words = {
        message
        for template in TEMPLATES.rglob("*.html")
        for _, _, message in extraction.extract_translations(template.read_text(encoding="utf-8"))
        if isinstance(message, str) and "<" not in message and "%" not in message
    }
    english = []
    for page in html_pages(lang):
        text = (site / lang / page).read_text(encoding="utf-8")
        # matplotlib's animation widget keeps its own English buttons (docs/translation.rst).
        text = re.sub(r'<div class="anim-buttons">.*?</div>', "", text, flags=re.S)
        for match in THEME_TEXT.finditer(text):
            text = next(group for group in match.groups() if group is not None).strip()
            if any(text == word.strip() or text.startswith(f"{word} ") for word in words):
                english.append(f"{lang}/{page}: {text!r}")
            COUNTS[f"theme labels checked ({lang})"] += 1
    assert not english, f"{len(english)} English labels, e.g.:\n" + "\n".join(english[:10])
