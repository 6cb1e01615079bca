"""Faults the other test files leave out: two builds sharing one cache at once, what a user
keeps in the cache folder or the MNIST folder, run-to-run reproducibility of an MNIST model,
and a cache folder that cannot be used."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from ae_gallery import latent, plotting, recipes, training

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) and the sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _user_files(cache: Path) -> dict[str, str]:
    """Put what a user might keep in the cache folder there; return its snapshot."""
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "README.txt").write_text("my notes about these models\n")
    (cache / "my-models").mkdir()
    (cache / "my-models" / "best.weights.h5").write_bytes(b"\x89HDF\r\n" + bytes(range(200)))
    (cache / ".tmp-notes").mkdir()  # a hidden folder that is not the cache's own
    (cache / ".tmp-notes" / "todo.txt").write_text("keep me\n")
    return _snapshot(cache)


def _entries(cache: Path) -> list[Path]:
    """The cache's entries: folders named by a 24-hex-digit key."""
    key = re.compile(r"[0-9a-f]{24}")
    return sorted(p for p in cache.iterdir() if p.is_dir() and key.fullmatch(p.name))


# --- Two builds sharing one cache at once ----------------------------------------------------

BUILD = textwrap.dedent(
    """
    # What a docs build does: run example scripts one after another in one process.
    import runpy, sys
    for path in sys.argv[1:]:
        runpy.run_path(path, run_name="__main__")
    """
)


