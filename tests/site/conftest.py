"""The built site, tested the way a reader uses it: `nox -s site`.

These tests need a site built by `nox -s docs` (in ``docs/_build/html/<language>/``). They
run only when the environment variable ``AE_GALLERY_SITE`` names its folder, as `nox -s site`
does; the plain test suite (`nox -s tests`) skips them, saying so.

``AE_GALLERY_SITE_LANGUAGES`` (``en,ru``) names the languages that must be there; when it is
unset, every language folder present is tested, except under CI (``CI`` set), where both
``en`` and ``ru`` are required. A required language that is missing is a failure, not a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNTS,
    FIGURES,
    KNOWN_LANGUAGES,
    LANGUAGES_ENV,
    SITE_ENV,
    required_languages,
    served,
    site_languages,
    site_root,
)

HERE = Path(__file__).parent
#: The longest modules, by far (minutes each: fresh environments, then every page with
#: axe-core), first: `nox -s site` gives each module to one worker, in the order collected
#: (``--no-loadscope-reorder``), and a worker that starts one of them last ends alone.
LONGEST_FIRST = ("test_reader.py", "test_browser.py")


def pytest_collection_modifyitems(config, items):
    if site_root() is not None:
        # sorted() keeps the collected order within a module, and of the other modules.
        order = {name: i for i, name in enumerate(LONGEST_FIRST)}
        items[:] = sorted(items, key=lambda item: order.get(Path(item.path).name, len(order)))
        return
    skip = pytest.mark.skip(
        reason=f"site tests: run them with `nox -s site` after `nox -s docs` "
        f"(or set {SITE_ENV}=docs/_build/html)"
    )
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


def pytest_sessionfinish(session):
    # Under pytest-xdist (noxfile.py runs a worker per core), a worker hands its records to
    # the process that prints the summary.
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["site_records"] = (FIGURES, dict(COUNTS))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    # A worker that crashed hands nothing over.
    figures, counts = getattr(node, "workeroutput", {}).get("site_records", ([], {}))
    FIGURES.extend(figures)
    COUNTS.update(counts)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("what the site tests measured")
        # Sorted: the workers' lines arrive in any order; sorted, each kind stays together.
        for line in sorted(FIGURES):
            terminalreporter.write_line(line)
    if COUNTS:
        terminalreporter.section("what the site tests checked")
        for what, count in sorted(COUNTS.items()):
            terminalreporter.write_line(f"{what}: {count}")


@pytest.fixture(scope="session")
def site() -> Path:
    root = site_root()
    if root is None or not root.is_dir():
        pytest.fail(f"{SITE_ENV}={root}: no built site there. Build it with `nox -s docs`.")
    for lang in required_languages():
        if not (root / lang / "index.html").is_file():
            pytest.fail(
                f"The site has no {lang!r} pages ({root / lang / 'index.html'} is missing), "
                f"but {lang} is required ({LANGUAGES_ENV} or CI). Build every language with "
                f"`nox -s docs`."
            )
    return root


@pytest.fixture(scope="session")
def languages(site) -> list[str]:
    langs = site_languages()
    if not langs:
        pytest.fail(f"No language folder ({', '.join(KNOWN_LANGUAGES)}) in {site}.")
    return langs


@pytest.fixture(scope="session")
def server(site):
    """The built site, served on localhost at a free port; yields its base URL (ending with
    a slash). The reader's tests serve it at the address it was built for (test_reader.py)."""
    with served(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless chromium, driven by Playwright (which downloads no browser here)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="`nox -s site` installs it")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No chromium at {CHROMIUM}: apt-get install chromium (.ci/run does).")
    with sync_api.sync_playwright() as playwright:
        # Playwright starts it with a fresh temporary profile (user-data-dir) every time.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def light(browser):
    """One browser context for the pages in furo's default theme (its HTTP cache is shared)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context
    context.close()
