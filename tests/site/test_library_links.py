"""Names of numpy, matplotlib, seaborn and scikit-learn link to their own documentation, in
every language: in the lessons' code (``plt.show``, ``PCA``) and in the API pages' types
(``numpy.ndarray``). Every such link is an address of the committed inventories
(docs/_intersphinx), so no link on the site is made up or stale against them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from inventories import INVENTORY_DIR, LIBRARIES, library_names, read_inventory
from sitekit import COUNTS, html_pages, site_languages

REPO = Path(__file__).resolve().parents[2]

EXAMPLES = sorted((REPO / "examples" / "en").glob("plot_*.py"))
CASES = [(lang, lesson.stem) for lang in site_languages() for lesson in EXAMPLES]
HREF = re.compile(r'<a [^>]*href="(https://[^"]+)"')


def _address(name: str) -> str | None:
    """The address of ``name``'s documentation, as the inventories give it."""
    for lib in LIBRARIES:
        if name.split(".")[0] == lib.name:
            uri = read_inventory((INVENTORY_DIR / f"{lib.name}.inv").read_bytes()).objects.get(name)
            return lib.docs_url + uri if uri else None
    return None


@pytest.mark.parametrize(("lang", "name"), CASES, ids=[f"{la}/{na}" for la, na in CASES])
def test_the_library_names_a_lesson_uses_link_to_their_documentation(site, languages, lang, name):
    used = library_names((REPO / "examples" / lang / f"{name}.py").read_text(encoding="utf-8"))
    page = (site / lang / "auto_examples" / f"{name}.html").read_text(encoding="utf-8")
    links = {html.unescape(href) for href in HREF.findall(page)}
    for full_name in sorted(used):
        address = _address(full_name)
        assert address, f"{full_name} is in no inventory (tests/test_inventories.py says more)"
        assert address in links, f"{lang}/{name}: {full_name} does not link to {address}"
        COUNTS[f"library names linked in lessons ({lang})"] += 1


@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_the_api_pages_link_the_libraries_types_and_functions(site, languages, lang):
    generated = site / lang / "api" / "generated"
    expected = {
        "ae_gallery.data.load_mnist.html": "numpy.ndarray",
        "ae_gallery.plotting.plot_manifold.html": "matplotlib.figure.Figure",
        "ae_gallery.plotting.plot_code_joint.html": "seaborn.jointplot",
    }
    for page, full_name in expected.items():
        links = {html.unescape(h) for h in HREF.findall((generated / page).read_text("utf-8"))}
        assert _address(full_name) in links, f"{lang}/api/generated/{page}: no link to {full_name}"


@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_every_link_to_the_libraries_docs_is_an_inventory_address(site, languages, lang):
    known = {
        lib.docs_url + uri
        for lib in LIBRARIES
        for uri in read_inventory((INVENTORY_DIR / f"{lib.name}.inv").read_bytes()).objects.values()
    }
    sites = tuple(lib.docs_url for lib in LIBRARIES)
    unknown = set()
    for page in html_pages(lang):
        text = (site / lang / page).read_text(encoding="utf-8")
        for href in map(html.unescape, HREF.findall(text)):
            if href.startswith(sites):
                COUNTS[f"links into numpy/matplotlib/seaborn/scikit-learn docs ({lang})"] += 1
                if href not in known:
                    unknown.add(f"{page}: {href}")
    assert COUNTS[f"links into numpy/matplotlib/seaborn/scikit-learn docs ({lang})"] > 50
    assert not unknown, "links no inventory holds:\n  " + "\n  ".join(sorted(unknown)[:20])
