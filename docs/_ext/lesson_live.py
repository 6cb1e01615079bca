"""The lessons' live parts: their trained decoders, and the sine models, in the reader's browser.

No extension places a live widget in a sphinx-gallery page and translates its words with
the page. Here:

* after a lesson ran (:func:`export_live_parts`, from ``gallery_build.lesson_hook``), the
  data of its explorers (its trained decoders, as :func:`decoder_layers` writes them, and
  what each explorer offers) and of its trainer (``trainer_data``) go into
  ``auto_examples/_static/live/<name>.js``: scripts, since a page opened from disk may
  load scripts but not fetch files. ``conf.py`` names that folder in ``html_static_path``,
  so every language's site gets them;
* in every language, a transform puts each live part after the paragraph of its lesson
  that announces it, before Sphinx translates the page: its words are paragraphs of that
  page, so they are entries of the lesson's own catalog, translated with the rest of it;
* the pages that show one load its data and the scripts (``docs/_static``) that run it.

Examples
--------
>>> import keras
>>> inputs = keras.Input((2,))
>>> decoder = keras.Model(inputs, keras.layers.Dense(3, activation="elu")(inputs))
>>> [layer["kind"] for layer in decoder_layers(decoder)]
['dense']
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
import trainer_data
from docutils import nodes
from live_format import ACTIVATIONS, array, script
from sphinx.transforms import SphinxTransform

from ae_gallery import data, training

#: The folder, in the docs, of the live parts' data (``conf.py``: in ``html_static_path``).
STATIC = "auto_examples/_static"


class ExportError(ValueError):
    """A decoder has a layer or setting that the page's forward pass does not compute."""


def _activation(layer) -> str:
    name = getattr(layer.activation, "__name__", str(layer.activation))
    if name not in ACTIVATIONS:
        raise ExportError(
            f"layer {layer.name!r} uses the activation {name!r}; the page computes only "
            f"{', '.join(ACTIVATIONS)} (docs/_static/ae-nn.js)."
        )
    return name


def decoder_layers(decoder: keras.Model) -> list[dict[str, Any]]:
    """A Keras decoder's layers, in order, as the page's forward pass runs them.

    Raises
    ------
    ExportError
        For a layer kind or setting the page does not compute (strides, 'valid' padding,
        bilinear upsampling, another activation...): the message names the layer.
    """
    exported = []
    for layer in decoder.layers:
        config = layer.get_config()
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if type(layer) in (keras.layers.Dense, keras.layers.Conv2D):
            settings = {k: config.get(k) for k in ("padding", "strides", "dilation_rate")}
            if type(layer) is keras.layers.Conv2D and settings != {
                "padding": "same",
                "strides": (1, 1),
                "dilation_rate": (1, 1),
            }:
                raise ExportError(
                    f"layer {layer.name!r} is a Conv2D with {settings}; the page "
                    "computes only 'same' padding, strides and dilation 1."
                )
            kernel, bias = layer.get_weights()
            kind = "dense" if type(layer) is keras.layers.Dense else "conv2d"
            exported.append(
                {
                    "kind": kind,
                    "activation": _activation(layer),
                    "kernel": array(kernel),
                    "bias": array(bias),
                }
            )
        elif isinstance(layer, keras.layers.UpSampling2D) and config["interpolation"] == "nearest":
            exported.append({"kind": "upsampling2d", "size": list(config["size"])})
        elif isinstance(layer, keras.layers.Reshape | keras.layers.Flatten):
            # Values stay in the same (row, column, channel) order: only the shape changes.
            exported.append({"kind": "reshape", "shape": list(layer.output.shape[1:])})
        else:
            raise ExportError(
                f"layer {layer.name!r} ({type(layer).__name__}, {config.get('interpolation')!r}) "
                "is not a layer the page's forward pass computes (Dense, Conv2D 'same', "
                "UpSampling2D nearest, Reshape)."
            )
    return exported


def model_entry(decoder: keras.Model) -> dict[str, Any]:
    """One decoder for the page: its input and output shapes, and its layers."""
    shapes = {"input": list(decoder.input.shape[1:]), "output": list(decoder.output.shape[1:])}
    return {**shapes, "layers": decoder_layers(decoder)}


def sine_parts(model: keras.Model) -> tuple[keras.Model, keras.Model]:
    """The deep autoencoder of the sine curve cut at its one-number code: ``(encoder,
    decoder)``, sharing the trained layers."""
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    widths = [layer.units for layer in dense]
    if widths.count(1) != 1:
        raise ExportError(f"expected one 1-unit code layer in {model.name}; widths {widths}")
    cut = widths.index(1) + 1

    def chain(shape, layers):
        inputs = x = keras.Input(shape)
        for layer in layers:
            x = layer(x)
        return keras.Model(inputs, x)

    return chain(model.input.shape[1:], dense[:cut]), chain((1,), dense[cut:])


