"""The sine data set and the MNIST loader, good files and bad."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

from ae_gallery.data import (
    MNIST_FILES,
    MnistFileError,
    load_mnist,
    make_sine_data,
    overfit_training_set,
)


def test_sine_data_is_the_articles():
    data = make_sine_data()
    assert data.dots.shape == (1000, 2) and data.dots.dtype == np.float32
    assert data.x[0] == pytest.approx(-2.2) and data.x[-1] == pytest.approx(2.2)
    np.testing.assert_allclose(data.curve[:, 1], np.sin(data.x), atol=1e-6)
    # The article's idxs = range(0, 1000, 1000 // 25).
    np.testing.assert_array_equal(data.markers, np.arange(0, 1000, 40))
    noise = data.dots - data.curve
    assert noise.std() == pytest.approx(0.06, rel=0.05)
    assert abs(noise.mean()) < 0.01


def test_sine_data_is_seeded():
    np.testing.assert_array_equal(make_sine_data(seed=3).dots, make_sine_data(seed=3).dots)
    assert not np.array_equal(make_sine_data(seed=3).dots, make_sine_data(seed=4).dots)


def test_overfit_training_set_repeats_the_markers():
    data = make_sine_data()
    train = overfit_training_set(data)
    assert train.shape == (100_000, 2)
    np.testing.assert_array_equal(train[:25], data.marker_dots)
    np.testing.assert_array_equal(train[-25:], data.marker_dots)


def test_mnist_has_its_published_facts(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60_000, 28, 28, 1) and x_test.shape == (10_000, 28, 28, 1)
    assert x_train.dtype == np.float32 and y_train.dtype == np.uint8
    assert 0.0 <= x_train.min() and x_train.max() == 1.0
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(y_train).tolist() == [
        5923,
        6742,
        5958,
        6131,
        5842,
        5421,
        5918,
        6265,
        5851,
        5949,
    ]


def test_mnist_env_var_names_the_folder(mnist_dir, monkeypatch):
    monkeypatch.setenv("AE_GALLERY_MNIST_DIR", str(mnist_dir))
    (_, y_train), _ = load_mnist()
    assert len(y_train) == 60_000


# --- Bad files: each made in a temporary folder from a copy of the real ones --------------


@pytest.fixture
def small_mnist(tmp_path):
    """A valid MNIST folder in miniature (plain IDX files, 12 training and 5 test images)."""

    def write(name, magic, dims, payload):
        header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)
        (tmp_path / name).write_bytes(header + payload)

    rng = np.random.default_rng(0)
    for split, n in (("train", 12), ("test", 5)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        write(MNIST_FILES[f"{split}_images"], 0x803, (n, 28, 28), images.tobytes())
        write(MNIST_FILES[f"{split}_labels"], 0x801, (n,), labels.tobytes())
    return tmp_path


def test_small_mnist_loads_plain_and_gzipped(small_mnist):
    (x_train, y_train), (x_test, _) = load_mnist(small_mnist)
    assert x_train.shape == (12, 28, 28, 1) and x_test.shape == (5, 28, 28, 1)
    path = small_mnist / MNIST_FILES["train_images"]
    gz = path.with_name(path.name + ".gz")
    gz.write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    (x_again, _), _ = load_mnist(small_mnist)
    np.testing.assert_array_equal(x_again, x_train)


def _fails(folder, *fragments):
    """Loading fails with a message holding ``fragments``, and leaves every file as it was."""

    def files() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in folder.glob("*") if p.is_file()}

    if folder.is_dir():
        (folder / "my-notes.txt").write_text("where these files came from\n")
    before = files()
    with pytest.raises(MnistFileError) as info:
        load_mnist(folder)
    assert files() == before
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def _header(magic: int, *dims: int) -> bytes:
    return magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)


# Each damage breaks a miniature MNIST folder and returns what the error must say.


def _missing_file(folder: Path) -> tuple[str, ...]:
    (folder / MNIST_FILES["test_labels"]).unlink()
    return "not found", MNIST_FILES["test_labels"], "AE_GALLERY_MNIST_DIR"


def _truncated_file(folder: Path) -> tuple[str, ...]:
    path = folder / MNIST_FILES["train_images"]
    path.write_bytes(path.read_bytes()[:-100])
    return "truncated", str(path), "fresh copy"


def _truncated_header(folder: Path) -> tuple[str, ...]:
    path = folder / MNIST_FILES["train_labels"]
    path.write_bytes(path.read_bytes()[:5])
    return "truncated", "header"


def _corrupt_gzip(folder: Path) -> tuple[str, ...]:
    path = folder / MNIST_FILES["train_images"]
    gz = path.with_name(path.name + ".gz")
    data = bytearray(gzip.compress(path.read_bytes()))
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    gz.write_bytes(bytes(data))
    path.unlink()
    return "could not be decompressed", str(gz)


def _wrong_magic(folder: Path) -> tuple[str, ...]:
    # Labels where images belong: the first thing a mix-up shows is the magic number.
    images = folder / MNIST_FILES["train_images"]
    images.write_bytes((folder / MNIST_FILES["train_labels"]).read_bytes())
    return "wrong magic number", "0x00000801", "0x00000803"


def _wrong_image_size(folder: Path) -> tuple[str, ...]:
    path = folder / MNIST_FILES["test_images"]
    path.write_bytes(_header(0x803, 5, 32, 32) + bytes(5 * 32 * 32))
    return "32 x 32", "28 x 28"


def _counts_disagree(folder: Path) -> tuple[str, ...]:
    path = folder / MNIST_FILES["train_labels"]
    path.write_bytes(_header(0x801, 11) + bytes(11))
    return "counts disagree", "12 images", "11 labels"


def _bad_label(folder: Path) -> tuple[str, ...]:
    path = folder / MNIST_FILES["test_labels"]
    path.write_bytes(_header(0x801, 5) + bytes([1, 2, 3, 4, 42]))
    return ("label 42",)


_TRUNCATED = "An MNIST file is truncated (in its data or in its header)"
_NOT_MNIST = "MNIST images that are not 28 x 28, or a label above 9"
_GZIP = "A gzipped MNIST file is corrupt or cut short"


@pytest.mark.fault(
    "Any of the bad MNIST files below",
    "The error is raised and every file in the folder, the user's own included, is left "
    "byte for byte as it was.",
)
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            _missing_file,
            id="missing-file",
            marks=pytest.mark.fault(
                "An MNIST file is missing",
                "``MnistFileError`` naming both names it looked for (plain and ``.gz``) and "
                "the four files the folder needs.",
            ),
        ),
        pytest.param(
            _truncated_file,
            id="truncated-file",
            marks=pytest.mark.fault(
                _TRUNCATED,
                "``MnistFileError``: the file, the size its header announces against the size "
                'it has, and "replace it with a fresh copy".',
            ),
        ),
        pytest.param(_truncated_header, id="truncated-header", marks=pytest.mark.fault(_TRUNCATED)),
        pytest.param(
            _corrupt_gzip,
            id="corrupt-gzip",
            marks=pytest.mark.fault(
                _GZIP,
                '``MnistFileError``: the file "could not be decompressed", with zlib\'s reason.',
            ),
        ),
        pytest.param(
            _wrong_magic,
            id="wrong-magic",
            marks=pytest.mark.fault(
                "An MNIST file has the wrong magic number (labels where images belong)",
                "``MnistFileError`` giving the magic number found and the one expected.",
            ),
        ),
        pytest.param(
            _wrong_image_size,
            id="wrong-image-size",
            marks=pytest.mark.fault(
                _NOT_MNIST, "``MnistFileError`` saying what was found and what MNIST holds."
            ),
        ),
        pytest.param(
            _counts_disagree,
            id="counts-disagree",
            marks=pytest.mark.fault(
                "Images and labels of different counts",
                '``MnistFileError``: "MNIST counts disagree", with both counts and both files.',
            ),
        ),
        pytest.param(_bad_label, id="bad-label", marks=pytest.mark.fault(_NOT_MNIST)),
    ],
)
def test_a_bad_mnist_file_is_a_clear_error(small_mnist, damage):
    _fails(small_mnist, *damage(small_mnist))


@pytest.mark.fault(
    "The MNIST folder does not exist",
    "``MnistFileError`` naming the folder, where it came from (the argument or "
    "``AE_GALLERY_MNIST_DIR``) and what to do.",
)
def test_missing_folder(tmp_path):
    _fails(tmp_path / "nowhere", "does not exist", "AE_GALLERY_MNIST_DIR")


@pytest.mark.fault(_GZIP)
def test_truncated_gzip_of_real_file(mnist_dir, tmp_path):
    for name in MNIST_FILES.values():
        shutil.copy(mnist_dir / f"{name}.gz", tmp_path)
    path = tmp_path / f"{MNIST_FILES['test_images']}.gz"
    path.write_bytes(path.read_bytes()[:50_000])
    _fails(tmp_path, "could not be decompressed", str(path))


@pytest.mark.fault(
    "No MNIST folder named and no internet",
    "``MnistFileError``: Keras could not download MNIST; set ``AE_GALLERY_MNIST_DIR``.",
)
def test_failed_download_is_a_clear_error(monkeypatch):
    def offline():
        raise Exception("URL fetch failure")  # what keras.utils.get_file raises

    monkeypatch.delenv("AE_GALLERY_MNIST_DIR", raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(MnistFileError, match="could not download MNIST.*AE_GALLERY_MNIST_DIR"):
        load_mnist()
