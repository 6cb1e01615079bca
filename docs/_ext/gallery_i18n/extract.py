"""The output catalog's template (``gallery-output.pot``): what it holds, and from where.

``nox -s gettext`` runs Sphinx's gettext builder, which extracts every page's prose into
one template per page; during that build, :func:`collect_comments` notes the comments of
the pages' code blocks, and :func:`write_collected` saves them beside the templates. Then
:func:`extract` writes :data:`~gallery_i18n.catalogs.OUTPUT_DOMAIN`'s template from the
lessons' source, the library's sentences, those notes and the fixed lists of this package,
and adds the theme's words to ``sphinx.pot``.
"""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.catalog import Catalog
from docutils import nodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx_gallery.py_source_parser import split_code_and_text_blocks

from ae_gallery import messages

from .catalogs import (
    CTX_BOILERPLATE,
    CTX_COMMENT,
    CTX_KERAS,
    CTX_OUTPUT,
    CTX_TERM,
    CTX_WIDGET,
    FIXED_DATE,
    OUTPUT_DOMAIN,
    read_catalog,
    write_catalog,
)
from .fill import BOILERPLATE_TEMPLATES
from .output import KERAS_TEMPLATES, KERAS_TERMS, WIDGET_WORDS
from .source import code_comments, example_messages, literal_comments
from .text import has_prose

__all__ = ["COLLECTED", "collect_comments", "extract", "output_catalog", "write_collected"]

#: The search page's message after a search: a plural, which Sphinx's own Russian catalog
#: leaves empty (the theme's other words come from docs/_templates/theme-words.html).
SEARCH_FOUND = (
    "Search finished, found one page matching the search query.",
    "Search finished, found ${resultCount} pages matching the search query.",
)

#: The gettext build's notes of what it found outside the prose: the comments of code.
COLLECTED = f"{OUTPUT_DOMAIN}.json"


def _example_code_blocks(path: Path) -> list[str]:
    _, blocks = split_code_and_text_blocks(str(path))
    return [content for label, content, _ in blocks if label == "code"]


def output_catalog(
    examples: Path, first_notebook_cell: str, collected: dict | None = None
) -> Catalog:
    """The output catalog's template: everything of the output domain, each kind in context.

    Parameters
    ----------
    examples : pathlib.Path
        The lessons' folder.
    first_notebook_cell : str
        The first cell of every notebook (its comments are entries).
    collected : dict, optional
        What the gettext build found in the pages (see :func:`write_collected`): the
        comments of their code blocks.

    Returns
    -------
    babel.messages.catalog.Catalog
        The template, each entry with an automatic comment that says where it is from.
    """
    collected = collected or {}
    catalog = Catalog(project="ae-gallery", fuzzy=False)

    def add(msgid: str, context: str, comment: str) -> None:
        # The first place an entry is found is the one its comment names.
        if catalog.get(msgid, context=context) is None:
            catalog.add(msgid, context=context, auto_comments=[comment])

    for path in sorted(examples.glob("*.py")):
        templates, terms = example_messages(path.read_text(encoding="utf-8"))
        for template in templates:
            if has_prose(template):
                add(template, CTX_OUTPUT, f"printed by examples/{path.name}")
        for term in terms:
            add(term, CTX_TERM, f"a label that examples/{path.name} prints")
        for code in _example_code_blocks(path):
            for _, _, text in code_comments(code):
                add(text, CTX_COMMENT, f"a comment in examples/{path.name}")
    for _, _, text in code_comments(first_notebook_cell):
        add(text, CTX_COMMENT, "a comment in the first cell of every notebook")
    for text, where in sorted(collected.get("comments", {}).items()):
        add(text, CTX_COMMENT, f"a comment in a code block of {where}")
    for template, _ in messages.TEMPLATES:
        add(template, CTX_OUTPUT, "printed by ae_gallery (ae_gallery.messages)")
    for singular, plural in messages.PLURALS:
        catalog.delete(singular, context=CTX_OUTPUT)
        catalog.delete(plural, context=CTX_OUTPUT)
        catalog.add(
            (singular, plural),
            context=CTX_OUTPUT,
            auto_comments=["printed by ae_gallery; the form follows the first number"],
        )
    for template in KERAS_TEMPLATES:
        add(template, CTX_KERAS, "a line of Keras' model.summary()")
    for term in KERAS_TERMS:
        add(term, CTX_KERAS, "a column of Keras' model.summary()")
    for word in WIDGET_WORDS:
        add(word, CTX_WIDGET, "matplotlib's animation widget")
    for template, _ in BOILERPLATE_TEMPLATES:
        add(template, CTX_BOILERPLATE, "sphinx-gallery's text; fills every page's copy")
    return catalog


def collect_comments(app, doctree) -> None:
    """In the gettext build: the comments of a page's code blocks, for the output catalog
    (the lessons' own are read from their source, in :func:`output_catalog`)."""
    docname = app.env.docname
    if not isinstance(app.builder, MessageCatalogBuilder) or docname.startswith("auto_examples/"):
        return
    found = getattr(app.env, "i18n_comments", {})
    found[docname] = sorted(
        text
        for block in doctree.findall(nodes.literal_block)
        for _, _, text in literal_comments(block.astext(), block.get("language", "none"))
        if has_prose(text)
    )
    app.env.i18n_comments = found


def write_collected(app, exception: Exception | None) -> None:
    """At the end of the gettext build: its notes, for :func:`extract`."""
    if exception is not None or not isinstance(app.builder, MessageCatalogBuilder):
        return
    comments: dict[str, str] = {}
    for docname, texts in sorted(getattr(app.env, "i18n_comments", {}).items()):
        for text in texts:
            comments.setdefault(text, f"{docname}.rst")
    collected = {"comments": comments}
    path = Path(app.outdir) / COLLECTED
    path.write_text(json.dumps(collected, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def extract(pot_dir: Path, examples: Path, first_notebook_cell: str) -> None:
    """Write ``gallery-output.pot`` and add the theme's words to ``sphinx.pot``.

    Parameters
    ----------
    pot_dir : pathlib.Path
        The gettext build's output folder (``docs/_build/gettext``).
    examples : pathlib.Path
        The lessons' folder.
    first_notebook_cell : str
        The first cell of every notebook.
    """
    collected_path = pot_dir / COLLECTED
    collected = json.loads(collected_path.read_text()) if collected_path.is_file() else {}
    catalog = output_catalog(examples, first_notebook_cell, collected)
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    write_catalog(catalog, pot_dir / f"{OUTPUT_DOMAIN}.pot")
    print(f"{OUTPUT_DOMAIN}.pot: {len(catalog)} entries")
    # The templates' words: Sphinx extracts them (docs/_templates), but this plural.
    theme_path = pot_dir / "sphinx.pot"
    theme = read_catalog(theme_path) or Catalog(project="ae-gallery", fuzzy=False)
    if theme.get(SEARCH_FOUND[0]) is None:
        theme.add(SEARCH_FOUND, auto_comments=["the search page (Sphinx's catalog lacks it)"])
    theme.creation_date = theme.revision_date = FIXED_DATE
    write_catalog(theme, theme_path)
    print(f"sphinx.pot: {len(theme)} entries")
