"""The measures, on inputs whose answers are known, and their errors on bad input."""

from __future__ import annotations

import numpy as np
import pytest
from lessons import lesson_function

from ae_gallery import latent


def test_lesson_4_homotopy_ends_and_midpoint():
    """The straight path lesson 4 writes, as the article does, in pixel and in code space."""
    homotopy = lesson_function("plot_4_mnist_homotopy", "homotopy")
    a, b = np.zeros((28, 28, 1)), np.ones((28, 28, 1))
    path = homotopy(a, b, n=5)
    assert path.shape == (5, 28, 28, 1)
    np.testing.assert_array_equal(path[0], a)
    np.testing.assert_array_equal(path[-1], b)
    np.testing.assert_allclose(path[2], 0.5)
    assert homotopy(np.zeros((7, 7, 1)), np.ones((7, 7, 1))).shape == (10, 7, 7, 1)


def test_line_angle():
    t = np.linspace(-1, 1, 50)[:, None]
    horizontal = np.hstack([t, 0 * t])
    for degrees in (0, 3, 30, 90):
        rad = np.radians(degrees)
        tilted = t * np.array([np.cos(rad), np.sin(rad)]) + np.array([5.0, -2.0])
        assert latent.line_angle_degrees(horizontal, tilted) == pytest.approx(degrees, abs=1e-6)


def test_distance_to_line():
    line = np.array([[0.0, 1.0], [1.0, 1.0], [3.0, 1.0]])
    np.testing.assert_allclose(latent.distance_to_line([[7.0, 4.0], [0.0, 1.0]], line), [3, 0])


def test_distance_to_curve():
    x = np.linspace(-2, 2, 9)
    on = np.stack([x, np.sin(x)], axis=1)
    np.testing.assert_allclose(latent.distance_to_curve(on), 0, atol=1e-4)
    # At the peak the nearest point of the curve is straight below.
    peak = np.array([[np.pi / 2, 1.5]])
    assert latent.distance_to_curve(peak)[0] == pytest.approx(0.5, abs=1e-4)


def test_train_vs_elsewhere():
    original = np.zeros((10, 2))
    reconstructed = np.zeros((10, 2))
    reconstructed[3:, 0] = 2.0
    assert latent.train_vs_elsewhere(original, reconstructed, [0, 1, 2]) == (0.0, 2.0)
    with pytest.raises(ValueError, match="covers every point"):
        latent.train_vs_elsewhere(original, reconstructed, np.arange(10))


def test_distance_correlation_sees_nonlinear_dependence():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 3000)
    assert latent.distance_correlation(x, rng.uniform(-1, 1, 3000)) < 0.1
    assert latent.distance_correlation(x, x**2) > 0.4
    assert latent.distance_correlation(x, 2 * x + 1) == pytest.approx(1.0)


def test_code_statistics():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4000, 4))
    z[:, 3] = z[:, 1] ** 2 + 5  # dependent, not centred
    stats = latent.code_statistics(z, 1, 3)
    assert stats.mean[1] == pytest.approx(6.0, abs=0.1)
    assert stats.centredness[0] < 0.05 and stats.centredness[1] > 3
    assert stats.distance_correlation > 0.3
    assert stats.excess_kurtosis[0] == pytest.approx(0.0, abs=0.3)


@pytest.mark.fault(
    "Wrong array shapes or dtypes given to the measuring functions",
    "``ValueError`` or ``TypeError``, as for the figures.",
)
@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (
            lambda: latent.line_angle_degrees(np.zeros(5), np.zeros((5, 2))),
            ValueError,
            "2 dimension",
        ),
        (lambda: latent.distance_to_curve(np.zeros((5, 3))), ValueError, r"shape \(N, 2\)"),
        (lambda: latent.distance_to_curve([["a", "b"]]), TypeError, "numeric"),
        (
            lambda: latent.reconstruction_errors(np.zeros((5, 2)), np.zeros((4, 2))),
            ValueError,
            "same shape",
        ),
        (
            lambda: latent.code_statistics(np.zeros((10, 2)), 1, 3),
            ValueError,
            "dimension 3 does not exist",
        ),
        (lambda: latent.code_statistics(np.full((10, 4), np.nan)), ValueError, "NaN"),
        (
            lambda: latent.train_vs_elsewhere(np.zeros((3, 2)), np.zeros((3, 2)), [0.5]),
            TypeError,
            "integer",
        ),
    ],
)
def test_bad_input_is_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()
