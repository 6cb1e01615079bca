"""Published weights: the article's numbers from the committed files, and every way those
files can be wrong (each reported by name, the model trained instead)."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest
from lessons import published_run

from ae_gallery import design, published, recipes, training
from ae_gallery.budgets import Budget

# --- The article's numbers, from the committed weights ----------------------------------------


@pytest.mark.parametrize("name", sorted(published.read_manifest()))
def test_published_weights_load_and_match_their_fingerprint(name):
    """Each published model rebuilds from its design, loads, checked, and matches."""
    run = published_run(name)
    stored = published.read_manifest()[name]
    assert run.history["loss"][-1] == pytest.approx(stored["final"]["loss"])


def test_every_model_of_the_site_is_published():
    manifest = published.read_manifest()
    assert sorted(manifest) == sorted(recipes.RECIPES)
    total = sum(f["bytes"] for entry in manifest.values() for f in entry["files"].values())
    assert total < 5e6, f"published files take {total / 1e6:.1f} MB"
    full = {}
    for name, entry in manifest.items():
        assert entry["profile"] == "full"
        assert (Path(__file__).parents[1] / entry["lesson"]).is_file(), entry["lesson"]
        budget = entry["fingerprint"]["budget"]
        full[name] = (budget["epochs"], budget["batch_size"])
    assert full == {  # the budgets the lessons ask for
        "linear_ae": (15, 30),
        "deep_ae": (200, 30),
        "overfit_ae": (200, 15),
        "conv_ae": (50, 256),
        "sparse_ae": (100, 64),
        "sparse_ae_l1": (200, 256),
        "digit_classifier": (10, 128),
        "plane_ae": (100, 256),  # lesson 7's, beyond the article
    }


@pytest.mark.slow
def test_published_conv_autoencoder_reaches_the_article_loss(mnist):
    """The article's 50 epochs: test loss (binary cross-entropy) 0.0727 on the CPU that
    published them (an earlier GPU run under JAX reached 0.0699)."""
    _, (x_test, _) = mnist
    run = published_run("conv_ae")
    autoencoder = run.model
    loss = autoencoder.evaluate(x_test, x_test, batch_size=500, verbose=0)
    # The same number the training measured on the same digits: the file is that model.
    assert loss == pytest.approx(run.history["val_loss"][-1], abs=2e-4)
    assert loss < 0.074, loss


@pytest.mark.slow
def test_published_classifier_reads_99_percent_of_test_digits(mnist):
    _, (x_test, y_test) = mnist
    reader = published_run("digit_classifier").model
    accuracy = (reader.predict(x_test, verbose=0).argmax(1) == y_test).mean()
    assert accuracy >= 0.99, accuracy


# --- Every way a published file can be wrong --------------------------------------------------

DOTS = np.random.default_rng(0).normal(size=(60, 2)).astype("float32")


def linear(learning_rate=0.01, **adam):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(1)(inputs)))
    model.compile(keras.optimizers.Adam(learning_rate, **adam), "mse")
    return model


def _fit(model=None, **options):
    """The linear autoencoder of the article's budget on a few rows: a second's training."""
    options.setdefault("verbose", False)
    return training.fit(
        model or linear(), DOTS, DOTS, epochs=15, batch_size=30, name="linear_ae", **options
    )


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A published folder holding linear_ae trained at its full budget on ``DOTS``."""
    monkeypatch.delenv("AE_GALLERY_PROFILE", raising=False)
    monkeypatch.delenv("AE_GALLERY_PUBLISHED", raising=False)
    folder = tmp_path / "published"
    model = linear()
    run = _fit(model, profile="full", use_published=False)
    fingerprint = design.fingerprint(design.design(model), DOTS, DOTS, None, Budget(15, 30), 0)
    published.publish(run, fingerprint, folder)
    monkeypatch.setattr(published, "FOLDER", folder)
    return folder


def test_matching_published_weights_are_loaded_not_trained(folder, capsys):
    model = linear()
    run = _fit(model, profile="full", verbose=True)
    assert run.published and not run.from_cache and run.model is model
    stored = json.loads((folder / "manifest.json").read_text())["models"]["linear_ae"]
    assert run.seconds == stored["seconds"]
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1, printed  # one line
    assert printed.startswith("linear_ae: the published weights loaded (15 epochs of batch 30); ")
    assert "final loss " in printed and "CPU" not in printed
    twin = linear()
    twin.load_weights(folder / "linear_ae.weights.h5")
    for a, b in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_cpu_build_loads_published_weights_by_default(folder):
    """No profile asked: the article's budget, loaded (this machine has no GPU)."""
    run = _fit()
    assert run.published and run.profile == "full"


def test_a_changed_model_trains_quick_on_a_cpu_and_says_why(folder, monkeypatch, capsys):
    """A reader's change to the model (here the learning rate) misses the published
    weights: the model trains under the quick profile, and the page says why."""
    run = _fit(linear(0.02), verbose=True)
    assert not run.published and run.profile == "quick" and len(run.history["loss"]) == 15
    assert (
        "linear_ae: no published weights match this model (it differs from the published "
        "model in the optimizer), so this CPU trains it under the quick profile."
        in capsys.readouterr().out
    )


def test_published_weights_can_be_turned_off(folder, monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PUBLISHED", "off")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*published weights")
        run = _fit(profile="full")
    assert not run.published and len(run.history["loss"]) == 15


