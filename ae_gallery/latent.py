"""The measures that turn the article's pictures into numbers.

The article shows pictures and says what they mean: the linear autoencoder finds the same
line as PCA, the deep one follows the true curve, the overfit one passes through every
training point, the codes of a sparse autoencoder are centred near zero but still
dependent. Each function here measures one of those claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.spatial import cKDTree

from ._checks import as_array, same_shape
from .i18n import _

__all__ = [
    "CodeStatistics",
    "code_statistics",
    "distance_correlation",
    "distance_to_curve",
    "distance_to_line",
    "line_angle_degrees",
    "principal_direction",
    "reconstruction_errors",
    "train_vs_elsewhere",
]


def principal_direction(points) -> np.ndarray:
    """The unit vector along which ``points`` (shape (N, d)) vary most.

    Examples
    --------
    >>> principal_direction([[0, 0], [1, 1], [2, 2]]).round(3)
    array([0.707, 0.707])
    """
    points = as_array(points, "points", ndim=2, min_rows=2)
    centred = points - points.mean(axis=0)
    direction = np.linalg.svd(centred, full_matrices=False)[2][0]
    # Fix the sign so that the same line always gives the same vector.
    return direction if direction[np.argmax(np.abs(direction))] > 0 else -direction


def line_angle_degrees(points_a, points_b) -> float:
    """The angle in degrees (0 to 90) between the principal directions of two point sets.

    The linear autoencoder maps every point onto a line, as PCA does: the angle between
    those two lines says whether they are the same subspace.

    Examples
    --------
    >>> round(line_angle_degrees([[0, 0], [1, 0]], [[0, 0], [1, 1]]), 6)
    45.0
    """
    cosine = abs(float(principal_direction(points_a) @ principal_direction(points_b)))
    return float(np.degrees(np.arccos(min(1.0, cosine))))


def distance_to_line(points, line_points) -> np.ndarray:
    """The distance of each point to the straight line that best fits ``line_points``.

    Examples
    --------
    >>> distance_to_line([[0, 1], [5, -2]], [[0, 0], [1, 0], [2, 0]])
    array([1., 2.])
    """
    points = as_array(points, "points", ndim=2)
    line_points = as_array(line_points, "line_points", ndim=2, width=points.shape[1], min_rows=2)
    direction = principal_direction(line_points)
    offsets = points - line_points.mean(axis=0)
    along = offsets @ direction
    return np.linalg.norm(offsets - along[:, None] * direction, axis=1)


def distance_to_curve(
    points,
    func: Callable[[np.ndarray], np.ndarray] = np.sin,
    x_range: tuple[float, float] = (-3.5, 3.5),
    samples: int = 70_001,
) -> np.ndarray:
    """The distance of each 2-D point to the curve y = func(x), x in ``x_range``.

    The curve is sampled densely (by default every 1e-4 in x), so the error of each
    distance is below 1e-4.

    Parameters
    ----------
    points : array_like of shape (N, 2)
    func : callable
        The curve, ``np.sin`` for the article's data.
    x_range : (float, float)
        Where to look for the nearest point of the curve.
    samples : int
        How many points of the curve to compare with.

    Returns
    -------
    ndarray of shape (N,)

    Examples
    --------
    >>> distance_to_curve([[0.0, 0.5], [1.0, np.sin(1.0)]]).round(3)
    array([0.355, 0.   ])
    """
    points = as_array(points, "points", ndim=2, width=2)
    xs = np.linspace(x_range[0], x_range[1], samples)
    distances, _nearest = cKDTree(np.stack([xs, func(xs)], axis=1)).query(points)
    return distances


def reconstruction_errors(original, reconstructed) -> np.ndarray:
    """The Euclidean distance between each point and its reconstruction.

    Examples
    --------
    >>> reconstruction_errors([[0, 0], [1, 1]], [[3, 4], [1, 1]])
    array([5., 0.])
    """
    original = as_array(original, "original", ndim=2)
    reconstructed = as_array(reconstructed, "reconstructed", ndim=2)
    same_shape(original, reconstructed, "original and reconstructed")
    return np.linalg.norm(original - reconstructed, axis=1)


def train_vs_elsewhere(original, reconstructed, train_indices) -> tuple[float, float]:
    """Mean reconstruction error on the training points, and on all the other points.

    An autoencoder that learnt the manifold reconstructs both about equally well; one that
    memorised its training points reconstructs them far better than anything else.

    Examples
    --------
    >>> train_vs_elsewhere([[0, 0], [1, 1], [2, 2]], [[0, 0], [1, 2], [2, 4]], [0])
    (0.0, 1.5)
    """
    errors = reconstruction_errors(original, reconstructed)
    train_indices = np.asarray(train_indices)
    if not np.issubdtype(train_indices.dtype, np.integer) or train_indices.ndim != 1:
        raise TypeError(_("train_indices must be a 1-D array of integer indices."))
    if train_indices.size and not (
        -len(errors) <= train_indices.min() and train_indices.max() < len(errors)
    ):
        raise ValueError(
            _(
                "train_indices must index the {n} points (0 to {last}); got values from {low} "
                "to {high}."
            ).format(
                n=len(errors),
                last=len(errors) - 1,
                low=train_indices.min(),
                high=train_indices.max(),
            )
        )
    mask = np.zeros(len(errors), dtype=bool)
    mask[train_indices] = True
    if mask.all():
        raise ValueError(_("train_indices covers every point: nothing is left to compare with."))
    return float(errors[mask].mean()), float(errors[~mask].mean())


def distance_correlation(a, b, max_samples: int = 2000, seed: int = 0) -> float:
    """Székely's distance correlation of two 1-D samples: 0 exactly when independent.

    Unlike Pearson's correlation, it also sees dependence that is not a straight line. At
    most ``max_samples`` pairs are used (drawn with ``seed``): the computation needs two
    square matrices of that size.

    Examples
    --------
    >>> x = np.linspace(-1, 1, 201)
    >>> bool(abs(np.corrcoef(x, x**2)[0, 1]) < 1e-9), distance_correlation(x, x**2) > 0.4
    (True, True)
    """
    a = as_array(a, "a", ndim=1, min_rows=2)
    b = as_array(b, "b", ndim=1, min_rows=2)
    if len(a) != len(b):
        raise ValueError(
            _("a and b must have the same length; got {a} and {b}.").format(a=len(a), b=len(b))
        )
    if len(a) > max_samples:
        keep = np.random.default_rng(seed).choice(len(a), max_samples, replace=False)
        a, b = a[keep], b[keep]

    def centred_distances(v: np.ndarray) -> np.ndarray:
        d = np.abs(v[:, None] - v[None, :])
        return d - d.mean(axis=0) - d.mean(axis=1)[:, None] + d.mean()

    da, db = centred_distances(a), centred_distances(b)
    dcov = (da * db).mean()
    dvar = np.sqrt((da * da).mean() * (db * db).mean())
    return float(np.sqrt(max(dcov, 0.0) / dvar)) if dvar > 0 else 0.0


@dataclass(frozen=True)
class CodeStatistics:
    """Statistics of two code dimensions ``i`` and ``j`` over a set of codes.

    ``independent_distance_correlation`` is the distance correlation of the same two samples
    with one of them shuffled: what independent variables give at this sample size, the
    yardstick for ``distance_correlation``.
    """

    i: int
    j: int
    mean: tuple[float, float]
    std: tuple[float, float]
    pearson: float
    distance_correlation: float
    independent_distance_correlation: float
    skewness: tuple[float, float]
    excess_kurtosis: tuple[float, float]

    @property
    def centredness(self) -> tuple[float, float]:
        """``|mean| / std`` of each dimension: near 0 for a distribution centred at 0."""
        return (abs(self.mean[0]) / self.std[0], abs(self.mean[1]) / self.std[1])


def code_statistics(codes, i: int = 1, j: int = 3) -> CodeStatistics:
    """Mean, spread, correlation and shape of the code dimensions ``i`` and ``j``.

    The article reads two things off its joint plots of Z1 and Z3: whether the two are
    dependent (``distance_correlation`` well above ``independent_distance_correlation``) and
    whether they are centred near 0 (``centredness`` well below 1).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> stats = code_statistics(rng.standard_normal((5000, 4)))
    >>> abs(stats.pearson) < 0.05, stats.centredness[0] < 0.05
    (True, True)
    """
    codes = as_array(codes, "codes", ndim=2, min_rows=3)
    for index in (i, j):
        if not 0 <= index < codes.shape[1]:
            raise ValueError(
                _("code dimension {index} does not exist: codes have {n} dimensions.").format(
                    index=index, n=codes.shape[1]
                )
            )
    a, b = codes[:, i], codes[:, j]

    def moments(v: np.ndarray) -> tuple[float, float, float, float]:
        if v.std() == 0:
            return float(v.mean()), 0.0, 0.0, 0.0
        return float(v.mean()), float(v.std()), float(stats.skew(v)), float(stats.kurtosis(v))

    ma, mb = moments(a), moments(b)
    pearson = float(np.corrcoef(a, b)[0, 1]) if ma[1] > 0 and mb[1] > 0 else 0.0
    return CodeStatistics(
        i=i,
        j=j,
        mean=(ma[0], mb[0]),
        std=(ma[1], mb[1]),
        pearson=pearson,
        distance_correlation=distance_correlation(a, b),
        independent_distance_correlation=distance_correlation(
            a, np.random.default_rng(1).permutation(b)
        ),
        skewness=(ma[2], mb[2]),
        excess_kurtosis=(ma[3], mb[3]),
    )
