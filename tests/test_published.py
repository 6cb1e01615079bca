"""Published weights: the article's numbers from the committed files, and every way those
files can be wrong (each reported by name, the model trained instead)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import warnings

import keras
import numpy as np
import pytest

from ae_gallery import latent, published, recipes, training
from ae_gallery.budgets import Budget

# --- The article's numbers, from the committed weights ----------------------------------------


def _published_run(recipe):
    """Load a recipe's committed weights; fail if they are not the published ones."""
    if recipe.name not in published.read_manifest():
        pytest.fail(f"{recipe.name} is not published")  # never train the full budget here
    with warnings.catch_warnings():
        # A refused file must fail the test, not train.
        warnings.filterwarnings("error", message=".*published weights not used")
        run = training.train(recipe, profile="full", use_published=True, verbose=False)
    assert run.published, f"{recipe.name}: the published weights were not loaded"
    return run


@pytest.mark.parametrize("name", sorted(published.read_manifest()))
def test_published_weights_load_and_match_their_recipe(name):
    """Each published model loads, checked, and matches its recipe as it is now."""
    run = _published_run(recipes.get(name))
    stored = published.read_manifest()[name]
    assert run.history["loss"][-1] == pytest.approx(stored["final"]["loss"])


def test_every_model_of_the_site_is_published():
    manifest = published.read_manifest()
    assert sorted(manifest) == sorted(recipes.RECIPES)
    total = sum(f["bytes"] for entry in manifest.values() for f in entry["files"].values())
    assert total < 5e6, f"published files take {total / 1e6:.1f} MB"
    for name, entry in manifest.items():
        assert entry["profile"] == "full"
        assert entry["budget"] == recipes.get(name).budgets["full"].describe()


def test_published_conv_autoencoder_reaches_the_article_loss(mnist):
    """The article's 50 epochs: test loss (binary cross-entropy) 0.0727 on the CPU that
    published them (an earlier GPU run under JAX reached 0.0699)."""
    _, (x_test, _) = mnist
    run = _published_run(recipes.CONV_AE)
    _, _, autoencoder = run.model
    loss = latent.image_reconstruction_loss(x_test, autoencoder.predict(x_test, verbose=0))
    # The same number the training measured on the same digits: the file is that model.
    assert loss.mean() == pytest.approx(run.history["val_loss"][-1], abs=2e-4)
    assert loss.mean() < 0.074, loss.mean()


def test_published_classifier_reads_99_percent_of_test_digits(mnist):
    _, (x_test, y_test) = mnist
    reader = _published_run(recipes.DIGIT_CLASSIFIER).model
    accuracy = (reader.predict(x_test, verbose=0).argmax(1) == y_test).mean()
    assert accuracy >= 0.99, accuracy


def test_published_code_path_between_two_eights_reads_as_eights(mnist):
    """Lesson 4: the frames of the straight path in code space are read as eights (at this
    budget all but one thin middle frame, which the reader takes for a three), and its
    middle frames lie nearer the learnt manifold than the pixel-space blend's."""
    _, (x_test, y_test) = mnist
    encoder, decoder, autoencoder = _published_run(recipes.CONV_AE).model
    reader = _published_run(recipes.DIGIT_CLASSIFIER).model
    eights = x_test[y_test == 8][1:3]
    codes = encoder.predict(eights, verbose=0)
    code_path = decoder.predict(latent.homotopy(codes[0], codes[1], 10), verbose=0)
    pixel_path = latent.homotopy(eights[0], eights[1], 10)
    probabilities = reader.predict(code_path, verbose=0)
    assert (probabilities.argmax(1) == 8).sum() >= 9, probabilities.argmax(1)
    assert probabilities[:, 8].mean() > 0.85, probabilities[:, 8]

    def loss(images):
        return latent.image_reconstruction_loss(images, autoencoder.predict(images, verbose=0))

    code_middle, pixel_middle = loss(code_path)[3:7].mean(), loss(pixel_path)[3:7].mean()
    assert code_middle < 0.8 * pixel_middle, (code_middle, pixel_middle)


def test_published_sparse_codes_are_centred_but_still_dependent(mnist):
    """Lesson 6: with λ = 1e-5, Z1 and Z3 are nearer 0 and less spread, still dependent."""
    _, (x_test, _) = mnist
    stats = {}
    for recipe in (recipes.SPARSE_AE, recipes.SPARSE_AE_L1):
        encoder = _published_run(recipe).model.encoder
        stats[recipe.name] = latent.code_statistics(encoder.predict(x_test, verbose=0), 1, 3)
    dense, sparse = stats["sparse_ae"], stats["sparse_ae_l1"]
    for s in stats.values():
        assert s.distance_correlation > 2 * s.independent_distance_correlation, s
    assert max(sparse.centredness) < 0.5 * max(dense.centredness), stats
    assert np.mean(sparse.std) < 0.5 * np.mean(dense.std), stats
    assert sparse.distance_correlation < dense.distance_correlation, stats


# --- Every way a published file can be wrong --------------------------------------------------

