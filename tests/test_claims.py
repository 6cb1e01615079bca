"""The article's claims about the sine data, measured at the smoke budget.

The lessons measure the same numbers at the article's budget and print them on the site;
here they must already hold after a few seconds of training. The sine-curve models always
train in float32 (``Recipe.bfloat16``); the MNIST claims are tested in both precisions
(``test_claims_mnist.py``).
"""

from __future__ import annotations

import pytest
from sklearn.decomposition import PCA

from ae_gallery import data, latent, recipes, training

DATA = data.make_sine_data()


def _outputs(name):
    run = training.train(name, profile="smoke", verbose=False)
    return run.model.predict(DATA.dots, batch_size=30, verbose=0)


@pytest.fixture(scope="module")
def linear_outputs():
    return _outputs("linear_ae")


@pytest.fixture(scope="module")
def deep_outputs():
    return _outputs("deep_ae")


@pytest.fixture(scope="module")
def pca_outputs():
    pca = PCA(1)
    return pca.inverse_transform(pca.fit_transform(DATA.dots))


def test_linear_ae_finds_the_same_line_as_pca(linear_outputs, pca_outputs):
    assert latent.line_angle_degrees(linear_outputs, pca_outputs) < 3.0
    # Not only parallel: the same line (PCA's points lie on the autoencoder's line).
    assert latent.distance_to_line(pca_outputs, linear_outputs).mean() < 0.02


def test_deep_ae_curve_almost_matches_the_true_one(deep_outputs, linear_outputs):
    deep = latent.distance_to_curve(deep_outputs).mean()
    linear = latent.distance_to_curve(linear_outputs).mean()
    assert deep < linear / 2, (deep, linear)
    assert deep < 0.05  # the noise itself is 0.06 per coordinate


@pytest.mark.slow
def test_overfit_ae_passes_through_its_training_points():
    outputs = _outputs("overfit_ae")
    on_train, elsewhere = latent.train_vs_elsewhere(DATA.dots, outputs, DATA.markers)
    assert on_train < elsewhere / 3, (on_train, elsewhere)


def test_the_sine_models_train_in_float32_whatever_is_asked(monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PRECISION", "mixed_bfloat16")
    run = training.train("linear_ae", profile="smoke", verbose=False)
    assert run.device["precision"] == "float32" and "bfloat16" not in run.summary()
    assert not any(recipes.get(n).bfloat16 for n in ("linear_ae", "deep_ae", "overfit_ae"))
