"""The catalogs: filling what needs no translator, the output catalog, Sphinx's script catalog."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from gallery_i18n.catalogs import (
    CTX_BOILERPLATE,
    CTX_OUTPUT,
    entry_state,
    js_catalog,
    read_catalog,
    translation_of,
    write_catalog,
)
from gallery_i18n.extract import output_catalog
from gallery_i18n.fill import fill_locale

from ae_gallery import messages


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)


def _output_catalog(folder: Path, english: str, russian: str) -> None:
    """The output catalog, holding one sentence of sphinx-gallery's and its translation."""
    output = Catalog(locale="ru")
    output.add(english, russian, context=CTX_BOILERPLATE)
    _write(folder / "gallery-output.po", output)


def _strings(path: Path) -> dict[str, tuple[str, bool]]:
    with path.open("rb") as f:
        catalog = read_po(f)
    return {m.id: (m.string, m.fuzzy) for m in catalog if m.id}


def test_fill_copies_code_fills_boilerplate_and_leaves_prose(tmp_path):
    _output_catalog(
        tmp_path,
        ":download:`Download Jupyter notebook: {file} <{target}>`",
        ":download:`Скачать блокнот Jupyter: {file} <{target}>`",
    )
    page = Catalog(locale="ru")
    page.add("``linear_ae``")  # no prose: its own translation
    page.add(":download:`Download Jupyter notebook: plot_1.ipynb <plot_1.ipynb>`")
    page.add("A sentence for a translator.")
    page.add("Translated already.", "Уже переведено.")
    page.add(":math:`z = W x`", "old", flags=["fuzzy"])  # fuzzy, but without prose
    page.add("Fuzzy prose.", "Старый перевод.", flags=["fuzzy"])
    _write(tmp_path / "auto_examples" / "plot_1.po", page)
    sphinx_po = Catalog(locale="ru")
    sphinx_po.add("``code``")  # sphinx.po is all the translator's
    _write(tmp_path / "sphinx.po", sphinx_po)

    fill_locale(tmp_path)

    assert _strings(tmp_path / "auto_examples" / "plot_1.po") == {
        "``linear_ae``": ("``linear_ae``", False),
        ":download:`Download Jupyter notebook: plot_1.ipynb <plot_1.ipynb>`": (
            ":download:`Скачать блокнот Jupyter: plot_1.ipynb <plot_1.ipynb>`",
            False,
        ),
        "A sentence for a translator.": ("", False),
        "Translated already.": ("Уже переведено.", False),
        ":math:`z = W x`": (":math:`z = W x`", False),
        "Fuzzy prose.": ("Старый перевод.", True),
    }
    assert _strings(tmp_path / "sphinx.po") == {"``code``": ("", False)}


def test_fill_replaces_boilerplate_copied_before_it_had_a_translation(tmp_path):
    english = ":download:`Download zipped: all.zip <all.zip>`"
    _output_catalog(
        tmp_path,
        ":download:`Download zipped: {file} <{target}>`",
        ":download:`Скачать архив: {file} <{target}>`",
    )
    page = Catalog(locale="ru")
    page.add(english, english)
    _write(tmp_path / "index.po", page)
    fill_locale(tmp_path)
    assert _strings(tmp_path / "index.po")[english] == (
        ":download:`Скачать архив: all.zip <all.zip>`",
        False,
    )


def test_fill_takes_what_another_page_translates_when_the_pages_agree(tmp_path):
    _output_catalog(tmp_path, "unused {x}", "")
    shared, disputed = "Train", "Reset"
    for lesson, train, reset in [("plot_2", "Обучить", "Сбросить"), ("plot_3", "", "Заново")]:
        page = Catalog(locale="ru")
        page.add(shared, train)
        page.add(disputed, reset)
        _write(tmp_path / "auto_examples" / f"{lesson}.po", page)
    page = Catalog(locale="ru")
    page.add(shared, "Старое", flags=["fuzzy"])
    page.add(disputed)
    _write(tmp_path / "auto_examples" / "plot_5.po", page)

    fill_locale(tmp_path)

    assert _strings(tmp_path / "auto_examples" / "plot_3.po")[shared] == ("Обучить", False)
    assert _strings(tmp_path / "auto_examples" / "plot_5.po") == {
        shared: ("Обучить", False),
        disputed: ("", False),  # two translations: a translator's choice
    }


