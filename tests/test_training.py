"""Profiles, seeded training, and the trained-weights cache."""

from __future__ import annotations

import dataclasses
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

from ae_gallery import budgets, data, device, loops, models, recipes, training


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


def train_linear(*, x=DOTS, y=None, validation=None, **overrides):
    """The linear autoencoder's recipe at the smoke budget, with any setting overridden."""
    options = {
        k: overrides.pop(k) for k in ("seed", "use_cache", "verbose", "precision") if k in overrides
    }
    options.setdefault("verbose", False)
    recipe = dataclasses.replace(recipes.LINEAR_AE, **overrides)
    data_ = recipes.TrainingData(x, x if y is None else y, validation)
    return training.train(recipe, data=data_, profile="smoke", **options)


# --- Profiles ------------------------------------------------------------------------------


def test_profile_argument_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PROFILE", "smoke")
    assert budgets.resolve_profile() == "smoke"
    assert budgets.resolve_profile("full") == "full"


@pytest.mark.fault(
    "An unknown profile (argument or ``AE_GALLERY_PROFILE``), or an unknown recipe name",
    "``ValueError`` naming where the name came from and listing the valid ones.",
)
@pytest.mark.parametrize("where", ["argument", "environment"])
def test_unknown_profile_lists_the_valid_ones(where, monkeypatch):
    if where == "environment":
        monkeypatch.setenv("AE_GALLERY_PROFILE", "fast")
        call = budgets.resolve_profile
    else:

        def call():
            return budgets.resolve_profile("fast")

    with pytest.raises(ValueError, match=r"Unknown training profile 'fast'.*full, quick, smoke"):
        call()


def test_full_budgets_are_the_articles():
    full = {
        name: (r.budgets["full"].epochs, r.budgets["full"].batch_size)
        for name, r in recipes.RECIPES.items()
        if r.in_article
    }
    assert full == {
        "linear_ae": (15, 30),
        "deep_ae": (200, 30),
        "overfit_ae": (200, 15),
        "conv_ae": (50, 256),
        "sparse_ae": (100, 64),
        "sparse_ae_l1": (200, 256),
    }
    assert all(r.budgets["full"].steps_per_epoch is None for r in recipes.RECIPES.values())


def test_every_recipe_has_every_profile_and_a_reason():
    for recipe in recipes.RECIPES.values():
        assert set(recipe.budgets) == set(budgets.PROFILES), recipe.name
        assert recipe.quick_reason.endswith("."), recipe.name


@pytest.mark.fault(
    "An unknown profile (argument or ``AE_GALLERY_PROFILE``), or an unknown recipe name"
)
def test_unknown_recipe_name():
    with pytest.raises(ValueError, match="No recipe named 'nope'.*linear_ae"):
        recipes.get("nope")


def test_the_printed_lines_say_optimizer_loss_and_the_articles_budget():
    assert recipes.SPARSE_AE_L1.describe() == (
        "sparse_ae_l1: Adam with learning rate 0.0003, loss binary_crossentropy, on the "
        "60,000 MNIST training digits, validated on the 10,000 test digits."
    )
    assert recipes.CONV_AE.describe().startswith("conv_ae: Adam, loss binary_crossentropy")
    assert recipes.CONV_AE.budget_note("quick") == (
        "Profile quick: 2 epochs of batch 256, a shorter budget than the article's 50 epochs "
        "of batch 256 (the full profile trains the article's)."
    )
    assert "(not in the article)" in recipes.DIGIT_CLASSIFIER.budget_note("full")


def test_precision_defaults_to_float32_without_native_bfloat16(monkeypatch):
    monkeypatch.delenv("AE_GALLERY_PRECISION", raising=False)
    monkeypatch.setattr(device, "cpu_flags", lambda: frozenset({"avx2", "fma"}))
    assert not device.native_bfloat16()
    assert training.resolve_precision() == "float32"
    monkeypatch.setattr(device, "cpu_flags", lambda: frozenset({"avx2", "amx_bf16"}))
    assert device.native_bfloat16() == (not device.gpu_names())
    with pytest.raises(ValueError, match="Unknown precision 'half'"):
        training.resolve_precision("half")


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


def test_train_prints_the_recipe_its_budget_and_how_it_went(cache, capsys):
    run = train_linear(verbose=True)
    out = capsys.readouterr().out
    assert out.splitlines() == [
        recipes.LINEAR_AE.describe(),
        recipes.LINEAR_AE.budget_note("smoke"),
        run.summary(),
    ]
    assert "linear_ae: trained 15 epochs of batch 30" in out and "profile smoke" in out
    assert "CPU" in out or "GPU" in out


def _key(**overrides):
    return train_linear(use_cache=False, **overrides).key


