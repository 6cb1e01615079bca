"""The lessons' live parts: their trained decoders, and the sine models, in the reader's browser.

No extension places a live widget in a sphinx-gallery page. Here:

* a lesson marks the place of each live part with an rST target, ``.. _live-sine-code:``
  (:data:`LIVE` says which lesson shows which, and the models it needs); in a downloaded
  notebook the mark is gone, and on the page the live part takes its place;
* after a lesson ran (:func:`export_live_parts`, from ``gallery_build.lesson_hook``), the
  data of its explorers (its trained decoders, as :func:`decoder_layers` writes them, and
  what each explorer offers) and of its trainer (``trainer_data``) go into
  ``docs/_build/static/live/<name>.js``, once for every language: scripts, since a page
  opened from disk may load scripts but not fetch files. ``conf.py`` names that folder in
  ``html_static_path``;
* a live part's title and words are those of ``docs/_templates/live.html``, in the page's
  language (``sphinx.po``); the pages that show one load its data and the scripts
  (``docs/_static``) that run it.

Examples
--------
>>> import keras
>>> inputs = keras.Input((2,))
>>> decoder = keras.Model(inputs, keras.layers.Dense(3, activation="elu")(inputs))
>>> [layer["kind"] for layer in decoder_layers(decoder)]
['dense']
"""

from __future__ import annotations

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
STATIC = "_build/static"


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


def _code_plane(runs: dict[str, Any]) -> dict[str, Any]:
    (_, _), (x_test, y_test) = data.load_mnist()
    model = runs["plane_ae"].model
    codes = model.get_layer("encoder").predict(x_test, batch_size=1000, verbose=0)
    # 2,000 test digits draw the clusters as the lesson's map does, within the size limit.
    shown = np.random.default_rng(0).choice(len(x_test), 2000, replace=False)
    return {
        "models": {"plane_ae": model_entry(model.get_layer("decoder"))},
        "codes": {"plane_ae": array(codes[shown])},
        "labels": y_test[shown].tolist(),
        # The plane the explorer shows: the codes of every test digit, with a margin.
        "bounds": np.stack([codes.min(0), codes.max(0)], 1).tolist(),
    }


@dataclass(frozen=True)
class Live:
    """One live part: the lesson whose page shows it, the target that marks its place there,
    the models it needs (as the lesson's fit calls name them), and what it shows (None for
    a trainer: :func:`trainer_data.trainer_script`)."""

    lesson: str
    marker: str
    models: tuple[str, ...]
    content: Callable[[dict[str, Any]], dict[str, Any]] | None


LIVE: dict[str, Live] = {
    "sine_code": Live("plot_3_deep_autoencoder", "live-sine-code", ("deep_ae",), _sine_code),
    "digit_paths": Live("plot_4_mnist_homotopy", "live-digit-paths", ("conv_ae",), _digit_paths),
    "latent_variables": Live(
        "plot_6_latent_variables",
        "live-latent-variables",
        ("sparse_ae", "sparse_ae_l1"),
        _latent_variables,
    ),
    "code_plane": Live("plot_7_manifold_learners", "live-code-plane", ("plane_ae",), _code_plane),
    **{
        lesson: Live(lesson, f"live-trainer-{model.replace('_', '-')}", (model,), None)
        for lesson, model in trainer_data.TRAINERS.items()
    },
}


def export_live_parts(lesson: str, docs: Path) -> None:
    """Write the data of a lesson's live parts from the models it just obtained (their runs
    in this process: :data:`ae_gallery.training.RUNS`) into ``docs`` / :data:`STATIC`,
    unless the file there was made from the same models (by another language's build)."""
    for name, live in LIVE.items():
        if live.lesson != lesson:
            continue
        runs = {model: training.RUNS[model] for model in live.models}
        made_from = f"/* models: {', '.join(run.key for run in runs.values())} */\n"
        path = docs / STATIC / "live" / f"{name}.js"
        if path.is_file() and path.read_text().startswith(made_from):
            continue
        if live.content is None:
            (run,) = runs.values()
            text = trainer_data.trainer_script(name, run)
        else:
            text = script("aeGalleryExplorers", name, live.content(runs))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(made_from + text)


class live_node(nodes.General, nodes.Element):
    """A live part's place in a page (:data:`LIVE`)."""


def _visit(self, node: live_node) -> None:
    kind = "trainer" if LIVE[node["name"]].content is None else "explorer"
    html = self.builder.templates.render("live.html", {"name": node["name"], "kind": kind})
    self.body.append(html.strip() + "\n")
    raise nodes.SkipNode


class PlaceLiveParts(SphinxTransform):
    """Each live part in place of the target that marks it in its lesson."""

    default_priority = 15  # before docutils moves a target's name onto what follows it

    def apply(self, **kwargs) -> None:
        lesson = self.env.docname.removeprefix("auto_examples/")
        for name, live in LIVE.items():
            if live.lesson != lesson:
                continue
            found = [t for t in self.document.findall(nodes.target) if live.marker in t["names"]]
            if not found:
                raise self.document.reporter.severe(
                    f"{lesson}: no target '.. _{live.marker}:' marks where {name!r} goes "
                    f"(docs/_ext/lesson_live.py)."
                )
            target = found[0]
            target.parent.insert(target.parent.index(target) + 1, live_node("", name=name))


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


def _static_folder(app, config) -> None:
    """The live data's folder exists before Sphinx checks ``html_static_path``, whether a
    lesson runs or not."""
    Path(app.srcdir, STATIC).mkdir(parents=True, exist_ok=True)


def setup(app):
    app.add_node(live_node, html=(_visit, None))
    app.add_transform(PlaceLiveParts)
    # Before Sphinx checks that each html_static_path exists (its config-inited, at 800).
    app.connect("config-inited", _static_folder, priority=5)
    app.connect("html-page-context", _load_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