def decoder_of(name: str, model: keras.Model) -> keras.Model:
    """The decoder of a lesson's model (the sine models are cut at their code)."""
    return sine_parts(model)[1] if name in ("deep_ae", "overfit_ae") else model.get_layer("decoder")


def first_of_each_class(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Indices of the first ``per_class`` images of each digit, by digit.

    >>> first_of_each_class(np.array([1, 0, 1, 1, 0]), 2).tolist()
    [1, 4, 0, 2]
    """
    return np.concatenate([np.flatnonzero(labels == d)[:per_class] for d in np.unique(labels)])


def _digits(indices: np.ndarray, x_test: np.ndarray, y_test: np.ndarray) -> dict[str, Any]:
    pixels = np.rint(x_test[indices, :, :, 0] * 255).astype(np.uint8)  # MNIST's are whole levels
    return {
        "images": array(pixels, "uint8"),
        "labels": y_test[indices].tolist(),
        "test_index": indices.tolist(),
    }


def _sine_code(runs: dict[str, Any]) -> dict[str, Any]:
    sine = data.make_sine_data()
    encoder, decoder = sine_parts(runs["deep_ae"].model)
    codes = encoder.predict(sine.dots, batch_size=1000, verbose=0)[:, 0]
    return {
        "models": {"deep_ae": model_entry(decoder)},
        "dots": np.round(sine.dots, 3).tolist(),  # drawn only: finer than a pixel
        "curve": np.round(sine.curve[::5], 4).tolist(),
        "code_range": [float(codes.min()), float(codes.max())],
    }


def _digit_paths(runs: dict[str, Any]) -> dict[str, Any]:
    (_, _), (x_test, y_test) = data.load_mnist()
    indices = first_of_each_class(y_test, 3)
    model = runs["conv_ae"].model
    codes = model.get_layer("encoder").predict(x_test[indices], verbose=0)
    eights = np.flatnonzero(y_test == 8)[1:3]  # the lesson's pair
    return {
        "models": {"conv_ae": model_entry(model.get_layer("decoder"))},
        "digits": _digits(indices, x_test, y_test),
        "codes": {"conv_ae": array(codes.reshape(len(indices), -1))},
        "start": [int(np.flatnonzero(indices == i)[0]) for i in eights],
    }


def _latent_variables(runs: dict[str, Any]) -> dict[str, Any]:
    (_, _), (x_test, y_test) = data.load_mnist()
    indices = first_of_each_class(y_test, 1)
    content: dict[str, Any] = {"models": {}, "codes": {}, "ranges": {}}
    for name, run in runs.items():
        codes = run.model.get_layer("encoder").predict(x_test, batch_size=1000, verbose=0)
        content["models"][name] = model_entry(run.model.get_layer("decoder"))
        content["codes"][name] = array(codes[indices])
        # Each variable's range over the whole test set: what its slider spans.
        content["ranges"][name] = np.stack([codes.min(0), codes.max(0)], 1).tolist()
    return {**content, "digits": _digits(indices, x_test, y_test)}


@dataclass(frozen=True)
class Live:
    """One live part: the lesson whose page shows it, the sentence it follows there, the
    models it needs (as the lesson's fit calls name them), what it shows, and its words."""

    lesson: str
    after: str
    models: tuple[str, ...]
    content: Callable[[dict[str, Any]], dict[str, Any]] | None
    words: tuple[str, ...]


NO_SCRIPT = (
    "This explorer runs in your browser and needs JavaScript, which is off; the figures on "
    "this page show the same models."
)
LIVE: dict[str, Live] = {
    "sine_code": Live(
        "plot_3_deep_autoencoder",
        "the decoder's point travels along the curve",
        ("deep_ae",),
        _sine_code,
        (
            "Explorer: the code of the sine curve",
            NO_SCRIPT,
            "Code",
            "Decoded point",
            "Inside the codes of the data",
            "Codes of the data",
            "Beyond the codes of the data: the decoder continues the curve where no data taught it",
        ),
    ),
    "digit_paths": Live(
        "plot_4_mnist_homotopy",
        "both paths between two test digits of your choice",
        ("conv_ae",),
        _digit_paths,
        (
            "Explorer: paths between digits",
            NO_SCRIPT,
            "From",
            "To",
            "Position on the path, t",
            "Pixel space: the blend of the two images",
            "Code space: the decoded blend of the two codes",
            "a {digit}, test image {index}",
        ),
    ),
    "latent_variables": Live(
        "plot_6_latent_variables",
        "one slider for each of the 16 code values",
        ("sparse_ae", "sparse_ae_l1"),
        _latent_variables,
        (
            "Explorer: sixteen latent variables",
            NO_SCRIPT,
            "Test digit",
            "Back to the digit's code",
            "Without the penalty (λ = 0)",
            "Sparse (λ = 1e-5)",
            "Decoded digit",
            "Latent variable {name}",
            "from {low} to {high} on the test digits",
            "a {digit}, test image {index}",
            "Each slider spans its variable's values in the codes of the test digits.",
        ),
    ),
    **{
        lesson: Live(
            lesson, "trains this model in your browser", (model,), None, trainer_data.TRAINER_WORDS
        )
        for lesson, model in trainer_data.TRAINERS.items()
    },
}


def export_live_parts(lesson: str, docs: Path) -> None:
    """Write the data of a lesson's live parts from the models it just trained (their last
    runs in this process: :data:`ae_gallery.training.RUNS`) into ``docs`` / :data:`STATIC`."""
    for name, live in LIVE.items():
        if live.lesson != lesson:
            continue
        runs = {model: training.RUNS[model] for model in live.models}
        target = docs / STATIC / "live"
        target.mkdir(parents=True, exist_ok=True)
        if live.content is None:
            (run,) = runs.values()
            text = trainer_data.trainer_script(name, run)
        else:
            text = script("aeGalleryExplorers", name, live.content(runs))
        (target / f"{name}.js").write_text(text)


class live_node(nodes.General, nodes.Element):
    """A live part's place in a page; its children are its words, translated with the page."""


def _visit(self, node: live_node) -> None:
    kind = "trainer" if LIVE[node["name"]].content is None else "explorer"
    words = dict(zip(node["english"], (child.astext() for child in node.children), strict=True))
    title = words[node["english"][0]]
    self.body.append(
        f'<div class="ae-{kind}" id="{kind}-{node["name"]}" data-{kind}="{node["name"]}" '
        f'data-words="{html.escape(json.dumps(words, ensure_ascii=False), quote=True)}" '
        f'role="group" aria-label="{html.escape(title, quote=True)}">'
        f'<p class="ae-{kind}-title">{html.escape(title)}</p>'
        f"<noscript><p>{html.escape(words[node['english'][1]])}</p></noscript></div>\n"
    )
    raise nodes.SkipNode


class PlaceLiveParts(SphinxTransform):
    """Each live part after the paragraph that announces it, before the page is translated."""

    default_priority = 15  # Sphinx's Locale transform is 20

    def apply(self, **kwargs) -> None:
        lesson = self.env.docname.removeprefix("auto_examples/")
        for name, live in LIVE.items():
            if live.lesson != lesson:
                continue
            wanted = re.compile(r"\s+".join(map(re.escape, live.after.split())))
            found = [p for p in self.document.findall(nodes.paragraph) if wanted.search(p.astext())]
            if not found:
                raise self.document.reporter.severe(
                    f"{lesson}: no paragraph says {live.after!r}, after which {name!r} goes "
                    f"(docs/_ext/lesson_live.py)."
                )
            words = [nodes.paragraph(word, word) for word in live.words]
            for word in words:  # where Sphinx's translation looks for a page's entries
                word.source, word.line = found[0].source, found[0].line
            found[0].parent.insert(
                found[0].parent.index(found[0]) + 1,
                live_node("", *words, name=name, english=list(live.words)),
            )


#: A trainer's scripts after ae-nn.js, in the order they load (each needs those before it).
TRAINER_SCRIPTS = ("ae-train.js", "trainer-lesson.js", "trainer-views.js", "trainer.js")


def _load_scripts(app, pagename, templatename, context, doctree) -> None:
    """A page that shows a live part loads its data, then the scripts that run it."""
    for node in doctree.findall(live_node) if doctree else ():
        trainer = LIVE[node["name"]].content is None
        app.add_js_file(f"live/{node['name']}.js", priority=600, defer="defer")
        app.add_js_file("ae-nn.js", priority=601, defer="defer")
        for name in TRAINER_SCRIPTS if trainer else ("explorers.js",):
            app.add_js_file(name, priority=602, defer="defer")
        if trainer:
            app.add_css_file("trainer.css")


def setup(app):
    app.add_node(live_node, html=(_visit, None))
    app.add_transform(PlaceLiveParts)
    app.connect("html-page-context", _load_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
