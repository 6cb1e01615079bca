"""The article's claims about MNIST, at budgets of a minute or so.

The lessons measure the same numbers at the article's budget; here they must hold after a
short training already: the lessons' models, rebuilt from their published designs, trained
for a few batches more than the smoke profile gives them.
"""

from __future__ import annotations

import numpy as np
import pytest
from lessons import lesson_function, published_run

from ae_gallery import device, latent, recipes, training

pytestmark = pytest.mark.slow


@pytest.fixture(params=device.PRECISIONS)
def train(request):
    """Train a model of the site for ``epochs`` of ``steps`` batches, in each precision."""

    def train_model(name, epochs, batch_size, steps=None):
        x, y, _ = recipes.get(name).data()
        return training.fit(
            training.untrained(name),
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            steps_per_epoch=steps,
            name=name,
            profile="full",
            precision=request.param,
            verbose=False,
        )

    return train_model


@pytest.fixture(scope="module")
def reader(mnist):
    """Lesson 4's reader of digits, the judge of the eights: its published weights, which
    read 99 % of the test digits (test_published.py), in both precisions' tests."""
    _, (x_test, y_test) = mnist
    model = published_run("digit_classifier").model
    assert (model.predict(x_test[:2000], verbose=0).argmax(1) == y_test[:2000]).mean() > 0.98
    return model


def test_codes_between_two_eights_decode_to_eights(mnist, train, reader):
    """ "The intermediate digits are quite decent eights" (the straight path in code space)."""
    _, (x_test, y_test) = mnist
    autoencoder = train("conv_ae", 1, 256, steps=60).model
    encoder, decoder = autoencoder.get_layer("encoder"), autoencoder.get_layer("decoder")

    homotopy = lesson_function("plot_4_mnist_homotopy", "homotopy")
    eights = x_test[y_test == 8][1:3]
    codes = encoder.predict(eights, verbose=0)
    code_path = decoder.predict(homotopy(codes[0], codes[1], 10), verbose=0)
    pixel_path = homotopy(eights[0], eights[1], 10)
    assert (reader.predict(code_path, verbose=0).argmax(1) == 8).all()

    # Frames near the manifold the autoencoder learnt are reproduced better than frames off
    # it: the middle of the code-space path better than the middle of the pixel-space path
    # (two eights laid over each other). After 60 steps the gap is small; at the lessons'
    # budgets it is large (published: 0.0018 against 0.0126, real eights 0.0062).
    error = lesson_function("plot_4_mnist_homotopy", "reconstruction_error")
    code_middle = error(autoencoder, code_path)[3:7].mean()
    pixel_middle = error(autoencoder, pixel_path)[3:7].mean()
    assert code_middle < pixel_middle, (code_middle, pixel_middle)


def test_sparse_codes_are_centred_but_still_dependent(mnist, train):
    """λ = 0: Z1 and Z3 dependent, off-centre; λ = 1e-5: still dependent, centred near 0."""
    _, (x_test, _) = mnist
    stats = {}
    for name, epochs, batch_size in (("sparse_ae", 3, 64), ("sparse_ae_l1", 6, 256)):
        encoder = train(name, epochs, batch_size).model.get_layer("encoder")
        stats[name] = latent.code_statistics(encoder.predict(x_test, verbose=0), 1, 3)
    for s in stats.values():
        assert s.distance_correlation > 2 * s.independent_distance_correlation, s
    assert max(stats["sparse_ae_l1"].centredness) < 0.5, stats["sparse_ae_l1"]
    assert max(stats["sparse_ae_l1"].centredness) < max(stats["sparse_ae"].centredness) / 2
    assert np.mean(stats["sparse_ae_l1"].std) < np.mean(stats["sparse_ae"].std)
