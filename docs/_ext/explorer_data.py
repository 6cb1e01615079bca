"""The lessons' trained decoders, and what their explorers show, as data a page can load.

A decoder becomes a list of layers (dense, 2-D convolution with 'same' padding, nearest
upsampling, reshape), each with its float32 weights written as base64 (little-endian): the
forward pass in ``docs/_static/explorers.js`` runs them. Everything an explorer needs goes
into one script, ``explorers/<name>.js``, that registers it in ``window.aeGalleryExplorers``:
a script, not a JSON file, because a page opened from disk may load scripts but not fetch.

Examples
--------
>>> from ae_gallery import models
>>> layers = decoder_layers(models.deep_sparse_ae(0.0).decoder)
>>> [layer["kind"] for layer in layers]
['dense', 'dense', 'dense', 'dense', 'reshape']
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "EXPLORERS",
    "Explorer",
    "ExportError",
    "decoder_layers",
    "decoder_of",
    "exported_weights",
    "explorer_script",
    "read_array",
    "read_script",
]

#: The activations the page's forward pass computes.
ACTIVATIONS = ("linear", "relu", "elu", "sigmoid")


class ExportError(ValueError):
    """A decoder has a layer or setting that the page's forward pass does not compute."""


def array(values: Any, dtype: str = "float32") -> dict[str, Any]:
    """An array as the page reads it: its shape, dtype and little-endian bytes in base64."""
    values = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    return {
        "shape": list(values.shape),
        "dtype": np.dtype(dtype).name,
        "data": base64.b64encode(values.tobytes()).decode("ascii"),
    }


def read_array(entry: dict[str, Any]) -> np.ndarray:
    """The array that :func:`array` wrote.

    Examples
    --------
    >>> read_array(array([[1.5, 2.0]])).tolist()
    [[1.5, 2.0]]
    """
    dtype = np.dtype(entry["dtype"]).newbyteorder("<")
    flat = np.frombuffer(base64.b64decode(entry["data"]), dtype=dtype)
    return flat.reshape(entry["shape"]).astype(entry["dtype"])


def _activation(layer) -> str:
    name = getattr(layer.activation, "__name__", str(layer.activation))
    if name not in ACTIVATIONS:
        raise ExportError(
            f"layer {layer.name!r} uses the activation {name!r}; the page computes only "
            f"{', '.join(ACTIVATIONS)}. Add it to docs/_static/explorers.js and ACTIVATIONS."
        )
    return name


def decoder_layers(decoder) -> list[dict[str, Any]]:
    """A Keras decoder's layers (in order) as the page's forward pass runs them.

    Raises
    ------
    ExportError
        For a layer kind or setting the page does not compute (strides, 'valid' padding,
        bilinear upsampling, another activation...): the message names the layer.
    """
    from keras import layers as kl

    exported = []
    for layer in decoder.layers:
        config = layer.get_config()
        if isinstance(layer, kl.InputLayer):
            continue
        if isinstance(layer, kl.Dense):
            kernel, bias = layer.get_weights()
            exported.append(
                {
                    "kind": "dense",
                    "activation": _activation(layer),
                    "kernel": array(kernel),
                    "bias": array(bias),
                }
            )
        elif isinstance(layer, kl.Conv2D) and type(layer) is kl.Conv2D:
            settings = {
                "padding": config["padding"],
                "strides": tuple(config["strides"]),
                "dilation_rate": tuple(config["dilation_rate"]),
                "data_format": config["data_format"],
                "groups": config.get("groups", 1),
            }
            wanted = {
                "padding": "same",
                "strides": (1, 1),
                "dilation_rate": (1, 1),
                "data_format": "channels_last",
                "groups": 1,
            }
            if settings != wanted:
                raise ExportError(
                    f"layer {layer.name!r} is a Conv2D with {settings}; the page computes "
                    f"only {wanted}."
                )
            kernel, bias = layer.get_weights()
            exported.append(
                {
                    "kind": "conv2d",
                    "activation": _activation(layer),
                    "kernel": array(kernel),
                    "bias": array(bias),
                }
            )
        elif isinstance(layer, kl.UpSampling2D):
            if config["interpolation"] != "nearest" or config["data_format"] != "channels_last":
                raise ExportError(
                    f"layer {layer.name!r} upsamples with {config['interpolation']!r} "
                    f"({config['data_format']}); the page computes only nearest, channels_last."
                )
            exported.append({"kind": "upsampling2d", "size": list(config["size"])})
        elif isinstance(layer, (kl.Reshape, kl.Flatten)):
            # Values stay in the same (row, column, channel) order: only the shape changes.
            exported.append({"kind": "reshape", "shape": list(layer.output.shape[1:])})
        else:
            raise ExportError(
                f"layer {layer.name!r} ({type(layer).__name__}) is not a layer the page's "
                "forward pass computes (Dense, Conv2D 'same', UpSampling2D nearest, Reshape)."
            )
    return exported


