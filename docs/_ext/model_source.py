"""The lessons' models as code on their pages, read from ``ae_gallery.models`` itself.

keras-io shows a model's layers as code; our lessons call ``models.deep_ae()`` so that the
model the pages train is the one the tests check, and the layers live in the library. So
that the reader sees them anyway, each lesson page shows, before the first code block that
calls a model function of :mod:`ae_gallery.models`, that function's code (without its
docstring), read from the source at build time: it cannot drift from what runs. Its caption
links to the function's documentation, whose ``[source]`` link opens the whole module.

Like the explorers, the directive goes into the generated page only: the downloads stay
plain lessons, which call the same function.

Examples
--------
>>> print(function_code("linear_ae"))
def linear_ae() -> keras.Model:
    input_dots = keras.Input((2,))
    code = layers.Dense(1, activation="linear")(input_dots)
    out = layers.Dense(2, activation="linear")(code)
    return keras.Model(input_dots, out, name="linear_ae")
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

DIRECTIVE = "ae-gallery-model-source"


def model_functions() -> list[str]:
    """The model-building functions of :mod:`ae_gallery.models` (its classes left out)."""
    from ae_gallery import models

    return [name for name in models.__all__ if inspect.isfunction(getattr(models, name))]


def function_code(name: str) -> str:
    """The code of ``ae_gallery.models.<name>`` as written, without its docstring."""
    from ae_gallery import models

    source = Path(inspect.getsourcefile(models)).read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            keep = list(range(node.lineno - 1, node.end_lineno))
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstring = range(first.lineno - 1, first.end_lineno)
                keep = [i for i in keep if i not in docstring]
            code = "\n".join(lines[i] for i in keep)
            # The blank line a docstring leaves before the body goes with it.
            return re.sub(r"(\):|:)\n\n+", r"\1\n", code, count=1)
    raise ValueError(f"ae_gallery.models has no function {name!r}")


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """Start and end of each code block of a generated lesson page."""
    blocks = []
    for match in re.finditer(r"^\.\. code-block:: Python\n", text, flags=re.MULTILINE):
        end = re.search(r"^\S", text[match.end() :], flags=re.MULTILINE)
        blocks.append((match.start(), match.end() + end.start() if end else len(text)))
    return blocks


def with_model_sources(text: str, functions: list[str]) -> str:
    """A generated lesson page with each model function it calls shown before the first
    code block that calls it (once per page).

    Examples
    --------
    >>> code = "    models.deep_ae().summary()\\n"
    >>> page = "Text.\\n\\n.. code-block:: Python\\n\\n\\n" + code + "\\nMore.\\n"
    >>> print(with_model_sources(page, ["deep_ae"]))
    Text.
    <BLANKLINE>
    .. ae-gallery-model-source:: deep_ae
    <BLANKLINE>
    .. code-block:: Python
    <BLANKLINE>
    <BLANKLINE>
        models.deep_ae().summary()
    <BLANKLINE>
    More.
    <BLANKLINE>
    """
    inserts = []
    for name in functions:
        if f".. {DIRECTIVE}:: {name}\n" in text:
            continue
        for start, end in _code_blocks(text):
            if re.search(rf"\bmodels\.{name}\(", text[start:end]):
                inserts.append((start, name))
                break
    for start, name in sorted(inserts, reverse=True):
        text = text[:start] + f".. {DIRECTIVE}:: {name}\n\n" + text[start:]
    return text


def place_model_sources(app) -> None:
    """In the English HTML build, after sphinx-gallery wrote the lesson pages."""
    from gallery_hooks import lessons_to_edit

    gallery = lessons_to_edit(app)
    if gallery is None:
        return
    functions = model_functions()
    for page in sorted(gallery.glob("plot_*.rst")):
        text = page.read_text(encoding="utf-8")
        placed = with_model_sources(text, functions)
        if placed != text:
            page.write_text(placed, encoding="utf-8")


def _directive():
    from docutils import nodes
    from gallery_i18n.extract import LIBRARY_CODE
    from sphinx.directives.code import container_wrapper
    from sphinx.util.docutils import SphinxDirective

    class ModelSource(SphinxDirective):
        """``.. ae-gallery-model-source:: <function>``: the function's code, captioned with
        a link to its documentation."""

        required_arguments = 1

        def run(self):
            import ae_gallery.models

            name = self.arguments[0]
            if name not in model_functions():
                raise self.error(f"ae_gallery.models has no model function {name!r}")
            # Read again when the models or this extension change.
            self.env.note_dependency(inspect.getsourcefile(ae_gallery.models))
            self.env.note_dependency(__file__)
            code = function_code(name)
            literal = nodes.literal_block(code, code, language="python")
            # Its comments are translated (gallery_i18n reads them in the gettext build).
            literal["classes"].append(LIBRARY_CODE)
            self.set_source_info(literal)
            wrapped = container_wrapper(self, literal, f":func:`ae_gallery.models.{name}`")
            wrapped["classes"].append("ae-gallery-model-source")
            # A name and code: nothing for the translators (the catalogs would list it).
            for caption in wrapped.findall(nodes.caption):
                caption["translatable"] = False
            return [wrapped]

    return ModelSource


def setup(app):
    app.add_directive(DIRECTIVE, _directive())
    # After sphinx-gallery wrote the lesson pages (builder-inited, priority 500).
    app.connect("builder-inited", place_model_sources, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