@pytest.mark.fault(
    (
        "Two builds sharing one cache at once (two processes running the same lessons, in "
        "opposite orders)"
    ),
    (
        "Both succeed; each model is trained once and loaded by the other build; one entry per "
        "key, nothing temporary or discarded left, the user's files untouched."
    ),
)
@pytest.mark.slow
def test_two_builds_sharing_one_cache_at_once(tmp_path):
    """Two processes run the same lessons at once, in opposite orders, on one cache."""
    cache = tmp_path / "cache"
    mine = _user_files(cache)
    work = tmp_path / "work"
    work.mkdir()
    lessons = []
    for name in ("plot_2_linear_autoencoder.py", "plot_3_deep_autoencoder.py"):
        shutil.copy(ROOT / "examples" / "en" / name, work / name)
        lessons.append(name)
    env = dict(
        os.environ,
        AE_GALLERY_CACHE=str(cache),
        AE_GALLERY_PROFILE="smoke",
        MPLBACKEND="Agg",
        TF_CPP_MIN_LOG_LEVEL="3",
    )
    builds = [
        subprocess.Popen(
            [sys.executable, "-c", BUILD, *order],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in (lessons, lessons[::-1])
    ]
    outs = [build.communicate(timeout=600) for build in builds]
    for build, (_, err) in zip(builds, outs, strict=True):
        assert build.returncode == 0, err[-3000:]
    summaries = [
        line
        for out, _ in outs
        for line in out.splitlines()
        if re.match(r"(linear_ae|deep_ae): (trained|loaded from the cache)", line)
    ]
    # Each build reports linear_ae twice (both lessons) and deep_ae once.
    assert len(summaries) == 6, summaries
    for name in ("linear_ae", "deep_ae"):
        trained = [s for s in summaries if s.startswith(f"{name}: trained")]
        assert len(trained) == 1, f"{name} was trained {len(trained)} times: {summaries}"
    entries = _entries(cache)
    assert len(entries) == 2, entries
    for entry in entries:
        assert sorted(p.name for p in entry.iterdir()) == ["meta.json", "model.weights.h5"]
        assert json.loads((entry / "meta.json").read_text())["key"] == entry.name
    assert not list(cache.glob(".tmp-*-*")), "a temporary entry was left behind"
    assert not list(cache.glob(".discarded-*")), "an entry was discarded"
    after = _snapshot(cache)
    assert {k: after.get(k) for k in mine} == mine, "a file of the user's changed or vanished"


# --- Nothing a user made is lost --------------------------------------------------------------

DOTS = np.random.default_rng(0).normal(size=(300, 2)).astype("float32")


def _train_linear(**options):
    data = recipes.TrainingData(DOTS, DOTS)
    return training.train("linear_ae", data=data, profile="smoke", verbose=False, **options)


@pytest.mark.fault(
    "A user's own files in the cache folder",
    (
        "Storing, discarding a damaged entry and removing a killed run's leftovers touch only the"
        " cache's own files."
    ),
)
def test_the_cache_keeps_what_a_user_put_in_its_folder(tmp_path, monkeypatch):
    """Storing, discarding a damaged entry and cleaning leftovers remove only the cache's own."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("AE_GALLERY_CACHE", str(cache))
    mine = _user_files(cache)
    run = _train_linear()
    entry = cache / run.key
    # A leftover of a killed run (the cache's own, removed), and a damaged entry (discarded).
    (cache / f".tmp-{run.key}-killed").mkdir()
    weights = entry / "model.weights.h5"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.warns(UserWarning, match="unusable"):
        assert not _train_linear().from_cache
    assert _train_linear().from_cache
    assert not list(cache.glob(f".tmp-{run.key}-*")) and not list(cache.glob(".discarded-*"))
    after = _snapshot(cache)
    assert {k: after.get(k) for k in mine} == mine, "a file of the user's changed or vanished"


# --- More bad input to the measures and figures -------------------------------------------


@pytest.mark.fault("Wrong array shapes or dtypes given to the figure functions")
@pytest.mark.fault("Wrong array shapes or dtypes given to the measuring functions")
@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: plotting.plot_code_joint(np.zeros(10)), ValueError, "2 dimension"),
        (lambda: plotting.plot_digits(np.full((2, 28, 28), np.nan)), ValueError, "NaN"),
        (lambda: plotting.plot_digits(None), TypeError, "numeric"),
        (lambda: plotting.plot_digits(np.zeros((2, 28, 28, 3))), ValueError, "2-D images"),
        (lambda: plotting.animate_frames(["a", "b"]), TypeError, "numeric"),
        (lambda: plotting.plot_training_curves({}), ValueError, "at least one history"),
        (
            lambda: latent.distance_correlation(np.zeros(5), np.zeros(6)),
            ValueError,
            "same length",
        ),
        (lambda: latent.code_statistics(np.array([["a"] * 4] * 5)), TypeError, "numeric"),
        (lambda: latent.reconstruction_errors(np.zeros(4), np.zeros(4)), ValueError, "dimension"),
        (
            lambda: latent.line_angle_degrees(np.zeros((1, 2)), np.zeros((5, 2))),
            ValueError,
            "2 row",
        ),
    ],
)
def test_more_bad_input_is_a_clear_error(call, error, fragment):
    try:
        with pytest.raises(error, match=fragment):
            call()
    finally:
        plt.close("all")


# --- The same seed gives the same losses, run to run ---------------------------------------

MNIST_RUN = textwrap.dedent(
    """
    import json
    from ae_gallery import data, recipes, training
    (x_train, _), (x_test, _) = data.load_mnist()
    run = training.train(
        "sparse_ae",
        data=recipes.TrainingData(x_train, x_train, (x_test[:2000], x_test[:2000])),
        profile="smoke", seed=0, use_cache=False, verbose=False,
    )
    codes = run.model.get_layer("encoder").predict(x_test[:500], verbose=0)
    print("RESULT", json.dumps({"history": run.history, "codes": codes.tolist()}))
    """
)


@pytest.mark.fault("The same seed, run again on a CPU")
@pytest.mark.slow
def test_mnist_training_is_reproducible_run_to_run(mnist_dir, tmp_path):
    """The sparse autoencoder at the smoke budget, trained twice in fresh processes on CPU."""
    env = dict(
        os.environ,
        AE_GALLERY_MNIST_DIR=str(mnist_dir),
        AE_GALLERY_CACHE=str(tmp_path / "cache"),
        TF_CPP_MIN_LOG_LEVEL="3",
        CUDA_VISIBLE_DEVICES="",
    )
    results = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", MNIST_RUN],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        (line,) = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
        results.append(json.loads(line[len("RESULT ") :]))
    first, second = results
    for key in ("loss", "val_loss", "step_loss"):
        assert len(first["history"][key]) > 0, key
        np.testing.assert_allclose(second["history"][key], first["history"][key], rtol=1e-5)
    np.testing.assert_allclose(second["codes"], first["codes"], rtol=1e-4, atol=1e-6)
    assert not (tmp_path / "cache").exists() or not _entries(tmp_path / "cache")


# --- A cache folder that cannot be used ----------------------------------------------------


@pytest.mark.fault(
    "``AE_GALLERY_CACHE`` names a file, or a folder that cannot be created",
    "A warning naming ``AE_GALLERY_CACHE`` and what to do; the model is trained, uncached.",
)
@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_unusable_cache_folder_is_reported_and_training_runs(tmp_path, monkeypatch, where):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a user's file\n")
    folder = blocker if where == "a file" else blocker / "cache"
    monkeypatch.setenv("AE_GALLERY_CACHE", str(folder))
    with pytest.warns(UserWarning, match="AE_GALLERY_CACHE.*trained without the cache"):
        run = _train_linear()
    assert not run.from_cache and len(run.history["loss"]) == 15
    assert blocker.read_text() == "a user's file\n"


@pytest.mark.fault(
    "A cache folder that is read-only, or full",
    "A warning naming the folder, the system's reason and ``AE_GALLERY_CACHE``; the model "
    "is trained (or kept) without the cache, and nothing half-written stays there.",
)
@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_read_only_or_full_cache_is_reported_and_training_runs(tmp_path, monkeypatch, fault):
    # Simulated: the tests run as root, whom a read-only folder does not stop.
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("AE_GALLERY_CACHE", str(cache))
    if fault == "read-only":
        error = OSError(errno.EROFS, "Read-only file system")
        where = (tempfile, "TemporaryFile")  # the cache's check that it can write
    else:
        error = OSError(errno.ENOSPC, "No space left on device")
        where = (keras.Model, "save_weights")  # storing the entry

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(*where, refuse)
    with pytest.warns(UserWarning, match=f"{error.strerror}.*AE_GALLERY_CACHE"):
        run = _train_linear()
    assert not run.from_cache and len(run.history["loss"]) == 15
    assert not [p for p in cache.iterdir() if not p.name.endswith(".lock")]


def test_a_training_index_out_of_range_is_a_clear_error():
    with pytest.raises(ValueError, match="0 to 2.*from 7 to 7"):
        latent.train_vs_elsewhere(np.zeros((3, 2)), np.zeros((3, 2)), [7])


def test_nothing_warns_about_the_cache_on_a_clean_hit(tmp_path, monkeypatch):
    monkeypatch.setenv("AE_GALLERY_CACHE", str(tmp_path / "cache"))
    _train_linear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Keras' own conversion of its variables to NumPy, not ours (as in pyproject.toml).
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        assert _train_linear().from_cache