def test_entry_state_and_translation_of():
    catalog = Catalog(locale="ru")
    catalog.add("done", "готово", context=CTX_OUTPUT)
    catalog.add("empty", "", context=CTX_OUTPUT)
    catalog.add("fuzzy", "нечётко", context=CTX_OUTPUT, flags=["fuzzy"])
    states = {
        msgid: entry_state(catalog, msgid, CTX_OUTPUT)
        for msgid in ("done", "empty", "fuzzy", "absent")
    }
    assert states == {
        "done": "translated",
        "empty": "untranslated",
        "fuzzy": "fuzzy",
        "absent": "missing",
    }
    assert entry_state(None, "done") == "missing (no catalog)"
    assert translation_of(catalog, "done", CTX_OUTPUT) == "готово"
    assert translation_of(catalog, "fuzzy", CTX_OUTPUT) == ""
    assert translation_of(catalog, "done") == ""  # another context


def test_output_catalog_takes_the_library_sentences_from_ae_gallery(tmp_path):
    collected = {"comments": {"build the site": "maintainers.rst"}}
    catalog = output_catalog(tmp_path, "# install it\n%pip install x", collected)
    printed = [m.id for m in catalog if m.context == CTX_OUTPUT]
    plural = {text for pair in messages.PLURALS for text in pair}
    singular = [text for text, _ in messages.TEMPLATES if text not in plural]
    assert sorted(m for m in printed if isinstance(m, str)) == sorted(singular)
    assert sorted(m for m in printed if isinstance(m, tuple)) == sorted(messages.PLURALS)
    assert catalog.get("install it", context="code comment") is not None
    assert catalog.get("build the site", context="code comment").auto_comments == [
        "a comment in a code block of maintainers.rst"
    ]


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
    # Nothing to put over Sphinx's: the file as it was.
    assert js_catalog(sphinx_js, None) == sphinx_js


def test_read_catalog_of_a_missing_file(tmp_path):
    assert read_catalog(tmp_path / "absent.po") is None


LOCALE = Path(__file__).resolve().parents[1] / "docs" / "locale"
TEMPLATES = LOCALE.parent / "_templates"


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
    assert words > 20, "the templates' words were not found"
    assert not without_text, f"calls without a literal text: {without_text}"


def test_every_catalog_is_valid_gnu_gettext():
    """What any translator's tool (Poedit, Weblate, msgmerge) reads: ``msgfmt --check``."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU msgfmt is missing: install Debian's gettext (apt-get install gettext)"
    catalogs = sorted(LOCALE.rglob("*.po"))
    assert catalogs
    failures = []
    for path in catalogs:
        done = subprocess.run(
            [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        if done.returncode != 0:
            failures.append(f"{path.relative_to(LOCALE)}: {done.stderr.strip()}")
    assert not failures, "\n".join(failures)


def test_writing_a_catalog_drops_obsolete_copies_of_active_entries(tmp_path):

    catalog = Catalog(locale="ru")
    catalog.add("Examples", "Примеры")
    catalog.obsolete["Examples"] = catalog["Examples"]
    catalog.obsolete["Gone"] = Catalog(locale="ru").add("Gone", "Нет")
    path = tmp_path / "page.po"
    write_catalog(catalog, path)
    text = path.read_text(encoding="utf-8")
    assert text.count('msgid "Examples"') == 1
    assert '#~ msgid "Gone"' in text
