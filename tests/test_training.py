"""Profiles, seeded training, and the trained-weights cache."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import keras
import numpy as np
import pytest
from lessons import lesson_function

from ae_gallery import budgets, data, device, loops, recipes, training
from ae_gallery.budgets import Budget


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


def linear(learning_rate=0.01, optimizer=None, loss="mse", width=1):
    """The article's linear autoencoder, compiled (``width`` changes its code size)."""
    inputs = keras.Input((2,))
    outputs = keras.layers.Dense(2)(keras.layers.Dense(width)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer or keras.optimizers.Adam(learning_rate), loss)
    return model


def fit_linear(model=None, *, x=DOTS, y=None, validation=None, epochs=15, **options):
    """training.fit of the linear autoencoder at the smoke budget (its own 15 epochs)."""
    options.setdefault("verbose", False)
    options.setdefault("profile", "smoke")
    options.setdefault("name", "linear_ae")
    y = x if y is None else y
    model = model or linear()
    return training.fit(
        model, x, y, epochs=epochs, batch_size=30, validation_data=validation, **options
    )


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


def test_every_recipe_has_its_shorter_budgets_and_a_reason():
    for recipe in recipes.RECIPES.values():
        assert recipe.quick.steps_per_epoch is None, recipe.name
        assert recipe.quick_reason.endswith("."), recipe.name


@pytest.mark.fault(
    "An unknown profile (argument or ``AE_GALLERY_PROFILE``), or an unknown recipe name"
)
def test_unknown_recipe_name():
    with pytest.raises(ValueError, match="No recipe named 'nope'.*linear_ae"):
        recipes.get("nope")


def test_the_shorter_profiles_never_train_more_than_asked():
    asked = Budget(50, 256)
    assert recipes.shorter_budget("conv_ae", "full", asked) == asked
    assert recipes.shorter_budget("conv_ae", "quick", asked) == Budget(2, 256)
    assert recipes.shorter_budget("conv_ae", "smoke", asked) == Budget(1, 256, 8)
    assert recipes.shorter_budget("deep_ae", "quick", Budget(20, 30)) == Budget(20, 30)
    # A model a reader named: as asked under quick, a few batches under smoke.
    assert recipes.shorter_budget("my_ae", "quick", asked) == asked
    assert recipes.shorter_budget("my_ae", "smoke", asked) == Budget(1, 256, 20)


def test_precision_defaults_to_float32_without_native_bfloat16(monkeypatch):
    monkeypatch.delenv("AE_GALLERY_PRECISION", raising=False)
    monkeypatch.setattr(device, "cpu_flags", lambda: frozenset({"avx2", "fma"}))
    assert not device.native_bfloat16()
    assert device.resolve_precision() == "float32"
    monkeypatch.setattr(device, "cpu_flags", lambda: frozenset({"avx2", "amx_bf16"}))
    assert device.native_bfloat16() == (not device.gpu_names())
    with pytest.raises(ValueError, match="Unknown precision 'half'"):
        device.resolve_precision("half")


# --- Training and the cache ------------------------------------------------------------------


def test_a_hit_loads_without_training(cache, fit_count):
    first = fit_linear()
    assert not first.from_cache and len(fit_count) == 1
    second = fit_linear()
    assert second.from_cache and len(fit_count) == 1
    assert second.history == first.history and second.key == first.key
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert "loaded from the cache" in second.summary()


def test_fit_trains_the_model_it_is_given(cache):
    model = linear()
    before = [w.copy() for w in model.get_weights()]
    run = fit_linear(model)
    assert run.model is model
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


def test_fit_says_in_one_line_how_the_model_was_obtained(cache, capsys):
    run = fit_linear(verbose=True)
    out = capsys.readouterr().out
    assert out.splitlines() == [run.summary()]
    said = r"linear_ae: trained 15 epochs of batch 30 in .* s; final loss \S+\.\n"
    assert re.fullmatch(said, out), out
    run = fit_linear(epochs=30, verbose=True)  # the smoke budget is shorter than asked
    said = "(15 epochs of batch 30, the smoke profile's; the fit asks for 30 epochs of batch 30)"
    assert said in capsys.readouterr().out


