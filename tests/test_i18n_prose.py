"""A lesson's prose translated and wrapped again, for the downloads (gallery_i18n.prose)."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from gallery_i18n.prose import prose_lookup, translate_example, translate_rst

RST = """\
Linear autoencoder
==================

A linear autoencoder learns the same
subspace as :func:`PCA <sklearn.decomposition.PCA>` does.

* first item
  continues here
* second item

.. math::

   z = W x
"""

TABLE = {
    "Linear autoencoder": "Линейный автоэнкодер",
    "A linear autoencoder learns the same subspace as "
    ":func:`PCA <sklearn.decomposition.PCA>` does.": "Линейный автоэнкодер находит то же "
    "подпространство, что и :func:`метод главных компонент <sklearn.decomposition.PCA>`.",
    "first item continues here": "первый пункт, с продолжением",
}


def test_translate_rst_looks_entries_up_as_sphinx_joins_them():
    asked: list[str] = []

    def lookup(msgid: str) -> str | None:
        asked.append(msgid)
        return TABLE.get(msgid)

    translate_rst(RST, lookup, 40)
    # One entry per title, paragraph and list item, lines joined by spaces; no directive.
    assert asked == [
        "Linear autoencoder",
        "A linear autoencoder learns the same subspace as "
        ":func:`PCA <sklearn.decomposition.PCA>` does.",
        "first item continues here",
        "second item",
    ]


def test_translate_rst_rewraps_keeps_roles_whole_and_resizes_underlines():
    assert translate_rst(RST, TABLE.get, 40) == (
        "Линейный автоэнкодер\n"
        "====================\n"
        "\n"
        "Линейный автоэнкодер находит то же\n"
        "подпространство, что и\n"
        ":func:`метод главных компонент <sklearn.decomposition.PCA>`.\n"
        "\n"
        "* первый пункт, с продолжением\n"
        "* second item\n"
        "\n"
        ".. math::\n"
        "\n"
        "   z = W x"
    )


def test_translate_rst_indents_a_list_items_continuation():
    text = translate_rst("- a b\n", {"a b": "один два три четыре"}.get, 12)
    assert text == "- один два\n  три четыре"


def test_translate_rst_never_breaks_a_hyphenated_word():
    text = translate_rst("Some text.", {"Some text.": "страницы sphinx-gallery"}.get, 12)
    assert text == "страницы\nsphinx-gallery"


LESSON = '''\
"""
Title
=====

Intro paragraph.
"""

import numpy as np  # arrays

# %%
# A text cell with
# two lines.
#
# Second paragraph.

x = np.zeros(3)
'''


def test_translate_example_translates_docstring_cells_and_comments_not_code():
    catalog = Catalog(locale="ru")
    catalog.add("Title", "Заголовок")
    catalog.add("Intro paragraph.", "Вступление.")
    catalog.add("A text cell with two lines.", "Ячейка текста в две строки.")
    catalog.add("Second paragraph.", "Второй абзац.", flags=["fuzzy"])
    missing: list[str] = []
    source = translate_example(LESSON, prose_lookup(catalog, missing), {"arrays": "массивы"}.get)
    assert source == (
        '"""\nЗаголовок\n=========\n\nВступление.\n"""\n\n'
        "import numpy as np  # массивы\n\n"
        "# %%\n# Ячейка текста в две строки.\n#\n# Second paragraph.\n\n"
        "x = np.zeros(3)\n"
    )
    # A fuzzy entry is no translation: the download keeps the English, and says so.
    assert missing == ["Second paragraph."]
    compile(source, "lesson.py", "exec")


def test_prose_lookup_does_not_report_entries_without_prose():
    missing: list[str] = []
    lookup = prose_lookup(None, missing)
    assert lookup("``linear_ae``") is None
    assert lookup("An English sentence.") is None
    assert missing == ["An English sentence."]
