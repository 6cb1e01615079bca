"""Every lesson ran in the build, in every language: its page shows figures, no traceback, and
offers its script and notebook, which are the ones in the all-examples zips."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from sitekit import COUNTS, site_languages

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.stem for p in (REPO / "examples").glob("plot_*.py"))
CASES = [(lang, name) for lang in site_languages() for name in EXAMPLES]


@pytest.mark.fault(
    "A lesson that fails in the build",
    (
        "The build fails (sphinx-gallery, ``-W``); a page that shows a traceback or no figure "
        "fails the site tests."
    ),
)
@pytest.mark.parametrize(("lang", "name"), CASES, ids=[f"{la}/{na}" for la, na in CASES])
def test_lesson_ran_and_drew_its_figures(site, languages, lang, name):
    page = site / lang / "auto_examples" / f"{name}.html"
    assert page.is_file(), f"no page for examples/{name}.py"
    html = page.read_text(encoding="utf-8")
    # sphinx-gallery shows a failed example's traceback in a "pytb" block.
    assert "highlight-pytb" not in html and "Traceback (most recent call last)" not in html, (
        f"{lang}/{name}: the page shows a traceback: the example failed in the build"
    )
    figures = sorted(set(re.findall(rf'src="\.\./_images/(sphx_glr_{name}_\d+\.png)"', html)))
    assert figures, f"{lang}/{name}: the page shows no figure"
    for figure in figures:
        path = site / lang / "_images" / figure
        assert path.is_file() and path.stat().st_size > 1000, f"{figure} is missing or empty"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{figure} is not a PNG"
    # Every figure says what it shows: its alt text is a sentence, not the page's title.
    images = re.findall(rf'<img src="\.\./_images/sphx_glr_{name}_\d[^>]*>', html)
    assert len(images) >= len(figures)
    for image in images:
        alt = re.search(r'alt="([^"]*)"', image)
        assert alt, f"{lang}/{name}: a figure without alt text: {image}"
        sentence = alt[1]
        assert len(sentence.split()) >= 6, f"{lang}/{name}: {sentence!r} says little"
        assert not re.search(r"(figure|рисунок) \d+$", sentence), f"{lang}/{name}: {sentence!r}"
        COUNTS[f"figures with alt text ({lang})"] += 1
    # The stamp: what the page's output was made with, in the page's language.
    stamp = re.search(r'<div class="ae-gallery-stamp[^"]*">\s*<p>(.*?)</p>', html, re.S)
    assert stamp, f"{lang}/{name}: the page has no build stamp"
    assert re.search(r"Keras \d+\.\d+", stamp[1]) and "Python 3." in stamp[1], stamp[1]
    if lang != "en":
        assert re.search("[а-яА-Я]", stamp[1]) and "made on" not in stamp[1], stamp[1]
    COUNTS[f"lessons with their figures ({lang})"] += 1
    COUNTS[f"lesson figures on disk ({lang})"] += len(figures)


@pytest.mark.parametrize("lang", site_languages() or ["en"])
def test_zips_hold_every_lesson(site, languages, lang):
    downloads = site / lang / "_downloads"
    singles = {p.name: p.read_bytes() for p in downloads.glob("*/plot_*.*") if p.suffix != ".zip"}
    zips = (("auto_examples_python.zip", ".py"), ("auto_examples_jupyter.zip", ".ipynb"))
    for zip_name, suffix in zips:
        (archive_path,) = downloads.glob(f"*/{zip_name}")
        with zipfile.ZipFile(archive_path) as archive:
            members = {Path(n).name: archive.read(n) for n in archive.namelist()}
        (wheel,) = site.glob("ae_gallery-*.whl")  # the one the site publishes
        lessons = [f"{name}{suffix}" for name in EXAMPLES]
        assert sorted(members) == sorted([*lessons, "README.txt", wheel.name]), zip_name
        assert members.pop(wheel.name) == wheel.read_bytes(), f"{zip_name}: another wheel"
        readme = members.pop("README.txt").decode("utf-8")
        assert f'pip install "./{wheel.name}[tensorflow]"' in readme, readme
        for member, content in members.items():
            assert content == singles[member], f"{zip_name}: {member} differs from its download"