def model_entry(decoder) -> dict[str, Any]:
    """One decoder for the page: its input and output shapes, and its layers."""
    return {
        "input": list(decoder.input.shape[1:]),
        "output": list(decoder.output.shape[1:]),
        "layers": decoder_layers(decoder),
    }


def explorer_script(name: str, content: dict[str, Any]) -> str:
    """The script that registers one explorer's data in ``window.aeGalleryExplorers``."""
    payload = json.dumps(content, separators=(",", ":"), sort_keys=True)
    return (
        f"/* ae-gallery: the data of the explorer {name!r}, written by the site's build "
        "(docs/_ext/explorers.py). */\n"
        f"(window.aeGalleryExplorers = window.aeGalleryExplorers || {{}})[{json.dumps(name)}]"
        f" = {payload};\n"
    )


def read_script(text: str) -> dict[str, Any]:
    """The data that :func:`explorer_script` wrote (for tests)."""
    payload = text[text.index("] = ") + 4 :].rstrip().rstrip(";")
    return json.loads(payload)


# --- What each explorer shows -------------------------------------------------------------


def sine_parts(model):
    """The deep autoencoder of the sine curve, cut at its one-number code:
    ``(encoder, decoder)``, sharing the trained layers."""
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    widths = [layer.units for layer in dense]
    if widths.count(1) != 1:
        raise ExportError(f"expected one 1-unit code layer in {model.name}; widths {widths}")
    cut = widths.index(1) + 1

    def chain(shape, layers):
        inputs = keras.Input(shape)
        x = inputs
        for layer in layers:
            x = layer(x)
        return keras.Model(inputs, x)

    return chain(model.input.shape[1:], dense[:cut]), chain((1,), dense[cut:])


def decoder_of(recipe: str, built) -> Any:
    """The decoder of what a recipe's ``build`` returned (trained or not).

    Examples
    --------
    >>> from ae_gallery import models
    >>> decoder_of("deep_ae", models.deep_ae()).input.shape
    (None, 1)
    """
    if recipe in ("deep_ae", "overfit_ae"):
        return sine_parts(built)[1]
    return built.decoder


def exported_weights(entry: dict[str, Any]) -> list[np.ndarray]:
    """A decoder's weights as exported, in Keras' order (for ``decoder.set_weights``)."""
    return [
        read_array(layer[part])
        for layer in entry["layers"]
        for part in ("kernel", "bias")
        if part in layer
    ]


def _sine_code(runs: dict[str, Any]) -> dict[str, Any]:
    from ae_gallery import data

    sine = data.make_sine_data()
    encoder, decoder = sine_parts(runs["deep_ae"].model)
    codes = encoder.predict(sine.dots, batch_size=1000, verbose=0)[:, 0]
    return {
        "models": {"deep_ae": model_entry(decoder)},
        # Drawn only: three decimals are finer than a pixel.
        "dots": np.round(sine.dots, 3).tolist(),
        "curve": np.round(sine.curve[::5], 4).tolist(),
        "code_range": [float(codes.min()), float(codes.max())],
    }


#: How many test digits of each class the paths explorer offers.
DIGITS_PER_CLASS = 3


