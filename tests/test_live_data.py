"""The data the lessons' live parts run on (docs/_ext/lesson_live.py): exported decoders
compute what the lesson's trained ones compute, and each explorer offers what it says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import keras
import lesson_live
import numpy as np
import pytest
from lesson_live import LIVE, ExportError, decoder_layers, decoder_of
from lessons import lesson_model
from live_format import ACTIVATIONS, read_array, read_script

from ae_gallery import data

EXPLORERS = {name: live for name, live in LIVE.items() if live.content is not None}


def exported_weights(entry: dict) -> list[np.ndarray]:
    """A decoder's weights as exported, in Keras' order (for ``decoder.set_weights``)."""
    return [
        read_array(layer[part])
        for layer in entry["layers"]
        for part in ("kernel", "bias")
        if part in layer
    ]


@pytest.fixture(scope="module")
def exported():
    """Each explorer exported from the lessons' models, freshly built (random weights,
    seeded): what the lessons' trained ones are, as far as export is concerned."""
    keras.utils.set_random_seed(0)
    built = {name: lesson_model(name) for live in EXPLORERS.values() for name in live.models}
    contents = {}
    for name, live in EXPLORERS.items():
        runs = {model: SimpleNamespace(model=built[model]) for model in live.models}
        text = lesson_live.script("aeGalleryExplorers", name, live.content(runs))
        contents[name] = read_script(text)
    return contents, built


def test_exported_weights_are_the_models_own(exported):
    contents, built = exported
    for name, live in EXPLORERS.items():
        for model in live.models:
            written = exported_weights(contents[name]["models"][model])
            own = decoder_of(model, built[model]).get_weights()
            assert len(written) == len(own) > 0
            for a, b in zip(written, own, strict=True):
                assert a.dtype == np.float32 and np.array_equal(a, b)


def test_a_decoder_given_the_exported_weights_decodes_as_the_model(exported):
    contents, built = exported
    entry = contents["digit_paths"]["models"]["conv_ae"]
    fresh = decoder_of("conv_ae", lesson_model("conv_ae"))
    fresh.set_weights(exported_weights(entry))
    codes = np.random.default_rng(0).uniform(0, 2, (3, 7, 7, 1)).astype("float32")
    want = decoder_of("conv_ae", built["conv_ae"]).predict(codes, verbose=0)
    assert np.array_equal(fresh.predict(codes, verbose=0), want)
    assert entry["input"] == [7, 7, 1] and entry["output"] == [28, 28, 1]


def test_what_each_explorer_offers(exported):
    contents, built = exported
    sine = contents["sine_code"]
    low, high = sine["code_range"]
    assert low < high
    assert len(sine["dots"]) == len(data.make_sine_data().dots)

    paths = contents["digit_paths"]
    labels = paths["digits"]["labels"]
    assert len(labels) >= 20 and len(set(labels)) == 10
    images = read_array(paths["digits"]["images"])
    (_, _), (x_test, y_test) = data.load_mnist()
    index = paths["digits"]["test_index"]
    assert np.array_equal(images.astype("float32") / 255, x_test[index, :, :, 0])
    assert y_test[index].tolist() == labels
    # The lesson's pair first: the second and third eights of the test set.
    assert [index[i] for i in paths["start"]] == np.flatnonzero(y_test == 8)[1:3].tolist()
    codes = read_array(paths["codes"]["conv_ae"])
    encoder = built["conv_ae"].get_layer("encoder")
    want = encoder.predict(x_test[index], verbose=0).reshape(len(index), -1)
    np.testing.assert_allclose(codes, want, rtol=0, atol=1e-6)

    latent = contents["latent_variables"]
    assert set(latent["models"]) == {"sparse_ae", "sparse_ae_l1"}
    for model in latent["models"]:
        ranges = np.array(latent["ranges"][model])
        codes = read_array(latent["codes"][model])
        assert ranges.shape == (16, 2) and codes.shape == (10, 16)
        assert np.all(ranges[:, 0] <= codes) and np.all(codes <= ranges[:, 1])

    plane = contents["code_plane"]
    codes = read_array(plane["codes"]["plane_ae"])
    labels = plane["labels"]
    assert codes.shape == (len(labels), 2) and len(labels) >= 1000 and set(labels) == set(range(10))
    encoder = built["plane_ae"].get_layer("encoder")
    all_codes = encoder.predict(x_test, batch_size=1000, verbose=0)
    bounds = np.array(plane["bounds"])
    np.testing.assert_allclose(bounds, np.stack([all_codes.min(0), all_codes.max(0)], 1), atol=1e-6)
    # Each shown code is a test digit's, with that digit's label.
    found = np.abs(all_codes[:, None, :] - codes[None]).max(axis=2).argmin(axis=0)
    np.testing.assert_allclose(all_codes[found], codes, atol=1e-6)
    assert y_test[found].tolist() == labels


def test_each_explorers_data_is_under_a_megabyte(exported):
    """A reader's browser loads an explorer's data with its page: the issue's limit, 1 MB."""
    contents, _ = exported
    for name, content in contents.items():
        size = len(lesson_live.script("aeGalleryExplorers", name, content).encode())
        assert size < 1_000_000, f"{name}: {size:,} bytes"


@pytest.mark.parametrize(
    ("layer", "problem"),
    [
        (keras.layers.Conv2D(2, 3, padding="valid"), "'padding': 'valid'"),
        (keras.layers.Conv2D(2, 3, padding="same", strides=2), "'strides': (2, 2)"),
        (keras.layers.Conv2DTranspose(2, 3, padding="same"), "Conv2DTranspose"),
        (keras.layers.UpSampling2D(2, interpolation="bilinear"), "'bilinear'"),
        (keras.layers.Dense(3, activation="softmax"), "'softmax'"),
    ],
)
def test_a_layer_the_page_cannot_compute_is_refused_by_name(layer, problem):
    inputs = keras.Input((4, 4, 2))
    decoder = keras.Model(inputs, layer(inputs), name="decoder")
    with pytest.raises(ExportError) as error:
        decoder_layers(decoder)
    assert problem in str(error.value) and layer.name in str(error.value)


def test_the_page_computes_the_activations_the_build_accepts():
    """The build refuses a model whose activation the page's forward pass lacks: both lists
    name the same activations, in the same order (the trainer's menu follows it)."""
    script = (Path(__file__).parents[1] / "docs" / "_static" / "ae-nn.js").read_text()
    listed = re.search(r"const ACTIVATIONS = (\[[^\]]*\]);", script)
    assert listed is not None, "ae-nn.js no longer lists its activations as const ACTIVATIONS"
    assert tuple(json.loads(listed[1])) == ACTIVATIONS