def test_progress_and_an_estimate_go_to_the_console(cache, capsys):
    fit_linear(epochs=30)
    err = capsys.readouterr().err
    assert "[ae_gallery] linear_ae: epoch 1 of 15 took " in err
    assert "the whole training: about " in err
    assert "all 30 epochs of batch 30 the fit asks for: about " in err
    assert "[ae_gallery] linear_ae: epoch 15/15, loss " in err


def _key(model=None, x=DOTS[:60], **options):
    """The cache key of a training; two batches of data: the key, not the model, is tested."""
    return fit_linear(model, x=x, use_cache=False, **options).key


@pytest.mark.slow
def test_key_changes_with_every_input(cache):
    base = _key()
    assert _key() == base  # and it is stable
    changed = {
        "architecture": _key(linear(width=2)),
        "optimizer": _key(linear(learning_rate=0.02)),
        "optimizer setting": _key(linear(optimizer=keras.optimizers.Adam(0.01, beta_1=0.8))),
        "optimizer kind": _key(linear(optimizer=keras.optimizers.SGD(0.01))),
        "loss": _key(linear(loss="mae")),
        "data": _key(x=DOTS[:60] + 1e-3),
        "budget": _key(epochs=16, profile="full"),
        "seed": _key(seed=1),
        "validation": _key(validation=(DOTS[:10], DOTS[:10])),
    }
    assert len(set(changed.values()) | {base}) == len(changed) + 1, changed
    # The sine models train in float32 whatever is asked; a model without a recipe may not.
    assert _key(precision="mixed_bfloat16") == base
    assert _key(name="mine", precision="mixed_bfloat16") != _key(name="mine", precision="float32")


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
    fit_linear()
    damage(_only_entry(cache))
    with pytest.warns(UserWarning, match=warning):
        run = fit_linear()
    assert not run.from_cache and len(fit_count) == 2
    assert fit_linear().from_cache  # the new entry is whole


@pytest.mark.slow
@pytest.mark.fault(
    "The same seed, run again on a CPU",
    (
        "The same losses (to a relative 1e-5) and the same codes, in the same process and in a "
        "fresh one."
    ),
)
def test_training_is_reproducible(cache):
    first = fit_linear(use_cache=False)
    second = fit_linear(use_cache=False)
    np.testing.assert_allclose(second.history["loss"], first.history["loss"], rtol=1e-6)


@pytest.mark.fault(
    "Training data of the wrong shape, length or type",
    "``ValueError`` or ``TypeError`` before anything trains, with the shape the model takes.",
)
def test_bad_arrays_are_refused(cache):
    with pytest.raises(ValueError, match=r"inputs of shape \(N, 2\).*\(1000, 3\)"):
        fit_linear(x=np.zeros((1000, 3), "float32"))
    with pytest.raises(ValueError, match="1000 rows but y has 10"):
        fit_linear(y=np.zeros((10, 2), "float32"))
    with pytest.raises(TypeError, match="numpy array"):
        fit_linear(x=DOTS.tolist())
    with pytest.raises(ValueError, match=r"shuffles the rows.*model.fit\(..., shuffle=False\)"):
        fit_linear(shuffle=False)


def test_a_model_of_encoder_and_decoder_trains_both(cache):
    encoder, decoder, autoencoder = lesson_function(
        "plot_6_latent_variables", "create_deep_sparse_ae"
    )(0.0)
    autoencoder.compile(keras.optimizers.Adam(0.0003), "binary_crossentropy")
    x = np.random.default_rng(0).random((64, 28, 28, 1)).astype("float32")
    before = encoder.get_weights()[0].copy()
    training.fit(
        autoencoder, x, x, epochs=1, batch_size=64, name="sparse_ae", profile="smoke", verbose=False
    )
    assert not np.array_equal(before, encoder.get_weights()[0])
    assert encoder.predict(x[:2], verbose=0).shape == (2, 16)


def test_a_model_a_lesson_introduced_trains_again_by_its_name(cache):
    run = training.train("linear_ae", profile="smoke", verbose=False)
    assert run.name == "linear_ae" and run.budget == Budget(15, 30)
    assert run.model.count_params() == 7


# --- Processes: concurrent runs, and a run killed midway ---------------------------------------

SCRIPT = textwrap.dedent(
    """
    import sys
    from ae_gallery import training
    run = training.train(sys.argv[1], profile=sys.argv[2], verbose=False)
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
    assert training.train("deep_ae", profile="smoke", verbose=False).from_cache


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
