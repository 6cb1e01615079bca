"""Faults the other test files leave out: two builds sharing one cache at once, what a user
keeps in the cache folder or the MNIST folder, run-to-run reproducibility of an MNIST model,
and the docs' table of bad input and faults (every row names a test that exists)."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest

from ae_gallery import latent, models, training
from ae_gallery.data import MNIST_FILES, MnistFileError, load_mnist

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


@pytest.mark.slow
def test_two_builds_sharing_one_cache_at_once(tmp_path):
    """Two processes run the same lessons at once, in opposite orders, on one cache."""
    cache = tmp_path / "cache"
    mine = _user_files(cache)
    work = tmp_path / "work"
    work.mkdir()
    lessons = []
    for name in ("plot_2_linear_autoencoder.py", "plot_3_deep_autoencoder.py"):
        shutil.copy(ROOT / "examples" / name, work / name)
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
        if re.match(r"(linear_ae|deep_ae): (trained|loaded from cache)", line)
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


def _train_linear(**overrides):
    kwargs = dict(
        name="linear_ae",
        optimizer=keras.optimizers.Adam(0.01),
        loss="mse",
        profile="smoke",
        verbose=False,
    )
    kwargs.update(overrides)
    return training.train(models.linear_ae, DOTS, **kwargs)


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


def _mnist_folder(folder: Path) -> Path:
    """A valid MNIST folder in miniature: plain IDX files, 12 training and 5 test images."""
    rng = np.random.default_rng(0)
    for split, n in (("train", 12), ("test", 5)):
        for kind, magic, dims, payload in (
            ("images", 0x803, (n, 28, 28), rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)),
            ("labels", 0x801, (n,), rng.integers(0, 10, n, dtype=np.uint8)),
        ):
            header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)
            (folder / MNIST_FILES[f"{split}_{kind}"]).write_bytes(header + payload.tobytes())
    return folder


def _truncate(folder):
    path = folder / MNIST_FILES["train_images"]
    path.write_bytes(path.read_bytes()[:-10])


def _corrupt_gzip(folder):
    import gzip

    path = folder / MNIST_FILES["test_images"]
    data = bytearray(gzip.compress(path.read_bytes()))
    data[20:60] = bytes(40)
    path.with_name(path.name + ".gz").write_bytes(bytes(data))
    path.unlink()


def _wrong_magic(folder):
    shutil.copy(folder / MNIST_FILES["train_labels"], folder / MNIST_FILES["train_images"])


def _counts_disagree(folder):
    path = folder / MNIST_FILES["test_labels"]
    path.write_bytes((0x801).to_bytes(4, "big") + (4).to_bytes(4, "big") + bytes(4))


@pytest.mark.parametrize(
    "damage",
    [_truncate, _corrupt_gzip, _wrong_magic, _counts_disagree],
    ids=["truncated", "gzip-corrupt", "wrong-magic", "counts-disagree"],
)
def test_a_bad_mnist_file_is_reported_and_left_as_it_was(tmp_path, damage):
    folder = _mnist_folder(tmp_path)
    (folder / "my-notes.txt").write_text("where these files came from\n")
    damage(folder)
    before = _snapshot(folder)
    with pytest.raises(MnistFileError):
        load_mnist(folder)
    assert _snapshot(folder) == before


# --- More bad input to the measures and figures -------------------------------------------


def _plotting():
    import matplotlib

    matplotlib.use("Agg")
    from ae_gallery import plotting

    return plotting


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (
            lambda: _plotting().plot_homotopy(np.zeros((28, 28, 1)), np.zeros((28, 28))),
            ValueError,
            "same shape",
        ),
        (lambda: _plotting().plot_code_joint(np.zeros(10)), ValueError, "2 dimension"),
        (lambda: _plotting().plot_digits(np.full((2, 28, 28), np.nan)), ValueError, "NaN"),
        (lambda: _plotting().plot_digits(None), TypeError, "numeric"),
        (lambda: _plotting().plot_digits(np.zeros((2, 28, 28, 3))), ValueError, "2-D images"),
        (lambda: _plotting().animate_frames(["a", "b"]), TypeError, "numeric"),
        (lambda: _plotting().plot_training_curves({}), ValueError, "at least one history"),
        (
            lambda: latent.distance_correlation(np.zeros(5), np.zeros(6)),
            ValueError,
            "same length",
        ),
        (
            lambda: latent.image_reconstruction_loss(np.zeros((2, 4)), np.zeros((2, 5))),
            ValueError,
            "same shape",
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
    import matplotlib.pyplot as plt

    try:
        with pytest.raises(error, match=fragment):
            call()
    finally:
        plt.close("all")


# --- The same seed gives the same losses, run to run ---------------------------------------

MNIST_RUN = textwrap.dedent(
    """
    import json, keras
    from ae_gallery import data, models, training
    (x_train, _), (x_test, _) = data.load_mnist()
    run = training.train(
        lambda: models.deep_sparse_ae(0.0), x_train, name="sparse_ae",
        optimizer=keras.optimizers.Adam(0.0003), loss="binary_crossentropy",
        validation_data=(x_test[:2000], x_test[:2000]), profile="smoke", seed=0,
        use_cache=False, verbose=False,
    )
    codes = run.model.encoder.predict(x_test[:500], verbose=0)
    print("RESULT", json.dumps({"history": run.history, "codes": codes.tolist()}))
    """
)


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


# --- The docs' table of bad input and faults --------------------------------------------------

MAINTAINERS = ROOT / "docs" / "maintainers.rst"


def _fault_table_rows() -> list[list[str]]:
    """The rows of the list-table in the section "Bad input and faults", as lists of cells."""
    text = MAINTAINERS.read_text(encoding="utf-8")
    assert "Bad input and faults" in text, "docs/maintainers.rst has no table of faults"
    rows: list[list[str]] = []
    for line in text.split("Bad input and faults", 1)[1].splitlines():
        if line.startswith("   * - "):
            rows.append([line[7:]])
        elif line.startswith("     - ") and rows:
            rows[-1].append(line[7:])
        elif line.startswith("       ") and rows:
            rows[-1][-1] += " " + line.strip()
        elif line and not line.startswith(" ") and rows:
            break  # the next section
    return [[" ".join(cell.split()) for cell in row] for row in rows]


def test_the_fault_table_names_tests_that_exist():
    rows = _fault_table_rows()
    assert len(rows) >= 15, rows
    assert rows[0][0] == "case", "the first row is the header"
    assert all(len(row) == 3 for row in rows), [row for row in rows if len(row) != 3]
    for case, _, tests in rows[1:]:
        names = re.findall(r"``([^`]+)``", tests)
        assert names, f"the row {case!r} names no test"
        for name in names:
            path, _, function = name.partition("::")
            function = function.split("[")[0]
            source = ROOT / path
            assert source.is_file(), f"{case!r}: no file {path}"
            defined = {
                node.name
                for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                if isinstance(node, ast.FunctionDef)
            }
            assert function in defined, f"{case!r}: {path} defines no {function}"


def test_a_training_index_out_of_range_is_a_clear_error():
    with pytest.raises(ValueError, match="0 to 2.*from 7 to 7"):
        latent.train_vs_elsewhere(np.zeros((3, 2)), np.zeros((3, 2)), [7])


def test_nothing_warns_about_the_cache_on_a_clean_hit(tmp_path, monkeypatch):
    monkeypatch.setenv("AE_GALLERY_CACHE", str(tmp_path / "cache"))
    _train_linear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _train_linear().from_cache