def test_key_changes_with_every_input(cache):
    base = _key()
    assert _key() == base  # and it is stable
    changed = {
        "architecture": _key(build=models.deep_ae),
        "optimizer": _key(learning_rate=0.02),
        "optimizer kind": _key(optimizer="sgd"),
        "loss": _key(loss="mae"),
        "data": _key(x=DOTS + 1e-3),
        "budget": _key(budgets=recipes.DEEP_AE.budgets),
        "seed": _key(seed=1),
        "validation": _key(validation=(DOTS[:10], DOTS[:10])),
        "precision": _key(bfloat16=True, precision="mixed_bfloat16"),
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


def _truncate_weights(entry: Path) -> None:
    weights = entry / "model.weights.h5"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])


def _other_key(entry: Path) -> None:
    meta = json.loads((entry / "meta.json").read_text())
    (entry / "meta.json").write_text(json.dumps(dict(meta, key="0" * 24)))


def _other_keras(entry: Path) -> None:
    meta = json.loads((entry / "meta.json").read_text())
    (entry / "meta.json").write_text(json.dumps(dict(meta, keras="2.15.0")))


def _unreadable_meta(entry: Path) -> None:
    (entry / "meta.json").write_text("{not json")


@pytest.mark.parametrize(
    ("damage", "warning"),
    [
        pytest.param(
            _truncate_weights,
            "unusable.*checksum.*retrained",
            id="truncated",
            marks=pytest.mark.fault(
                "A cache entry whose weights are truncated",
                'A warning ("unusable ... checksum"); the entry is discarded and the model '
                "retrained; the new entry is whole.",
            ),
        ),
        pytest.param(
            _other_key,
            "belongs to another key",
            id="other-key",
            marks=pytest.mark.fault(
                "A cache entry from another key",
                'A warning ("belongs to another key"); discarded and retrained.',
            ),
        ),
        pytest.param(
            _other_keras,
            "written by Keras 2.15.0",
            id="other-keras",
            marks=pytest.mark.fault(
                "A cache entry written by another Keras version",
                'A warning ("written by Keras 2.15.0 ..."); discarded and retrained.',
            ),
        ),
        pytest.param(
            _unreadable_meta,
            "cannot be read",
            id="unreadable-meta",
            marks=pytest.mark.fault(
                "A cache entry whose metadata cannot be read",
                'A warning ("cannot be read"); discarded and retrained.',
            ),
        ),
    ],
)
def test_a_damaged_entry_is_reported_and_retrained(cache, fit_count, damage, warning):
    train_linear()
    damage(_only_entry(cache))
    with pytest.warns(UserWarning, match=warning):
        run = train_linear()
    assert not run.from_cache and len(fit_count) == 2
    assert train_linear().from_cache  # the new entry is whole


@pytest.mark.fault(
    "The same seed, run again on a CPU",
    (
        "The same losses (to a relative 1e-5) and the same codes, in the same process and in a "
        "fresh one."
    ),
)
def test_training_is_reproducible(cache):
    first = train_linear(use_cache=False)
    second = train_linear(use_cache=False)
    np.testing.assert_allclose(second.history["loss"], first.history["loss"], rtol=1e-6)


@pytest.mark.fault(
    "Training data of the wrong shape, length or type",
    "``ValueError`` or ``TypeError`` before anything trains, with the shape the model takes.",
)
def test_bad_arrays_are_refused(cache):
    with pytest.raises(ValueError, match=r"inputs of shape \(N, 2\).*\(1000, 3\)"):
        train_linear(x=np.zeros((1000, 3), "float32"))
    with pytest.raises(ValueError, match="1000 rows but y has 10"):
        train_linear(y=np.zeros((10, 2), "float32"))
    with pytest.raises(TypeError, match="numpy array"):
        train_linear(x=DOTS.tolist())


def test_parts_train_their_autoencoder(cache):
    x = np.random.default_rng(0).random((64, 28, 28, 1)).astype("float32")
    run = training.train(
        recipes.SPARSE_AE,
        data=recipes.TrainingData(x, x),
        profile="smoke",
        verbose=False,
    )
    assert isinstance(run.model, models.AutoencoderParts)
    assert run.model.encoder.predict(x[:2], verbose=0).shape == (2, 16)


# --- Processes: concurrent runs, and a run killed midway ---------------------------------------

SCRIPT = textwrap.dedent(
    """
    import sys
    from ae_gallery import recipes, training
    run = training.train(recipes.get(sys.argv[1]), profile=sys.argv[2], verbose=False)
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


@pytest.mark.fault(
    "Two processes training one key at once",
    (
        "One trains while the other waits on the key's lock, then loads what the first stored: "
        "one entry, no temporary leftovers."
    ),
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
    assert training.train(recipes.DEEP_AE, profile="smoke", verbose=False).from_cache


@pytest.mark.fault(
    "A training run killed midway (SIGKILL)",
    (
        "The cache holds no entry for it, only a temporary folder that the next run of that key "
        "removes; the next run trains and stores a whole entry."
    ),
)
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
