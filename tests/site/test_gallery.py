"""Every lesson ran in the build, in every language: its page shows figures, no traceback, and
offers its script and notebook, which are the ones in the all-examples zips."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from sitekit import COUNTS, site_languages

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.stem for p in (REPO / "examples").glob("plot_*.py"))
CASES = [(lang, name) for lang in site_languages() for name in EXAMPLES]
#: How a lesson with an explorer tells a reader of its download where the explorer is.
EXPLORER_ON_THE_SITE = {
    "en": "On this lesson's page on the site",
    "ru": "На странице этого урока на сайте",
}


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


@pytest.mark.parametrize(("lang", "name"), CASES, ids=[f"{la}/{na}" for la, na in CASES])
def test_lesson_shows_the_code_of_the_models_it_builds(site, languages, lang, name):
    """A lesson that calls a model function of ae_gallery.models shows its code, as the
    library has it now (docs/_ext/model_source.py), linked to its documentation."""
    import html as html_lib

    sys.path.insert(0, str(REPO / "docs" / "_ext"))
    from model_source import function_code, model_functions

    source = (REPO / "examples" / f"{name}.py").read_text(encoding="utf-8")
    called = [f for f in model_functions() if re.search(rf"\bmodels\.{f}\(", source)]
    page = (site / lang / "auto_examples" / f"{name}.html").read_text(encoding="utf-8")
    blocks = re.findall(
        r'<div class="literal-block-wrapper ae-gallery-model-source[^"]*"[^>]*>(.*?)</pre>',
        page,
        flags=re.DOTALL,
    )
    assert len(blocks) == len(called), f"{lang}/{name}: {len(blocks)} model blocks for {called}"
    for function, block in zip(called, blocks, strict=True):
        assert f'href="../api/generated/ae_gallery.models.{function}.html' in block
        code = html_lib.unescape(re.sub(r"<[^>]+>", "", block.split("<pre", 1)[1]))
        code = code.split(">", 1)[1]
        shown = [line.rstrip() for line in code.strip("\n").splitlines()]
        wanted = [line.rstrip() for line in function_code(function).splitlines()]
        if lang != "en":  # comments are translated: compare the code around them
            shown = [line.split("#")[0].rstrip() for line in shown]
            wanted = [line.split("#")[0].rstrip() for line in wanted]
        assert shown == wanted, f"{lang}/{name}: the code of {function} differs from the library's"
        COUNTS["model functions shown as code"] += 1


@pytest.mark.parametrize("lang", site_languages())
def test_downloads_stay_plain_lessons(site, languages, lang):
    """What the site adds to a lesson's page (explorers, the models' code, the build stamp)
    is not in the lesson a reader downloads."""
    downloads = sorted((site / lang / "_downloads").glob("*/plot_*.*"))
    lessons = [p for p in downloads if p.suffix in (".py", ".ipynb")]
    assert len(lessons) == 2 * len(EXAMPLES), [p.name for p in lessons]
    for path in lessons:
        text = path.read_text(encoding="utf-8")
        for directive in ("ae-gallery-explorer", "ae-gallery-model-source", "ae-gallery-build"):
            assert directive not in text, f"{path.name} holds the page's {directive}"
    # The lessons with an explorer say that it is on the site.
    sys.path.insert(0, str(REPO / "docs" / "_ext"))
    from explorer_data import EXPLORERS

    explorer_lessons = {explorer.lesson for explorer in EXPLORERS.values()}
    for path in lessons:
        if path.stem in explorer_lessons:
            text = path.read_text(encoding="utf-8")
            assert EXPLORER_ON_THE_SITE[lang] in text, f"{path.name} does not say it"
