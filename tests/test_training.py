"""Profiles, seeded training, and the trained-weights cache."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from ae_gallery import data, loops, models, training


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AE_GALLERY_CACHE", str(folder))
    return folder


@pytest.fixture
def fit_count(monkeypatch) -> list:
    calls = []
    real = loops.fit_arrays

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loops, "fit_arrays", counting)
    return calls


DOTS = data.make_sine_data().dots


def train_linear(**overrides):
    kwargs = dict(
        name="linear_ae",
        optimizer=keras.optimizers.Adam(0.01),
        loss="mse",
        profile="smoke",
        verbose=False,
    )
    kwargs.update(overrides)
    x = kwargs.pop("x", DOTS)
    build = kwargs.pop("build", models.linear_ae)
    return training.train(build, x, **kwargs)


# --- Profiles ------------------------------------------------------------------------------


def test_profile_argument_environment_and_default(monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PROFILE", "smoke")
    assert training.resolve_profile() == "smoke"
    assert training.resolve_profile("full") == "full"
    monkeypatch.delenv("AE_GALLERY_PROFILE")
    # No GPU on the test machines: the default is the CPU budget.
    expected = "full" if training._gpu_names() else "quick"
    assert training.resolve_profile() == expected


@pytest.mark.parametrize("where", ["argument", "environment"])
def test_unknown_profile_lists_the_valid_ones(where, monkeypatch):
    if where == "environment":
        monkeypatch.setenv("AE_GALLERY_PROFILE", "fast")
        call = training.resolve_profile
    else:

        def call():
            return training.resolve_profile("fast")

    with pytest.raises(ValueError, match=r"Unknown training profile 'fast'.*full, quick, smoke"):
        call()


def test_full_budgets_are_the_articles():
    full = {
        name: (b["full"].epochs, b["full"].batch_size, b["full"].steps_per_epoch)
        for name, b in training.BUDGETS.items()
        if name != "digit_classifier"
    }
    assert full == {
        "linear_ae": (15, 30, None),
        "deep_ae": (200, 30, None),
        "overfit_ae": (200, 15, None),
        "conv_ae": (50, 256, None),
        "sparse_ae": (100, 64, None),
        "sparse_ae_l1": (200, 256, None),
    }


def test_the_docs_table_of_budgets_is_the_librarys():
    """docs/maintainers.rst explains each budget: its table must say what BUDGETS holds."""
    import re

    text = (Path(__file__).parents[1] / "docs" / "maintainers.rst").read_text()
    table = text.split("Training profiles and budgets")[1].split("\nSpeed\n")[0]
    rows = re.findall(r"\* - ``(\w+)``\n((?:     - .*\n)+)", table)
    assert {name for name, _ in rows} == set(training.BUDGETS)

    def describe(budget):
        epochs = f"{budget.epochs} epoch{'s' if budget.epochs > 1 else ''}"
        if budget.steps_per_epoch:
            return f"{epochs} of {budget.steps_per_epoch} batches of {budget.batch_size}"
        return f"{epochs}, batch {budget.batch_size}"

    for name, cells in rows:
        full, quick, smoke = [c.strip()[2:] for c in cells.strip().split("\n")[:3]]
        expected = training.BUDGETS[name]
        assert (full, quick, smoke) == tuple(
            describe(expected[p]) for p in ("full", "quick", "smoke")
        ), name


def test_unknown_budget_name():
    with pytest.raises(ValueError, match="No budget named 'nope'"):
        training.budget_for("nope", "smoke")


# --- Training and the cache ------------------------------------------------------------------


def test_a_hit_loads_without_training(cache, fit_count):
    first = train_linear()
    assert not first.from_cache and len(fit_count) == 1
    second = train_linear()
    assert second.from_cache and len(fit_count) == 1
    assert second.history == first.history and second.key == first.key
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert "loaded from cache" in second.summary()


def test_summary_is_one_line_and_says_how(cache, capsys):
    run = train_linear(verbose=True)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.strip() == run.summary()
    assert "linear_ae: trained 15 epochs of batch 30" in out and "profile smoke" in out
    assert "CPU" in out or "GPU" in out


def _key(**overrides):
    return train_linear(use_cache=False, **overrides).key


def test_key_changes_with_every_input(cache):
    base = _key()
    assert _key() == base  # and it is stable
    changed = {
        "architecture": _key(build=models.deep_ae),
        "optimizer": _key(optimizer=keras.optimizers.Adam(0.02)),
        "optimizer kind": _key(optimizer=keras.optimizers.SGD(0.01)),
        "loss": _key(loss="mae"),
        "data": _key(x=DOTS + 1e-3),
        "budget": _key(name="deep_ae"),
        "seed": _key(seed=1),
        "validation": _key(validation_data=(DOTS[:10], DOTS[:10])),
    }
    assert len(set(changed.values()) | {base}) == len(changed) + 1, changed


def test_key_does_not_depend_on_layer_numbering(cache):
    base = _key()
    for _ in range(3):
        models.linear_ae()  # advances Keras' automatic layer names
    assert _key() == base


def test_key_covers_keras_and_backend_versions(cache, monkeypatch):
    base = _key()
    monkeypatch.setattr(keras, "__version__", "3.99.0")
    assert _key() != base


def _only_entry(cache: Path) -> Path:
    entries = [p for p in cache.iterdir() if p.is_dir()]
    assert len(entries) == 1, entries
    return entries[0]


def test_truncated_entry_is_reported_and_retrained(cache, fit_count):
    train_linear()
    weights = _only_entry(cache) / "model.weights.h5"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    with pytest.warns(UserWarning, match="unusable.*checksum.*retrained"):
        run = train_linear()
    assert not run.from_cache and len(fit_count) == 2
    assert train_linear().from_cache  # the new entry is whole


def test_entry_of_another_key_is_retrained(cache, fit_count):
    other = train_linear(seed=5)
    mine_key = train_linear(use_cache=False).key
    (cache / other.key).rename(cache / mine_key)
    with pytest.warns(UserWarning, match="belongs to another key"):
        assert not train_linear().from_cache


def test_entry_of_another_keras_version_is_retrained(cache):
    run = train_linear()
    meta_path = cache / run.key / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["keras"] = "2.15.0"
    meta_path.write_text(json.dumps(meta))
    with pytest.warns(UserWarning, match="written by Keras 2.15.0"):
        assert not train_linear().from_cache


def test_unreadable_metadata_is_retrained(cache):
    run = train_linear()
    (cache / run.key / "meta.json").write_text("{not json")
    with pytest.warns(UserWarning, match="cannot be read"):
        assert not train_linear().from_cache


def test_training_is_reproducible(cache):
    first = train_linear(use_cache=False)
    second = train_linear(use_cache=False)
    np.testing.assert_allclose(second.history["loss"], first.history["loss"], rtol=1e-6)


def test_bad_arrays_are_refused(cache):
    with pytest.raises(ValueError, match=r"inputs of shape \(N, 2\).*\(1000, 3\)"):
        train_linear(x=np.zeros((1000, 3), "float32"))
    with pytest.raises(ValueError, match="1000 rows but y has 10"):
        train_linear(y=np.zeros((10, 2), "float32"))
    with pytest.raises(TypeError, match="numpy array"):
        train_linear(x=DOTS.tolist())


def test_parts_train_their_autoencoder(cache):
    (x, _), _ = (np.random.default_rng(0).random((64, 28, 28, 1)).astype("float32"), None), None
    run = training.train(
        lambda: models.deep_sparse_ae(0.0),
        x,
        name="sparse_ae",
        optimizer="adam",
        loss="binary_crossentropy",
        profile="smoke",
        verbose=False,
    )
    assert isinstance(run.model, models.AutoencoderParts)
    assert run.model.encoder.predict(x[:2], verbose=0).shape == (2, 16)


# --- Processes: concurrent runs, and a run killed midway ---------------------------------------

SCRIPT = textwrap.dedent(
    """
    import sys, keras
    from ae_gallery import data, models, training
    x = data.make_sine_data().dots
    adam = keras.optimizers.Adam(0.003)
    run = training.train(models.deep_ae, x, name=sys.argv[1], optimizer=adam, loss="mse",
                         profile=sys.argv[2], verbose=False)
    print("FROM_CACHE" if run.from_cache else "TRAINED", run.key)
    """
)


def _start(cache: Path, name: str, profile: str) -> subprocess.Popen:
    env = dict(os.environ, AE_GALLERY_CACHE=str(cache), TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, name, profile],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_training_one_key_leave_one_good_entry(cache):
    procs = [_start(cache, "deep_ae", "smoke") for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    results = sorted(out.split()[0] for out, _ in outs)
    # The lock lets one train while the other waits, then loads what the first stored.
    assert results == ["FROM_CACHE", "TRAINED"], outs
    entry = _only_entry(cache)
    assert sorted(p.name for p in entry.iterdir()) == ["meta.json", "model.weights.h5"]
    assert not list(cache.glob(".tmp-*"))
    assert train_linear(
        build=models.deep_ae, name="deep_ae", optimizer=keras.optimizers.Adam(0.003)
    ).from_cache


@pytest.mark.slow
def test_a_run_killed_midway_leaves_no_entry(cache):
    proc = _start(cache, "overfit_ae", "smoke")  # about 30 s of training
    deadline = time.time() + 120
    line = ""
    while "epoch 1/" not in line:  # wait until it has trained an epoch
        line = proc.stderr.readline()
        assert line or proc.poll() is None, "the training process ended early"
        assert time.time() < deadline, "the training process did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    # The next run trains and stores a whole entry (and removes nothing a user made).
    done = _start(cache, "deep_ae", "smoke")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0 and out.startswith("TRAINED"), err
    assert len([p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]) == 1
