"""The site's public address on its pages: every page's canonical link and social card, and
every language's sitemap (docs/_ext/site_addresses.py, sphinxext-opengraph, sphinx-sitemap).

The site is built for one address (``AE_GALLERY_SITE_URL``); without one it has no cards
and no sitemap (the build says so), and these tests skip, saying why; under CI they fail.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image
from sitekit import COUNTS, KNOWN_LANGUAGES, html_pages, site_languages

#: Sphinx's own pages, made from no document: no social card, and in no sitemap (docs/conf.py).
SPHINX_PAGES = {"search.html", "genindex.html", "py-modindex.html"}
LOC = re.compile(r"<loc>([^<]*)</loc>")
ALTERNATE = re.compile(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"')
THUMBNAIL = re.compile(r"_images/sphx_glr_(plot_\w+)_thumb\.png$")


class _Head(HTMLParser):
    """A page's canonical link and Open Graph properties."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None
        self.card: dict[str, str] = {}
        self.images: list[tuple[str, str]] = []  # (src, alt)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical = found.get("href")
        if tag == "meta" and (found.get("property") or "").startswith("og:"):
            self.card[found["property"]] = found.get("content") or ""
        if tag == "img":
            self.images.append((found.get("src") or "", found.get("alt") or ""))


def _head(site, lang: str, page: str) -> _Head:
    head = _Head()
    head.feed((site / lang / page).read_text(encoding="utf-8"))
    return head


@pytest.fixture(scope="module")
def address(site) -> str:
    """The address the site was built for, ending with a slash."""
    url = os.environ.get("AE_GALLERY_SITE_URL", "").strip()
    if not url:
        message = (
            "AE_GALLERY_SITE_URL is not set: a site built without its address has no social "
            "cards and no sitemap; build and test with it (as .ci/run does)"
        )
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return url.rstrip("/") + "/"


@pytest.mark.fault(
    "A page whose canonical link or social card names another address, or a card's image "
    "the site does not have",
    "The site test fails, naming the page and the address it gives.",
)
@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_every_page_names_its_own_address_and_card(site, languages, address, lang):
    """Canonical link and ``og:url`` are the page's address under ``<site>/<lang>/``; every
    card has a title and an image the site holds: a lesson's its gallery thumbnail."""
    problems = []
    for page in html_pages(lang):
        head = _head(site, lang, page)
        own = f"{address}{lang}/{page}"
        if head.canonical != own:
            problems.append(f"{lang}/{page}: canonical link {head.canonical!r}, not {own}")
        if page in SPHINX_PAGES:
            continue
        if head.card.get("og:url") != own:
            problems.append(f"{lang}/{page}: og:url {head.card.get('og:url')!r}, not {own}")
        if not head.card.get("og:title"):
            problems.append(f"{lang}/{page}: a social card without a title")
        image = head.card.get("og:image", "").removeprefix(address)
        if "://" in image or not (site / image).is_file():
            problems.append(f"{lang}/{page}: og:image {head.card.get('og:image')!r} is no file")
        if page.startswith("auto_examples/plot_"):
            thumbnail = f"{lang}/_images/sphx_glr_{page[len('auto_examples/') : -5]}_thumb.png"
            if image != thumbnail:
                problems.append(f"{lang}/{page}: the card shows {image}, not {thumbnail}")
        COUNTS["pages whose address and social card were checked"] += 1
    assert not problems, "\n".join(problems[:20])


