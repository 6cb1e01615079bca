"""Shared fixtures: the offline MNIST folder, and a private weights cache per test session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The site's extensions are no installed package: they live beside its conf.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder of the four MNIST IDX files (``AE_GALLERY_MNIST_DIR``); tests never download."""
    folder = os.environ.get("AE_GALLERY_MNIST_DIR")
    if not folder or not Path(folder).is_dir():
        pytest.fail(
            "Set AE_GALLERY_MNIST_DIR to a folder holding the four MNIST IDX files "
            "(on the project's machines: ../shared/data/mnist). Tests never download."
        )
    return Path(folder)


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    from ae_gallery.data import load_mnist

    return load_mnist(mnist_dir)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory) -> Path:
    """Every test session trains into its own cache folder, never the user's; the
    pytest-xdist workers of one session share it, as processes share a user's cache."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, around each worker's own
    folder = root / "model-cache"
    folder.mkdir(exist_ok=True)
    os.environ["AE_GALLERY_CACHE"] = str(folder)
    return folder
