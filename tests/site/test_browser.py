"""Every page in headless chromium: no console error, no request off localhost, every image
decoded, math typeset, downloads that answer with their files, and nothing serious found by
axe-core (an accessibility checker nobody here wrote); search, the language switcher
(followed on a page of each kind; test_links.py checks every page's), and figures in the
dark theme."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import zipfile
from urllib.parse import quote, urlsplit

import pytest
from sitekit import COUNTS, html_pages, opened, site_languages
from sitekit import FIGURES as MEASURED

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the plain test suite: these tests are skipped there
    PlaywrightTimeout = TimeoutError

LANGUAGES = site_languages()
PAGES = [f"{lang}/{page}" for lang in LANGUAGES for page in html_pages(lang)]
FIRST = LANGUAGES[0] if LANGUAGES else "en"
VIEWPORT = {"width": 1400, "height": 1000}  # wide enough for furo's sidebars

#: axe-core, from the npm registry (`nox -s site` installs it and names its file here).
AXE_ENV_VAR = "AE_GALLERY_AXE"
#: The impacts no page may have.
AXE_FORBIDDEN = ("serious", "critical")
#: Every rule runs; only the elements that violate one are listed in full.
AXE_OPTIONS = {"resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def checked(browser):
    """A browser context in furo's default theme whose every page has axe-core, when `nox -s
    site` installed it: loaded before the page's own scripts, as a script the browser
    compiles once, not injected into each page afterwards."""
    context = browser.new_context(viewport=VIEWPORT)
    if os.environ.get(AXE_ENV_VAR):
        context.add_init_script(path=os.environ[AXE_ENV_VAR])
    yield context
    context.close()


def test_axe_core_is_there():
    """The page test below runs axe-core only where `nox -s site` named it; CI must."""
    if not os.environ.get(AXE_ENV_VAR):
        message = f"{AXE_ENV_VAR} names no axe-core (`nox -s site` installs it)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


def _axe_problems(page, lang: str) -> list[str]:
    """axe-core on the whole page: violations of impact serious or critical, as problems;
    the others are printed. Counts the rules applied (a rule that passed counts once)."""
    result = page.evaluate("async (options) => await axe.run(document, options)", AXE_OPTIONS)
    COUNTS[f"axe-core rules applied ({lang})"] += sum(
        len(result[kind]) for kind in ("passes", "violations", "incomplete")
    )
    COUNTS["pages checked by axe-core"] += 1
    problems = []
    for violation in result["violations"]:
        seen = f"{violation['id']} ({violation['impact']}) at {violation['nodes'][0]['html'][:120]}"
        if violation["impact"] in AXE_FORBIDDEN:
            problems.append(f"axe-core: {seen}")
        else:
            MEASURED.append(f"axe-core, {lang}, allowed: {page.url}: {seen}")
    return problems


@pytest.fixture(scope="module")
def dark(browser):
    """One browser context whose pages open in furo's dark theme (set as furo stores it)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script("window.localStorage.setItem('theme', 'dark');")
    yield context
    context.close()


def _wait_for_mathjax(page) -> None:
    page.evaluate(
        """async () => {
            if (!window.MathJax) return;
            for (let i = 0; i < 200 && !(MathJax.startup && MathJax.startup.promise); i++)
                await new Promise((r) => setTimeout(r, 50));
            if (MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
        }"""
    )


MATH_STATE = """() => {
    const math = [...document.querySelectorAll('span.math, div.math')];
    return {
        math: math.length,
        typeset: math.filter((el) => el.querySelector('mjx-container')).length,
        raw: math.filter((el) => /\\\\[\\(\\[]/.test(el.textContent))
                 .map((el) => el.textContent.slice(0, 80)),
        errors: [...document.querySelectorAll('mjx-merror')].map((el) => el.textContent),
    };
}"""

IMAGES = """async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    const settle = (img) => img.decode().catch(() => null);
    const timeout = new Promise((r) => setTimeout(r, 20000));
    await Promise.race([Promise.all(images.map(settle)), timeout]);
    return images.map((img) => ({
        src: (img.currentSrc || img.src || '').slice(0, 120),
        id: img.id,
        width: img.naturalWidth,
    }));
}"""


def _check_download(url: str, body: bytes) -> str | None:
    """What is wrong with a downloaded file, or None."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    try:
        if name.endswith(".py"):
            ast.parse(body.decode("utf-8"))
        elif name.endswith(".ipynb"):
            notebook = json.loads(body)
            if notebook.get("nbformat") != 4 or not notebook.get("cells"):
                return f"{name} is not a notebook with cells"
        elif name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                if not archive.namelist() or archive.testzip() is not None:
                    return f"{name} is an empty or damaged zip"
        else:
            return f"{name}: an unexpected kind of download"
    except (ValueError, SyntaxError, zipfile.BadZipFile) as err:
        return f"{name} does not hold what its name says: {err}"
    return None


@pytest.mark.fault(
    (
        "A page that asks for anything off the reader's machine, logs a console error, or shows "
        "an image that does not decode or raw TeX"
    ),
    "The site test of that page fails, naming the request, the message, the image or the formula.",
)
@pytest.mark.parametrize("path", PAGES)
def test_page_works_in_a_browser(checked, server, languages, path):
    """Loads cleanly and offline; its images decode, its math is typeset, its downloads work;
    then, as a reader finds it, axe-core finds no violation of impact serious or critical."""
    with opened(checked, server + path) as (page, log):
        _wait_for_mathjax(page)
        math = page.evaluate(MATH_STATE)
        images = page.evaluate(IMAGES)
        downloads = page.eval_on_selector_all("a.download", "els => els.map((e) => e.href)")
        page_lang = page.evaluate("document.documentElement.lang")
        problems = log.problems()
        if os.environ.get(AXE_ENV_VAR):
            problems += _axe_problems(page, path.split("/")[0])
        if not page_lang.startswith(path.split("/")[0]):
            problems.append(f"<html lang={page_lang!r}> in the {path.split('/')[0]} site")
        if math["math"]:
            COUNTS["pages with math, typeset"] += 1
            if math["typeset"] != math["math"] or math["raw"]:
                problems.append(
                    f"math not typeset: {math['typeset']} of {math['math']} formulas; raw "
                    f"TeX left: {math['raw'][:5]}"
                )
            if math["errors"]:
                problems.append(f"MathJax errors: {math['errors'][:5]}")
        for image in images:
            if image["width"] <= 0:
                problems.append(f"image not decoded: {image['src'] or image['id']}")
        COUNTS[f"images decoded ({path.split('/')[0]})"] += len(images)
        for url in downloads:
            response = page.context.request.get(url)
            if response.status != 200:
                problems.append(f"download {url} answers {response.status}")
                continue
            problem = _check_download(url, response.body())
            if problem:
                problems.append(f"download {url}: {problem}")
            COUNTS["download links fetched and opened"] += 1
        if "/auto_examples/plot_" in path:
            kinds = sorted(url.rsplit(".", 1)[-1] for url in downloads)
            if kinds != ["ipynb", "py", "zip"]:
                problems.append(f"an example page needs .py, .ipynb and .zip links: {downloads}")
    COUNTS[f"pages opened in chromium ({path.split('/')[0]})"] += 1
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


SEARCHES = [("en", "manifold"), ("ru", "многообразие")]


@pytest.mark.parametrize(("lang", "word"), SEARCHES)
def test_search_finds_the_lesson(light, server, languages, lang, word):
    if lang not in languages:
        pytest.skip(f"no {lang} site built (and {lang} not required)")
    url = f"{server}{lang}/search.html?q={quote(word)}"
    with opened(light, url) as (page, log):
        # Results appear one by one: wait for the lesson's (or give up after 30 s).
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                """() => [...document.querySelectorAll('#search-results ul.search li a')]
                    .some((a) => a.href.includes('auto_examples/plot_1_manifold_learning.html'))""",
                timeout=30_000,
            )
        hits = page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map((e) => e.href)"
        )
        problems = log.problems()
    assert not problems, problems
    assert any("auto_examples/plot_1_manifold_learning.html" in h for h in hits), (
        f"searching {word!r} did not find the manifold lesson; it found {hits}"
    )


def one_of_each_kind(pages: list[str]) -> list[str]:
    """The first page of each folder, and every page outside one (each is a kind of its own:
    the index, search, the API's index...).

    >>> one_of_each_kind(["api.html", "api/generated/a.html", "api/generated/b.html"])
    ['api.html', 'api/generated/a.html']
    """
    kinds: dict[str, str] = {}
    for page in pages:
        kinds.setdefault(page.rsplit("/", 1)[0] if "/" in page else page, page)
    return sorted(kinds.values())


@pytest.mark.parametrize("path", [f"{FIRST}/{p}" for p in one_of_each_kind(html_pages(FIRST))])
def test_language_switch_leads_to_the_same_page_and_back(light, server, languages, path):
    """There on this page's switch, back on the other page's, in chromium, from one page of
    each kind of the first language (test_links.py checks the switch of every page)."""
    lang, page_path = path.split("/", 1)
    others = [other for other in languages if other != lang]
    if not others:
        pytest.skip("only one language built")
    with opened(light, server + path) as (page, log):
        for other in others:
            with page.expect_navigation(wait_until="load"):
                page.click(f"a.ae-language-other[hreflang='{other}']")
            assert page.url == f"{server}{other}/{page_path}"
            assert page.evaluate("document.documentElement.lang").startswith(other)
            with page.expect_navigation(wait_until="load"):
                page.click(f"a.ae-language-other[hreflang='{lang}']")
            assert page.url == server + path
            assert page.evaluate("document.documentElement.lang").startswith(lang)
            COUNTS["pages whose language switch was followed"] += 2
        problems = log.problems()
    assert not problems, problems


def test_language_switch_keeps_the_section(light, server, languages):
    """A reader halfway down a lesson lands at the same section in the other language."""
    if len(languages) < 2:
        pytest.skip("only one language built")
    lang, other = languages[0], languages[1]
    path = f"{lang}/auto_examples/plot_3_deep_autoencoder.html"
    with opened(light, server + path) as (page, log):
        sections = page.eval_on_selector_all("article section[id]", "els => els.map(e => e.id)")
        assert len(sections) > 1, f"{path} has no sections to keep"
        section = sections[-1]
        page.goto(f"{server}{path}#{section}")
        with page.expect_navigation(wait_until="load"):
            page.click(f"a.ae-language-other[hreflang='{other}']")
        assert page.url == f"{server}{other}/auto_examples/plot_3_deep_autoencoder.html#{section}"
        assert page.locator(f"section[id='{section}']").count() == 1, (
            f"the {other} page has no section {section!r}"
        )
        problems = log.problems()
    assert not problems, problems


# Relative luminance (WCAG) of what the reader sees where a figure is: the image drawn over
# the background behind it (its own, or the nearest ancestor's).
FIGURE_CONTRAST = """(img) => {
    const parse = (c) => {
        const m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(',').map(parseFloat);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    let bg = null;
    for (let el = img; el && !bg; el = el.parentElement) {
        const c = parse(getComputedStyle(el).backgroundColor);
        if (c && c.a > 0) bg = c;
    }
    bg = bg || {r: 255, g: 255, b: 255, a: 1};
    const W = img.naturalWidth, H = img.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = W; canvas.height = H;
    const ctx = canvas.getContext('2d');
    // Letterboxing (a thumbnail's transparent margins) is not the figure: trim it.
    ctx.drawImage(img, 0, 0);
    const alpha = ctx.getImageData(0, 0, W, H).data;
    const opaque = (x, y) => alpha[4 * (y * W + x) + 3] > 0;
    let x0 = W, x1 = -1, y0 = H, y1 = -1;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (opaque(x, y)) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    if (x1 < 0) return {src: img.src.slice(-70), background: bg, ground: 0, ink: 0};
    const w = x1 - x0 + 1, h = y1 - y0 + 1;
    ctx.fillStyle = `rgb(${bg.r}, ${bg.g}, ${bg.b})`;
    ctx.fillRect(0, 0, W, H);
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(x0, y0, w, h).data;
    const lin = (v) => {
        v /= 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const lum = (i) =>
        0.2126 * lin(data[i]) + 0.7152 * lin(data[i + 1]) + 0.0722 * lin(data[i + 2]);
    const all = [], border = [];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const l = lum(4 * (y * w + x));
        all.push(l);
        if (x === 0 || y === 0 || x === w - 1 || y === h - 1) border.push(l);
    }
    all.sort((a, b) => a - b); border.sort((a, b) => a - b);
    return {
        src: (img.currentSrc || img.src || img.id).slice(-70),
        size: [w, h],
        background: bg,
        ground: border[Math.floor(border.length / 2)],
        ink: all[Math.floor(all.length * 0.002)],
    };
}"""

FIGURES = "article img"
DARK_PAGES = [p for p in PAGES if "/auto_examples/" in p]


@pytest.mark.parametrize("path", DARK_PAGES)
def test_figures_stay_readable_in_the_dark_theme(dark, server, languages, path):
    """With the dark theme on, each figure keeps a light ground under its dark ink."""
    with opened(dark, server + path) as (page, log):
        assert page.evaluate("document.body.dataset.theme") == "dark"
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.evaluate(IMAGES)
        figures = [
            page.evaluate(FIGURE_CONTRAST, img)
            for img in page.query_selector_all(FIGURES)
            if img.evaluate("(img) => img.naturalWidth > 0")
        ]
        problems = log.problems()
    assert figures, f"{path}: no figure found"
    for figure in figures:
        contrast = (figure["ground"] + 0.05) / (figure["ink"] + 0.05)
        if figure["ground"] < 0.6 or contrast < 4.5:
            problems.append(
                f"{figure['src']}: ground luminance {figure['ground']:.2f} (page body "
                f"{body}, behind the image {figure['background']}), ink contrast "
                f"{contrast:.1f}:1; dark ink needs a light ground"
            )
        COUNTS["figures checked in the dark theme"] += 1
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)
