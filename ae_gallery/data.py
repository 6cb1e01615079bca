"""The article's data: a noisy sine curve, and MNIST.

The sine data set is the article's toy example of a one-dimensional manifold in a
two-dimensional space. MNIST is read either from a folder of the four standard IDX files
(given as an argument or by the environment variable ``AE_GALLERY_MNIST_DIR``) or, when no
folder is named, through Keras' own download and cache.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from .i18n import _

__all__ = [
    "MNIST_ENV_VAR",
    "MNIST_FILES",
    "MnistFileError",
    "SineData",
    "load_mnist",
    "make_sine_data",
    "overfit_training_set",
]

MNIST_ENV_VAR = "AE_GALLERY_MNIST_DIR"

#: The four standard MNIST file names (each may also be stored gzipped, with ``.gz``).
MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

_IMAGES_MAGIC = 0x00000803  # unsigned bytes, three dimensions
_LABELS_MAGIC = 0x00000801  # unsigned bytes, one dimension


@dataclass(frozen=True)
class SineData:
    """Noisy points around the curve y = sin(x), as the article builds them.

    Attributes
    ----------
    x : ndarray of shape (n,)
        Evenly spaced abscissae of the curve.
    curve : ndarray of shape (n, 2)
        The clean points (x, sin x): the true manifold.
    dots : ndarray of shape (n, 2)
        The data set: ``curve`` plus Gaussian noise on both coordinates.
    markers : ndarray of shape (n_markers,)
        Evenly spaced indices of the points the article colours in its figures.
    """

    x: np.ndarray
    curve: np.ndarray
    dots: np.ndarray
    markers: np.ndarray

    @property
    def marker_dots(self) -> np.ndarray:
        """The coloured points themselves, ``dots[markers]``."""
        return self.dots[self.markers]


def make_sine_data(
    n_points: int = 1000,
    noise: float = 0.06,
    n_markers: int = 25,
    x_range: tuple[float, float] = (-2.2, 2.2),
    seed: int = 0,
) -> SineData:
    """Build the article's data set: y = sin(x) plus Gaussian noise.

    Parameters
    ----------
    n_points : int
        Number of points, evenly spaced in x over ``x_range``.
    noise : float
        Standard deviation of the Gaussian noise added to both coordinates.
    n_markers : int
        Number of evenly spaced points to single out (the article's coloured dots).
    x_range : (float, float)
        The interval of x.
    seed : int
        Seed of the noise: the same seed gives the same data.

    Returns
    -------
    SineData
        The abscissae, the clean curve, the noisy dots (float32) and the marker indices.

    Examples
    --------
    >>> data = make_sine_data()
    >>> data.dots.shape, data.markers.shape
    ((1000, 2), (25,))
    """
    if n_points < 2 or not 1 <= n_markers <= n_points:
        raise ValueError(
            _(
                "make_sine_data needs n_points >= 2 and 1 <= n_markers <= n_points; got "
                "n_points={n_points}, n_markers={n_markers}."
            ).format(n_points=n_points, n_markers=n_markers)
        )
    x = np.linspace(x_range[0], x_range[1], n_points)
    curve = np.stack([x, np.sin(x)], axis=1)
    rng = np.random.default_rng(seed)
    dots = curve + noise * rng.standard_normal(curve.shape)
    # The article's ``range(0, n, n // size)``: every 40th point of 1,000.
    markers = np.arange(0, n_points, n_points // n_markers)[:n_markers]
    return SineData(
        x=x.astype(np.float32),
        curve=curve.astype(np.float32),
        dots=dots.astype(np.float32),
        markers=markers,
    )


def overfit_training_set(data: SineData, repeats: int = 4000) -> np.ndarray:
    """The article's tiny training set for the overfitting demo.

    Only the ``n_markers`` coloured points, each repeated ``repeats`` times (the article's
    ``np.vstack([dots[idxs]] * 4000)``), so that one epoch holds 100,000 rows.

    Examples
    --------
    >>> overfit_training_set(make_sine_data()).shape
    (100000, 2)
    """
    return np.vstack([data.marker_dots] * repeats)


class MnistFileError(ValueError):
    """An MNIST file is missing or does not hold what the IDX format promises."""


def _open_idx(folder: Path, stem: str) -> tuple[Path, bytes]:
    """Read one IDX file, plain or gzipped, and return its path and decompressed bytes."""
    candidates = [folder / stem, folder / f"{stem}.gz"]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise MnistFileError(
            _(
                "MNIST file not found: neither {gz} nor {plain} exists. Put the four "
                "standard IDX files ({files}, gzipped or not) in {folder}, or point "
                "{variable} at the folder that holds them; leave it unset to let Keras "
                "download MNIST."
            ).format(
                gz=candidates[0],
                plain=candidates[1],
                files=", ".join(MNIST_FILES.values()),
                folder=folder,
                variable=MNIST_ENV_VAR,
            )
        )
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as err:
        raise MnistFileError(
            _(
                "MNIST file {path} could not be decompressed: {err}. The gzip data is corrupt "
                "or truncated; replace the file with a fresh copy of {name}."
            ).format(path=path, err=err, name=path.name)
        ) from err
    return path, raw


def _parse_idx(path: Path, raw: bytes, magic: int, ndim: int) -> np.ndarray:
    """Check an IDX payload's header against its length and return its data as uint8."""
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise MnistFileError(
            _(
                "MNIST file {path} is truncated: it holds {n_raw} bytes, fewer than its "
                "{header_len}-byte IDX header. Replace it with a fresh copy."
            ).format(path=path, n_raw=len(raw), header_len=header_len)
        )
    found_magic = int.from_bytes(raw[0:4], "big")
    if found_magic != magic:
        raise MnistFileError(
            _(
                "MNIST file {path} has the wrong magic number 0x{found_magic:08x}; an IDX file "
                "of {ndim} dimension(s) of unsigned bytes starts with 0x{magic:08x}. It is not "
                "the file its name says (images and labels swapped, or another format): "
                "replace it with the right one."
            ).format(path=path, found_magic=found_magic, ndim=ndim, magic=magic)
        )
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = header_len + int(np.prod(dims))
    if len(raw) != expected:
        what = _("truncated") if len(raw) < expected else _("longer than its header says")
        raise MnistFileError(
            _(
                "MNIST file {path} is {what}: its header announces dimensions {dims}, that is "
                "{expected} bytes with the header, but the file holds {n_raw}. Replace it with "
                "a fresh copy."
            ).format(
                path=path,
                what=what,
                dims=" x ".join(map(str, dims)),
                expected=expected,
                n_raw=len(raw),
            )
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims)


def _read_split(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    img_path, img_raw = _open_idx(folder, MNIST_FILES[f"{split}_images"])
    images = _parse_idx(img_path, img_raw, _IMAGES_MAGIC, 3)
    if images.shape[1:] != (28, 28):
        raise MnistFileError(
            _(
                "MNIST file {img_path} holds images of {height} x {width} pixels; MNIST images "
                "are 28 x 28. Replace it with the standard file."
            ).format(img_path=img_path, height=images.shape[1], width=images.shape[2])
        )
    lbl_path, lbl_raw = _open_idx(folder, MNIST_FILES[f"{split}_labels"])
    labels = _parse_idx(lbl_path, lbl_raw, _LABELS_MAGIC, 1)
    if len(images) != len(labels):
        raise MnistFileError(
            _(
                "MNIST counts disagree: {img_path} holds {n_images} images but {lbl_path} "
                "holds {n_labels} labels. The two files come from different copies; replace "
                "both with matching standard files."
            ).format(
                img_path=img_path, n_images=len(images), lbl_path=lbl_path, n_labels=len(labels)
            )
        )
    if labels.size and labels.max() > 9:
        raise MnistFileError(
            _(
                "MNIST file {lbl_path} holds the label {label}; digit labels are 0 to 9. "
                "Replace it with the standard file."
            ).format(lbl_path=lbl_path, label=int(labels.max()))
        )
    return images, labels


def load_mnist(
    mnist_dir: str | os.PathLike | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as the article uses it: float32 images in [0, 1] of shape (N, 28, 28, 1).

    Parameters
    ----------
    mnist_dir : path, optional
        A folder holding the four standard IDX files (gzipped or not). When not given, the
        environment variable ``AE_GALLERY_MNIST_DIR`` names it; when that is unset too, Keras
        downloads MNIST into its own cache (``keras.datasets.mnist.load_data``).

    Returns
    -------
    ((x_train, y_train), (x_test, y_test))
        Images as float32 arrays of shape (N, 28, 28, 1), labels as uint8 arrays of shape (N,).

    Raises
    ------
    MnistFileError
        When a file is missing, cannot be decompressed, is truncated, has the wrong magic
        number or image size, or when images and labels disagree in number. The message
        names the file, what is wrong with it and what to do.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
    >>> x_train.shape, y_train[:5]  # doctest: +SKIP
    ((60000, 28, 28, 1), array([5, 0, 4, 1, 9], dtype=uint8))
    """
    source = _("the mnist_dir argument")
    if mnist_dir is None:
        mnist_dir = os.environ.get(MNIST_ENV_VAR) or None
        source = _("the environment variable {name}").format(name=MNIST_ENV_VAR)
    if mnist_dir is None:
        try:
            (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        except Exception as err:  # Keras raises a bare Exception when the download fails
            raise MnistFileError(
                _(
                    "Keras could not download MNIST ({err}). Without internet, put the four "
                    "standard IDX files in a folder and point {variable} (or the mnist_dir "
                    "argument) at it."
                ).format(err=err, variable=MNIST_ENV_VAR)
            ) from err
    else:
        folder = Path(mnist_dir).expanduser()
        if not folder.is_dir():
            raise MnistFileError(
                _(
                    "MNIST folder {folder} (named by {source}) does not exist. Point it at a "
                    "folder holding the four standard IDX files, or unset {variable} to let "
                    "Keras download MNIST."
                ).format(folder=folder, source=source, variable=MNIST_ENV_VAR)
            )
        x_train, y_train = _read_split(folder, "train")
        x_test, y_test = _read_split(folder, "test")

    def to_float(images: np.ndarray) -> np.ndarray:
        return (images.astype(np.float32) / 255.0).reshape(len(images), 28, 28, 1)

    return (to_float(x_train), y_train.astype(np.uint8)), (
        to_float(x_test),
        y_test.astype(np.uint8),
    )
