"""Live decoders in the lesson pages: the reader moves through a trained latent space.

Three explorers (:data:`explorer_data.EXPLORERS`), each on its lesson's page, after the sentence of
the lesson that announces it:

* the English build, once sphinx-gallery has run the lessons (builder-inited), writes each
  explorer's data (the lesson's trained decoders, from the weights the lesson itself
  loaded) into ``auto_examples/explorers/<name>.js``, and places a
  ``.. ae-gallery-explorer:: <name>`` directive in the lesson's page;
* every language's build renders the directive as an empty container with the explorer's
  words (translated) and, for a reader without JavaScript, a sentence; it copies the data
  into ``_static/explorers/`` and loads it, with ``_static/explorers.js`` (the forward pass
  and the controls), on the pages that show an explorer.

The downloads stay plain lessons: the directive is in the generated page only.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from explorer_data import EXPLORERS, export
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

DIRECTIVE = "ae-gallery-explorer"
#: Where the English build writes the explorers' data, inside the generated gallery.
DATA_FOLDER = "explorers"
#: The page script that computes and draws (docs/_static).
SCRIPT = "explorers.js"

#: Each explorer's name for screen readers (and its title), a word of EXPLORER_WORDS.
TITLES = {
    "sine_code": "Explorer: the code of the sine curve",
    "digit_paths": "Explorer: paths between digits",
    "latent_variables": "Explorer: sixteen latent variables",
}
NO_SCRIPT = (
    "This explorer runs in your browser and needs JavaScript, which is off; the figures on "
    "this page show the same models."
)


def _source_stamp(gallery: Path) -> str:
    """What the explorers' data depends on: the lessons' library and profile (the gallery's
    stamp, see gallery_hooks) and the code that exports them."""
    from gallery_hooks import STAMP_NAME

    digest = hashlib.sha256()
    stamp = gallery / STAMP_NAME
    digest.update(stamp.read_bytes() if stamp.exists() else b"")
    digest.update(Path(__file__).with_name("explorer_data.py").read_bytes())
    return digest.hexdigest()


def place_explorers(app) -> None:
    """In the English HTML build, after sphinx-gallery: put each explorer into its lesson's
    page, and write its data (again only when what it depends on changed)."""
    from gallery_hooks import lessons_to_edit

    gallery = lessons_to_edit(app)
    if gallery is None:
        return
    for name, explorer in EXPLORERS.items():
        page = gallery / f"{explorer.lesson}.rst"
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        if f".. {DIRECTIVE}:: {name}\n" in text:
            continue
        # The sentence may be wrapped anywhere between its words.
        found = re.search(r"\s+".join(map(re.escape, explorer.after.split())), text)
        if found is None:
            raise ExtensionError(
                f"explorers: {page.name} has no sentence containing {explorer.after!r}, after "
                f"which the explorer {name!r} goes. Keep the sentence in "
                f"examples/{explorer.lesson}.py, or change docs/_ext/explorer_data.py."
            )
        end = text.find("\n\n", found.end())
        end = len(text) if end < 0 else end
        text = text[:end] + f"\n\n.. {DIRECTIVE}:: {name}\n" + text[end:]
        page.write_text(text, encoding="utf-8")

    folder = gallery / DATA_FOLDER
    stamp_file = folder / ".stamp"
    stamp = _source_stamp(gallery)
    wanted = [folder / f"{name}.js" for name in EXPLORERS]
    if stamp_file.is_file() and stamp_file.read_text() == stamp and all(map(Path.is_file, wanted)):
        return
    folder.mkdir(exist_ok=True)
    for name, path in zip(EXPLORERS, wanted, strict=True):
        logger.info(f"explorers: writing {path.name} from the lesson's trained models")
        path.write_text(export(name, _lesson_run), encoding="utf-8")
    stamp_file.write_text(stamp)


def _lesson_run(recipe):
    """The model as the lesson obtained it: loaded from the cache its run filled, or the
    published weights. Trained again here only if the cache could not keep it, and then
    the build says so (the explorer might differ from the page's figures)."""
    from ae_gallery import training

    run = training.train(recipe, verbose=False)
    if not (run.from_cache or run.published):
        logger.warning(
            f"explorers: {recipe.name} was neither in the weights cache nor published, so it "
            "was trained again for its explorer. Check that the cache folder is usable "
            "(AE_GALLERY_CACHE) and rebuild."
        )
    return run


class explorer_node(nodes.General, nodes.Element):
    """An explorer's place in a page: ``explorers.js`` fills it in."""


def _visit_explorer(self, node: explorer_node) -> None:
    words = html.escape(json.dumps(node["words"], ensure_ascii=False), quote=True)
    self.body.append(
        f'<div class="ae-explorer" id="explorer-{node["name"]}" '
        f'data-explorer="{node["name"]}" data-words="{words}" role="group" '
        f'aria-label="{html.escape(node["title"], quote=True)}">'
        f'<p class="ae-explorer-title">{html.escape(node["title"])}</p>'
        f"<noscript><p>{html.escape(node['no_script'])}</p></noscript></div>\n"
    )
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


class ExplorerDirective(SphinxDirective):
    """``.. ae-gallery-explorer:: <name>``: one explorer (:data:`explorer_data.EXPLORERS`)."""

    required_arguments = 1

    def run(self):
        from gallery_i18n.words import EXPLORER_WORDS

        name = self.arguments[0]
        if name not in EXPLORERS:
            raise self.error(f"no explorer {name!r}; known: {', '.join(EXPLORERS)}")
        words = {word: self._translated(word) for word in EXPLORER_WORDS}
        node = explorer_node(
            name=name,
            words=words,
            title=words[TITLES[name]],
            no_script=words[NO_SCRIPT],
        )
        # Read again when this extension changes (the words, the markup).
        self.env.note_dependency(__file__)
        return [node]

    def _translated(self, word: str) -> str:
        if self.env.config.language in (None, "en"):
            return word
        from gallery_i18n.catalogs import CTX_EXPLORER
        from gallery_i18n.check import problem
        from gallery_i18n.context import output_translator

        translated = output_translator(self.env.app).get(word, CTX_EXPLORER)
        if not translated:
            problem(self.env.app, f"untranslated explorer word {word!r}")
        return translated or word


def _explorers_of(doctree) -> list[str]:
    if doctree is None:
        return []
    return [node["name"] for node in doctree.findall(explorer_node)]


def load_on_explorer_pages(app, pagename, templatename, context, doctree) -> None:
    """The pages that show an explorer load its data, then the script that runs it."""
    names = _explorers_of(doctree)
    for name in names:
        app.add_js_file(f"{DATA_FOLDER}/{name}.js", priority=600, defer="defer")
    if names:
        app.add_js_file(SCRIPT, priority=601, defer="defer")


def copy_data(app, exception) -> None:
    """Every language's site gets the explorers' data the English build wrote."""
    if exception is not None or app.builder.format != "html":
        return
    source = Path(app.srcdir) / "auto_examples" / DATA_FOLDER
    target = Path(app.outdir) / "_static" / DATA_FOLDER
    missing = [name for name in EXPLORERS if not (source / f"{name}.js").is_file()]
    if missing:
        logger.warning(
            f"explorers: no data for {', '.join(missing)} in {source}: build the English "
            "site first (it runs the lessons and writes them)."
        )
        return
    target.mkdir(parents=True, exist_ok=True)
    for name in EXPLORERS:
        shutil.copyfile(source / f"{name}.js", target / f"{name}.js")


def setup(app):
    app.add_node(
        explorer_node,
        html=(_visit_explorer, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive(DIRECTIVE, ExplorerDirective)
    # After sphinx-gallery wrote the lesson pages (builder-inited, priority 500).
    app.connect("builder-inited", place_explorers, priority=600)
    app.connect("html-page-context", load_on_explorer_pages)
    app.connect("build-finished", copy_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
