"""What the site's explorers are made of (docs/_ext/explorer_data.py): the lesson's own
decoders, their weights exported exactly, and what each explorer offers the reader.

The page's forward pass is checked against Keras in the built site (tests/site).
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path
from types import SimpleNamespace

import keras
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import explorer_data  # noqa: E402
from explorer_data import (  # noqa: E402
    EXPLORERS,
    ExportError,
    decoder_layers,
    decoder_of,
    export,
    exported_weights,
    read_array,
    read_script,
)

from ae_gallery import data, recipes  # noqa: E402


def test_the_examples_in_the_docstrings_hold():
    failed, tried = doctest.testmod(explorer_data)
    assert tried >= 4 and failed == 0


@pytest.fixture(scope="module")
def exported():
    """Each explorer exported from freshly built models (random weights, seeded), and
    those models: what the lessons' trained ones are, as far as export is concerned."""
    keras.utils.set_random_seed(0)
    built = {name: recipes.get(name).build() for e in EXPLORERS.values() for name in e.recipes}

    def train(recipe):
        return SimpleNamespace(model=built[recipe.name])

    scripts = {name: export(name, train) for name in EXPLORERS}
    return {name: read_script(script) for name, script in scripts.items()}, built


def test_exported_weights_are_the_models_own(exported):
    contents, built = exported
    for name, explorer in EXPLORERS.items():
        for recipe in explorer.recipes:
            decoder = decoder_of(recipe, built[recipe])
            written = exported_weights(contents[name]["models"][recipe])
            own = decoder.get_weights()
            assert len(written) == len(own) > 0
            for a, b in zip(written, own, strict=True):
                assert a.dtype == np.float32 and np.array_equal(a, b)


def test_a_decoder_given_the_exported_weights_decodes_as_the_model(exported):
    contents, built = exported
    entry = contents["digit_paths"]["models"]["conv_ae"]
    fresh = decoder_of("conv_ae", recipes.CONV_AE.build())
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
    want = built["conv_ae"].encoder.predict(x_test[index], verbose=0).reshape(len(index), -1)
    np.testing.assert_allclose(codes, want, rtol=0, atol=1e-6)

    latent = contents["latent_variables"]
    assert set(latent["models"]) == {"sparse_ae", "sparse_ae_l1"}
    for recipe in latent["models"]:
        ranges = np.array(latent["ranges"][recipe])
        codes = read_array(latent["codes"][recipe])
        assert ranges.shape == (16, 2) and codes.shape == (10, 16)
        assert np.all(ranges[:, 0] <= codes) and np.all(codes <= ranges[:, 1])


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