def first_of_each_class(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Indices of the first ``per_class`` images of each digit, by digit.

    Examples
    --------
    >>> first_of_each_class(np.array([1, 0, 1, 1, 0]), 2).tolist()
    [1, 4, 0, 2]
    """
    return np.concatenate([np.flatnonzero(labels == d)[:per_class] for d in np.unique(labels)])


def _digits(indices: np.ndarray, x_test: np.ndarray, y_test: np.ndarray) -> dict[str, Any]:
    # MNIST's pixels are whole levels / 255: bytes hold them exactly.
    pixels = np.rint(x_test[indices, :, :, 0] * 255).astype(np.uint8)
    return {
        "images": array(pixels, "uint8"),
        "labels": y_test[indices].tolist(),
        "test_index": indices.tolist(),
    }


def _digit_paths(runs: dict[str, Any]) -> dict[str, Any]:
    from ae_gallery import data

    (_, _), (x_test, y_test) = data.load_mnist()
    indices = first_of_each_class(y_test, DIGITS_PER_CLASS)
    parts = runs["conv_ae"].model
    codes = parts.encoder.predict(x_test[indices], verbose=0)
    # The lesson's pair: the second and third eights of the test set.
    eights = np.flatnonzero(y_test == 8)[1:3]
    return {
        "models": {"conv_ae": model_entry(parts.decoder)},
        "digits": _digits(indices, x_test, y_test),
        "codes": {"conv_ae": array(codes.reshape(len(indices), -1))},
        "start": [int(np.flatnonzero(indices == i)[0]) for i in eights],
    }


def _latent_variables(runs: dict[str, Any]) -> dict[str, Any]:
    from ae_gallery import data

    (_, _), (x_test, y_test) = data.load_mnist()
    indices = first_of_each_class(y_test, 1)
    content: dict[str, Any] = {"models": {}, "codes": {}, "ranges": {}}
    for recipe, run in runs.items():
        parts = run.model
        all_codes = parts.encoder.predict(x_test, batch_size=1000, verbose=0)
        content["models"][recipe] = model_entry(parts.decoder)
        content["codes"][recipe] = array(all_codes[indices])
        # Each variable's range over the whole test set: what its slider spans.
        content["ranges"][recipe] = np.stack([all_codes.min(0), all_codes.max(0)], 1).tolist()
    content["digits"] = _digits(indices, x_test, y_test)
    return content


@dataclass(frozen=True)
class Explorer:
    """One explorer: the lesson whose page shows it, the models it decodes with (recipe
    names, trained as the lesson trains them), and what it shows, from those runs."""

    lesson: str
    recipes: tuple[str, ...]
    content: Callable[[dict[str, Any]], dict[str, Any]]
    #: The lesson's sentence that the explorer follows on the page.
    after: str


EXPLORERS: dict[str, Explorer] = {
    "sine_code": Explorer(
        lesson="plot_3_deep_autoencoder",
        recipes=("deep_ae",),
        content=_sine_code,
        after="the decoder's point travels along the curve",
    ),
    "digit_paths": Explorer(
        lesson="plot_4_mnist_homotopy",
        recipes=("conv_ae",),
        content=_digit_paths,
        after="both paths between two test digits of your choice",
    ),
    "latent_variables": Explorer(
        lesson="plot_6_latent_variables",
        recipes=("sparse_ae", "sparse_ae_l1"),
        content=_latent_variables,
        after="one slider for each of the 16 code values",
    ),
}


def export(name: str, train: Callable[[Any], Any] | None = None) -> str:
    """The script of explorer ``name``, from the models its lesson trains.

    ``train`` obtains a recipe's model as the lesson does (by default
    :func:`ae_gallery.training.train`, which loads it from the cache or the published
    weights the lesson's run left).
    """
    from ae_gallery import recipes, training

    explorer = EXPLORERS[name]
    train = train or (lambda recipe: training.train(recipe, verbose=False))
    runs = {recipe: train(recipes.get(recipe)) for recipe in explorer.recipes}
    return explorer_script(name, explorer.content(runs))
