"""The catalogs and what the translated build checks with them (docs/_ext/page_translations.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from page_translations import entry_state, js_catalog, read_catalog

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted([*ROOT.glob("docs/locale/**/*.po"), *ROOT.glob("ae_gallery/locale/**/*.po")])
TEMPLATES = ROOT / "docs" / "_templates"


def test_js_catalog_puts_the_projects_translations_over_sphinxs():
    own = {
        "locale": "ru",
        "messages": {
            "Search Results": "Результаты поиска",
            "Search finished, found one page matching the search query.": ["", "", "", ""],
        },
        "plural_expr": "n != 1",
    }
    sphinx_js = f"Documentation.addTranslations({json.dumps(own)});"
    project = Catalog(locale="ru")
    project.add(
        (
            "Search finished, found one page matching the search query.",
            "Search finished, found ${resultCount} pages matching the search query.",
        ),
        ("Найдена ${resultCount} страница.", "Найдено ${resultCount} страницы.", "c", "d"),
    )
    project.add("Search Results", "Найдено", flags=["fuzzy"])  # fuzzy: not taken
    project.add("On this page", "На этой странице")  # not a word of Sphinx's scripts
    text = js_catalog(sphinx_js, project)
    assert text.startswith("Documentation.addTranslations(") and text.endswith(");")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert data["messages"] == {
        "Search Results": "Результаты поиска",
        "Search finished, found one page matching the search query.": [
            "Найдена ${resultCount} страница.",
            "Найдено ${resultCount} страницы.",
            "c",
            "d",
        ],
    }
    assert data["plural_expr"] == "n != 1"


def test_an_entrys_state_and_a_missing_catalog(tmp_path):
    assert read_catalog(tmp_path / "absent.po") is None
    catalog = Catalog(locale="ru")
    catalog.add("Done", "Готово")
    catalog.add("Old", "Старое", flags=["fuzzy"])
    catalog.add("New")
    states = [entry_state(catalog, text) for text in ("Done", "Old", "New", "Gone")]
    assert states == ["translated", "fuzzy", "untranslated", "missing"]
    assert entry_state(None, "Done") == "missing (no catalog)"


def test_the_templates_words_are_literals_for_gettext():
    """Sphinx's gettext builder (``nox -s gettext``) reads the templates' words with Jinja's
    extraction, as here; a ``_()`` of a variable is an entry without text, which it fails
    to write."""
    extraction = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    words, without_text = 0, []
    for template in sorted(TEMPLATES.rglob("*.html")):
        source = template.read_text(encoding="utf-8")
        for line, function, message in extraction.extract_translations(source):
            texts = message if isinstance(message, tuple) else (message,)
            if any(text is None for text in texts):
                without_text.append(f"{template.relative_to(TEMPLATES)}:{line}: {function}()")
            words += 1
    assert words > 80, "the templates' words were not found"
    assert not without_text, f"calls without a literal text: {without_text}"


def test_every_catalog_is_valid_gnu_gettext():
    """What any translator's tool (Poedit, Weblate, msgmerge) reads: ``msgfmt --check``,
    which also checks that a translation keeps its entry's ``{placeholders}``."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU msgfmt is missing: install Debian's gettext (apt-get install gettext)"
    assert len(CATALOGS) > 100
    failures = []
    for path in CATALOGS:
        done = subprocess.run(
            [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        if done.returncode != 0:
            failures.append(f"{path.relative_to(ROOT)}: {done.stderr.strip()}")
    assert not failures, "\n".join(failures)
