"""The downloads of a translated page: each lesson and its notebook, in the page's language.

Sphinx copies the English downloads into every language's site. On a translated page,
``gallery_build.finish_downloads`` writes instead, and into the zips, the lesson with its
prose and comments translated (:func:`~gallery_i18n.prose.translate_example`) and its
notebook made from that by sphinx-gallery. The code is the same program.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx_gallery.notebook import jupyter_notebook, save_notebook
from sphinx_gallery.py_source_parser import remove_config_comments, split_code_and_text_blocks

from .catalogs import entry_state
from .pages import catalog, examples_dir, locale_dir, output_translator, problem, shorten
from .prose import prose_lookup, translate_example
from .source import translate_comments

__all__ = ["translated_lessons"]


def translated_lessons(app: Sphinx, folder: Path) -> dict[str, bytes]:
    """Each lesson and its notebook, translated: file name -> content.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        A translated build.
    folder : pathlib.Path
        A scratch folder: sphinx-gallery makes a notebook from a file.
    """
    conf = dict(app.config.sphinx_gallery_conf)
    translator = output_translator(app)
    gallery = conf["gallery_dirs"]
    first_cell = conf.get("first_notebook_cell")
    if first_cell:
        conf["first_notebook_cell"] = translate_comments(first_cell, translator.comment)
    translated: dict[str, bytes] = {}
    for path in sorted(examples_dir(app).glob("*.py")):
        catalog_path = locale_dir(app) / gallery / f"{path.stem}.po"
        page_catalog = catalog(catalog_path)
        missing: list[str] = []
        source = translate_example(
            path.read_text(encoding="utf-8"),
            prose_lookup(page_catalog, missing),
            translator.comment,
        )
        # An entry that the lesson's page reports is English in its download too: the list
        # names it once. One that only the download misses means that translate_rst cut
        # the text otherwise than Sphinx did.
        relative = catalog_path.relative_to(Path(app.srcdir))
        reported = set(getattr(app.env, "i18n_problems", {}).get(f"{gallery}/{path.stem}", ()))
        for msgid in missing:
            text = f"{entry_state(page_catalog, msgid)} entry in {relative}: {shorten(msgid)!r}"
            if text not in reported:
                problem(app, f"download {path.name}: {text}")
        script = folder / path.name
        script.write_text(source, encoding="utf-8")
        translated[path.name] = source.encode("utf-8")
        _, blocks = split_code_and_text_blocks(str(script))
        if conf.get("remove_config_comments"):
            blocks = [type(b)(b[0], remove_config_comments(b[1]), b[2]) for b in blocks]
        notebook = jupyter_notebook(blocks, conf, Path(app.srcdir) / gallery)
        notebook_path = script.with_suffix(".ipynb")
        save_notebook(notebook, notebook_path)
        translated[notebook_path.name] = notebook_path.read_bytes()
    return translated