@pytest.mark.fault(
    "A page missing from its language's sitemap (sphinx-sitemap lists only the pages a build "
    "writes; ``nox -s docs`` writes every page, with ``-a``)",
    "The site test fails, naming the pages missing or extra, and the sitemap.",
)
def test_the_sitemaps_list_every_page_in_every_language(site, languages, address):
    """The root sitemap names each language's; each lists that language's pages (but the
    search and index pages), each with its address in every language of the site."""
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert LOC.findall(index) == [f"{address}{lang}/sitemap.xml" for lang in languages], index
    for lang in languages:
        sitemap = (site / lang / "sitemap.xml").read_text(encoding="utf-8")
        entries = re.findall(r"<url>(.*?)</url>", sitemap)
        listed = [LOC.search(entry)[1] for entry in entries]
        expected = {f"{address}{lang}/{p}" for p in html_pages(lang) if p not in SPHINX_PAGES}
        assert set(listed) == expected and len(listed) == len(expected), (
            f"{lang}/sitemap.xml: missing {sorted(expected - set(listed))[:10]}, extra "
            f"{sorted(set(listed) - expected)[:10]}"
        )
        for entry, url in zip(entries, listed, strict=True):
            page = url.removeprefix(f"{address}{lang}/")
            alternates = dict(ALTERNATE.findall(entry))
            wanted = {other: f"{address}{other}/{page}" for other in KNOWN_LANGUAGES}
            assert alternates == wanted, f"{lang}/sitemap.xml, {page}: alternates {alternates}"
        COUNTS["pages found in their language's sitemap"] += len(listed)


def _as_thumbnail(path, size: tuple[int, int]) -> np.ndarray:
    """A figure made into a gallery thumbnail: fitted into ``size``, centred on white."""
    image = Image.open(path).convert("RGB")
    scale = min(size[0] / image.width, size[1] / image.height)
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    canvas = Image.new("RGB", size, "white")
    canvas.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    return np.asarray(canvas, dtype=float)


def _thumbnail_figure_alt(site, lang: str, lesson: str) -> str:
    """The alt text of the figure a lesson's thumbnail is made from: the lesson's card, a
    figure drawn for the list of lessons and not shown on its page (the build records its
    alt text beside the gallery's images); the thumbnail is checked to be it, by its pixels."""
    thumbnail = Image.open(site / lang / "_images" / f"sphx_glr_{lesson}_thumb.png")
    pixels = np.asarray(thumbnail.convert("RGB"), dtype=float)
    gallery = site.parent / "gallery" / lang
    # The card is saved last (the build's scraper), for sphinx_gallery_thumbnail_number = -1.
    card = sorted((gallery / "images").glob(f"sphx_glr_{lesson}_0*.png"))[-1]
    difference = np.abs(_as_thumbnail(card, thumbnail.size) - pixels).mean()
    assert difference < 1, f"{lang}: {lesson}'s thumbnail is not made from its card {card.name}"
    card = card.name
    page = _head(site, lang, f"auto_examples/{lesson}.html")
    shown = [src.rsplit("/", 1)[-1] for src, _ in page.images]
    assert card not in shown, f"{lang}/{lesson}: the card's figure {card} is on the page too"
    return json.loads((gallery / f"{lesson}.figure-text.json").read_text())["card"]["alt"]


@pytest.mark.fault(
    "A social card that shows a lesson's thumbnail but does not say what it shows (by "
    "default sphinxext-opengraph gives the site's name, or a decorative image's empty alt)",
    "The site test fails, naming the page, its card's alt text and the figure's.",
)
def test_a_thumbnail_card_says_what_its_figure_shows(site, languages, address):
    """A card whose image is a lesson's thumbnail (every lesson's; a page's whose first
    image is one) has the alt text of the figure the thumbnail is made from, in its
    language."""
    problems = []
    for lang in languages:
        figure_alts: dict[str, str] = {}
        for page in html_pages(lang):
            card = _head(site, lang, page).card
            found = THUMBNAIL.search(card.get("og:image", ""))
            if found is None:
                continue
            if found[1] not in figure_alts:
                figure_alts[found[1]] = _thumbnail_figure_alt(site, lang, found[1])
            if card.get("og:image:alt") != figure_alts[found[1]]:
                problems.append(
                    f"{lang}/{page}: og:image:alt {card.get('og:image:alt')!r}, not "
                    f"{figure_alts[found[1]]!r}"
                )
            COUNTS["cards showing a lesson's thumbnail, with its figure's alt text"] += 1
        lessons = sum(p.startswith("auto_examples/plot_") for p in html_pages(lang))
        assert len(figure_alts) == lessons, f"{lang}: a lesson's card without its thumbnail"
    assert not problems, "\n".join(problems[:10])