def test_a_misspelt_published_setting_is_refused(monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PUBLISHED", "no")
    with pytest.raises(ValueError, match="AE_GALLERY_PUBLISHED.*on, off"):
        _fit(profile="full")


def _missing(folder):
    (folder / "linear_ae.weights.h5").unlink()


def _truncated(folder):
    path = folder / "linear_ae.weights.h5"
    path.write_bytes(path.read_bytes()[:-100])


def _altered(folder):
    path = folder / "linear_ae.weights.h5"
    data = bytearray(path.read_bytes())
    data[-200] ^= 0xFF
    path.write_bytes(bytes(data))


def _history_missing(folder):
    (folder / "linear_ae.history.json").unlink()


def _manifest_damaged(folder):
    (folder / "manifest.json").write_text('{"models": [')


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        pytest.param(
            _missing,
            r"linear_ae\.weights\.h5 is missing",
            marks=pytest.mark.fault(
                "A published weights file is missing",
                "Reported by name; the model is trained instead.",
            ),
            id="missing",
        ),
        pytest.param(
            _history_missing,
            r"linear_ae\.history\.json is missing",
            marks=pytest.mark.fault(
                "A published history file is missing",
                "Reported by name; the model is trained instead.",
            ),
            id="history-missing",
        ),
        pytest.param(
            _truncated,
            r"linear_ae\.weights\.h5 has \d+ bytes, not the manifest's \d+ \(truncated\?\)",
            marks=pytest.mark.fault(
                "A published weights file is truncated",
                "Its size is checked against the manifest before anything is loaded; reported,"
                " the model is trained instead.",
            ),
            id="truncated",
        ),
        pytest.param(
            _altered,
            r"linear_ae\.weights\.h5 does not match the manifest's sha256",
            marks=pytest.mark.fault(
                "A published weights file is altered (same size)",
                "Its sha256 is checked against the manifest before it is loaded; reported, the"
                " model is trained instead.",
            ),
            id="altered",
        ),
        pytest.param(
            _manifest_damaged,
            r"manifest\.json is not a manifest of published weights",
            marks=pytest.mark.fault(
                "The published manifest is damaged",
                "Reported by name; every model is trained instead.",
            ),
            id="manifest",
        ),
    ],
)
def test_a_damaged_published_file_is_reported_and_the_model_trained(folder, damage, says):
    damage(folder)
    with pytest.warns(UserWarning, match=says) as caught:
        run = _fit(profile="full")
    (refusal,) = [str(w.message) for w in caught if "published weights" in str(w.message)]
    assert refusal.startswith("linear_ae: published weights not used, ")
    assert refusal.endswith("; training the model instead.")
    assert not run.published and len(run.history["loss"]) == 15


@pytest.mark.fault(
    "A published file fails its check where the lesson runs (its default profile)",
    "The warning names the file and the problem; the next line says the published files did "
    "not pass their check (not that nothing is published), and the model trains.",
)
def test_an_altered_file_is_said_by_the_fit_line_too(folder, capsys):
    _altered(folder)
    with pytest.warns(UserWarning, match="does not match the manifest's sha256"):
        run = _fit(verbose=True)
    printed = capsys.readouterr().out
    assert not run.published and "nothing is published" not in printed
    assert (
        "linear_ae: no published weights match this model (its published files did not pass "
        "their check), so this CPU trains it under the quick profile." in printed
    )


@pytest.mark.fault(
    "A change to anything that decides a trained model (a layer, an optimizer setting such "
    "as Adam's ``beta_1``, the loss, the data, the budget, the seed)",
    "The published weights do not match: nothing is loaded, the fit line says what differs, "
    "and the model is trained.",
)
@pytest.mark.parametrize(
    ("change", "part"),
    [
        ({"model": "beta_1"}, "optimizer"),
        ({"model": "width"}, "layers"),
        ({"seed": 1}, "seed"),
    ],
)
def test_published_weights_of_another_model_are_not_loaded(folder, change, part):
    model = {
        "beta_1": lambda: linear(beta_1=0.8),
        "width": lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, name="d")]),
    }.get(change.get("model"), linear)()
    if not model.compiled:
        model.compile(keras.optimizers.Adam(0.01), "mse")
    fingerprint = design.fingerprint(
        design.design(model), DOTS, DOTS, None, Budget(15, 30), change.get("seed", 0)
    )
    assert published.find("linear_ae", fingerprint, model) is None
    assert part in published.differences("linear_ae", fingerprint)
    run = _fit(model, profile="full", seed=change.get("seed", 0))
    assert not run.published


def test_re_keying_gives_the_same_weights_a_new_fingerprint(folder, monkeypatch):
    model = linear()
    new = design.fingerprint(design.design(model), DOTS, DOTS, None, Budget(15, 30), 7)
    before = (folder / "linear_ae.weights.h5").read_bytes()
    assert published.rekey("linear_ae", new, model, folder) is not None
    assert published.read_manifest(folder)["linear_ae"]["fingerprint"] == new
    assert (folder / "linear_ae.weights.h5").read_bytes() == before
    assert _fit(seed=7).published


def test_publishing_keeps_the_other_models_entries(folder):
    model = linear()
    run = training.fit(
        model, DOTS, DOTS, epochs=2, batch_size=30, name="other", use_cache=False, verbose=False
    )
    shutil.copy(folder / "manifest.json", folder.parent / "before.json")
    fingerprint = design.fingerprint(design.design(model), DOTS, DOTS, None, Budget(2, 30), 0)
    published.publish(run, fingerprint, folder)
    assert sorted(published.read_manifest(folder)) == ["linear_ae", "other"]
