"""The lessons' models are the article's, and the published weights are those models."""

from __future__ import annotations

import numpy as np
import pytest
from lessons import MODELS, lesson_function, lesson_model

from ae_gallery import design, published
from ae_gallery.layers import ActivityL1


def shapes(model):
    return [tuple(layer.output.shape[1:]) for layer in model.layers]


def test_linear_ae():
    model = lesson_model("linear_ae")
    assert shapes(model) == [(2,), (1,), (2,)]
    assert [layer.activation.__name__ for layer in model.layers[1:]] == ["linear", "linear"]
    assert model.count_params() == 7


def test_deep_ae():
    model = lesson_model("deep_ae")
    assert shapes(model) == [(2,), (64,), (64,), (1,), (64,), (64,), (2,)]
    activations = [layer.activation.__name__ for layer in model.layers[1:]]
    assert activations == ["elu", "elu", "linear", "elu", "elu", "linear"]
    assert model.count_params() == 8835


def test_deep_conv_ae():
    encoder, decoder, autoencoder = lesson_function(
        "plot_4_mnist_homotopy", "create_deep_conv_ae"
    )()
    assert shapes(encoder) == [
        (28, 28, 1),
        (28, 28, 128),
        (14, 14, 128),
        (14, 14, 32),
        (7, 7, 32),
        (7, 7, 1),
    ]
    assert shapes(decoder) == shapes(encoder)[::-1], "the decoder mirrors the encoder"
    convs = [layer for layer in encoder.layers + decoder.layers if "conv" in layer.name]
    assert [layer.kernel_size for layer in convs] == [(7, 7), (2, 2), (7, 7)] * 2
    assert all(layer.padding == "same" for layer in convs)
    assert decoder.layers[-1].activation.__name__ == "sigmoid"
    assert encoder.count_params() == 24385 and decoder.count_params() == 24385
    assert autoencoder.count_params() == 48770
    assert autoencoder.layers[1] is encoder and autoencoder.layers[2] is decoder


@pytest.mark.parametrize("lam", [0.0, 1e-5])
def test_deep_sparse_ae(lam):
    encoder, decoder, autoencoder = lesson_function(
        "plot_6_latent_variables", "create_deep_sparse_ae"
    )(lam)
    assert shapes(encoder) == [(28, 28, 1), (784,), (64,), (48,), (32,), (16,), (16,)]
    assert shapes(decoder) == [(16,), (32,), (48,), (64,), (784,), (28, 28, 1)]
    assert encoder.layers[-2].activation.__name__ == "linear"
    assert isinstance(encoder.layers[-1], ActivityL1)
    assert encoder.layers[-1].l1 == pytest.approx(lam)
    assert encoder.count_params() == 55456 and decoder.count_params() == 56224
    assert autoencoder.count_params() == 111680


def test_sparse_penalty_is_summed_over_the_batch_as_in_keras_2():
    encoder, _, autoencoder = lesson_function("plot_6_latent_variables", "create_deep_sparse_ae")(
        1e-5
    )
    x = np.random.default_rng(0).random((8, 28, 28, 1)).astype("float32")
    codes = np.asarray(encoder(x))
    autoencoder(x)
    (penalty,) = autoencoder.losses
    assert float(penalty) == pytest.approx(1e-5 * np.abs(codes).sum(), rel=1e-5)


def test_digit_classifier():
    model = lesson_model("digit_classifier")
    assert model.output.shape[1:] == (10,)
    assert model.layers[-1].activation.__name__ == "softmax"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_published_design_is_the_lessons_model(name):
    """One source per model: the layers a lesson writes are those the published weights
    were trained with (the docs build checks the optimizer, loss, data and budget too:
    every lesson's fit call must load them)."""
    model = lesson_model(name)
    model.compile("adam", "mse")
    assert design.design(model)["architecture"] == published.design_of(name)["architecture"]