DOTS = np.random.default_rng(0).normal(size=(60, 2)).astype("float32")
#: linear_ae on a few rows, so that "the article's budget" trains in a second.
SMALL = recipes.TrainingData(DOTS, DOTS)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A published folder holding linear_ae trained at its full budget on ``SMALL``."""
    monkeypatch.delenv("AE_GALLERY_PROFILE", raising=False)
    monkeypatch.delenv("AE_GALLERY_PUBLISHED", raising=False)
    folder = tmp_path / "published"
    run = training.train(
        recipes.LINEAR_AE, data=SMALL, profile="full", use_published=False, verbose=False
    )
    fingerprint = published.recipe_fingerprint(
        published._trainable(run.model),
        recipes.LINEAR_AE.make_optimizer(),
        "mse",
        SMALL,
        run.budget,
        0,
    )
    published.publish([run], {"linear_ae": fingerprint}, folder)
    monkeypatch.setattr(published, "FOLDER", folder)
    return folder


def _train(recipe=recipes.LINEAR_AE, **options):
    return training.train(recipe, data=SMALL, verbose=False, **options)


def test_matching_published_weights_are_loaded_not_trained(folder, capsys):
    run = training.train(recipes.LINEAR_AE, data=SMALL, profile="full")
    assert run.published and not run.from_cache
    stored = json.loads((folder / "manifest.json").read_text())["models"]["linear_ae"]
    assert run.seconds == stored["seconds"]
    printed = capsys.readouterr().out
    assert "linear_ae: 15 epochs of batch 30, published weights" in printed
    assert f"Train them yourself with {published.TRAIN_YOURSELF}." in printed
    twin = keras.models.clone_model(published._trainable(run.model))
    twin.load_weights(folder / "linear_ae.weights.h5")
    for a, b in zip(published._trainable(run.model).get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_cpu_build_loads_published_weights_by_default(folder):
    """No profile asked: the article's budget, loaded (this machine has no GPU)."""
    run = _train()
    assert run.published and run.profile == "full"


def test_without_published_weights_a_cpu_build_trains_quick_and_says_so(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("AE_GALLERY_PROFILE", raising=False)
    monkeypatch.setattr(published, "FOLDER", tmp_path / "nothing-published")
    shorter = dataclasses.replace(
        recipes.LINEAR_AE, budgets={**recipes.LINEAR_AE.budgets, "quick": Budget(2, 30)}
    )
    run = training.train(shorter, data=SMALL)
    assert not run.published and run.profile == "quick" and len(run.history["loss"]) == 2
    assert (
        "linear_ae: no published weights match this recipe, so this CPU build trains the "
        "quick profile instead of the article's budget." in capsys.readouterr().out
    )


def test_published_weights_can_be_turned_off(folder, monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PUBLISHED", "off")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*published weights")
        run = _train(profile="full")
    assert not run.published and len(run.history["loss"]) == 15


def test_a_misspelt_published_setting_is_refused(monkeypatch):
    monkeypatch.setenv("AE_GALLERY_PUBLISHED", "no")
    with pytest.raises(ValueError, match="AE_GALLERY_PUBLISHED.*on, off"):
        _train(profile="full")


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
        run = _train(profile="full")
    (refusal,) = [str(w.message) for w in caught if "published weights" in str(w.message)]
    assert refusal.startswith("linear_ae: published weights not used, ")
    assert refusal.endswith("; training the model instead.")
    assert not run.published and len(run.history["loss"]) == 15


@pytest.mark.fault(
    "Published weights of another recipe (the recipe changed since)",
    "The manifest's recipe fingerprint differs: reported with what differs (here the learning"
    " rate), the model is trained instead.",
)
def test_published_weights_of_another_recipe_are_not_loaded(folder):
    changed = dataclasses.replace(recipes.LINEAR_AE, learning_rate=0.02)
    with pytest.warns(UserWarning, match="describes another recipe .its learning_rate differ"):
        run = _train(changed, profile="full")
    assert not run.published and len(run.history["loss"]) == 15


def test_published_weights_of_another_seed_are_not_loaded(folder):
    with pytest.warns(UserWarning, match="its seed differ"):
        run = _train(profile="full", seed=1)
    assert not run.published


def test_the_fingerprint_ignores_layer_names_and_versions():
    """Two builds in one process (Keras numbers their layers differently) match."""
    data = recipes.LINEAR_AE.data()
    first, second = (
        published.recipe_fingerprint(
            published._trainable(recipes.LINEAR_AE.build()),
            recipes.LINEAR_AE.make_optimizer(),
            "mse",
            data,
            Budget(15, 30),
            0,
        )
        for _ in range(2)
    )
    assert first["sha256"] == second["sha256"]
    assert "keras" not in first and "backend" not in first


def test_publishing_keeps_the_other_models_entries(folder):
    run = training.train(
        recipes.DEEP_AE, data=SMALL, profile="smoke", use_published=False, verbose=False
    )
    shutil.copy(folder / "manifest.json", folder.parent / "before.json")
    fingerprint = published.recipe_fingerprint(
        published._trainable(run.model),
        recipes.DEEP_AE.make_optimizer(),
        "mse",
        SMALL,
        run.budget,
        0,
    )
    published.publish([run], {"deep_ae": fingerprint}, folder)
    assert sorted(published.read_manifest(folder)) == ["deep_ae", "linear_ae"]
