"""The fast loops compute what model.fit computes, on every backend (on JAX and other
backends than TensorFlow the only way is Keras' own fit)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from lessons import lesson_model

from ae_gallery import loops
from ae_gallery.budgets import Budget


def _weights_after(train, build, x, loss, optimizer):
    keras.utils.set_random_seed(0)
    model = build()
    model.compile(optimizer=optimizer(), loss=loss)
    train(model)
    return [np.asarray(w) for w in model.get_weights()]


def linear_ae():
    inputs = keras.Input((2,))
    return keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(1)(inputs)))


CASES = {
    "deep_ae": (lambda: lesson_model("deep_ae"), (60, 2), "mse"),
    "sparse_ae_l1": (lambda: lesson_model("sparse_ae_l1"), (40, 28, 28, 1), "binary_crossentropy"),
    "conv_ae": (lambda: lesson_model("conv_ae"), (12, 28, 28, 1), "binary_crossentropy"),
}


def _ways(name):
    model = CASES[name][0]()
    model.compile("adam", CASES[name][2])
    return loops.candidate_ways(model)


@pytest.mark.parametrize(
    ("name", "way"),
    [
        pytest.param(name, way, marks=[pytest.mark.slow] if name != "deep_ae" else [])
        for name in CASES
        for way in _ways(name)
    ],
)
def test_every_way_makes_the_updates_of_model_fit(name, way):
    """With one batch per epoch the order of rows does not matter: every way must agree."""
    build, shape, loss = CASES[name]
    x = np.random.default_rng(2).random(shape).astype("float32")
    n = len(x)

    def plain(model):
        model.fit(x, x, batch_size=n, epochs=3, shuffle=True, verbose=0)

    def fast(model):
        history = loops.fit_arrays(model, x, x, Budget(3, n), way=way)
        assert len(history["loss"]) == 3 and len(history["step_loss"]) == 3

    expected = _weights_after(plain, build, x, loss, lambda: keras.optimizers.Adam(1e-3))
    got = _weights_after(fast, build, x, loss, lambda: keras.optimizers.Adam(1e-3))
    for a, b in zip(expected, got, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-5)


def test_a_way_that_cannot_train_the_model_is_refused():
    model = linear_ae()
    model.compile(optimizer="adam", loss="mse")
    x = np.zeros((4, 2), "float32")
    with pytest.raises(ValueError, match="'step_xla_routines' cannot train this model"):
        loops.fit_arrays(model, x, x, Budget(1, 2), way="step_xla_routines")


def test_steps_and_reported_loss_follow_fit_semantics():
    x = np.random.default_rng(3).random((100, 2)).astype("float32")
    keras.utils.set_random_seed(0)
    model = linear_ae()
    optimizer = keras.optimizers.SGD(0.0)  # a learning rate of 0: the loss is a constant
    model.compile(optimizer=optimizer, loss="mse")
    history = loops.fit_arrays(model, x, x, Budget(2, 30))
    # 100 rows in batches of 30: 3 full batches and one of 10, each epoch.
    assert int(optimizer.iterations) == 8
    expected = float(np.mean((model.predict(x, verbose=0) - x) ** 2))
    assert history["loss"] == pytest.approx([expected, expected], rel=1e-5)


def test_steps_per_epoch_caps_each_epoch():
    x = np.random.default_rng(4).random((100, 2)).astype("float32")
    model = linear_ae()
    optimizer = keras.optimizers.Adam(0.01)
    model.compile(optimizer=optimizer, loss="mse")
    loops.fit_arrays(model, x, x, Budget(3, 10, steps_per_epoch=2))
    assert int(optimizer.iterations) == 6


def test_validation_loss_is_reported():
    x = np.random.default_rng(5).random((64, 2)).astype("float32")
    model = linear_ae()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = loops.fit_arrays(model, x, x, Budget(1, 16), validation_data=(x[:20], x[:20]))
    expected = float(np.mean((model.predict(x[:20], verbose=0) - x[:20]) ** 2))
    assert history["val_loss"] == pytest.approx([expected], rel=1e-5)


def test_mismatched_rows_are_refused():
    model = linear_ae()
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="same number of rows"):
        loops.fit_arrays(
            model, np.zeros((5, 2), "float32"), np.zeros((4, 2), "float32"), Budget(1, 2)
        )


def test_choosing_a_way_times_every_candidate_and_leaves_the_model_as_it_was(capfd):
    x = np.random.default_rng(6).random((16, 28, 28, 1)).astype("float32")
    model = lesson_model("digit_classifier")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    model.optimizer.build(model.trainable_variables)
    before = [v.numpy().copy() for v in model.variables + model.optimizer.variables]
    chosen = loops.choose_way(model, x, np.zeros(16, "uint8"), 8, total_steps=10**9)
    after = [v.numpy() for v in model.variables + model.optimizer.variables]
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)
    assert int(model.optimizer.iterations) == 0
    # The console names the rate of every candidate, and the one chosen.
    console = capfd.readouterr().err
    candidates = loops.candidate_ways(model)
    if len(candidates) == 1:  # nothing to choose from (Keras' fit on JAX): nothing timed
        assert chosen == candidates[0]
        return
    assert all(f"{way} " in console for way in candidates), console
    assert f"training with {chosen}" in console


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="elsewhere Keras' fit is always the way"
)
def test_an_unchecked_release_trains_with_keras_fit_and_gets_its_losses(monkeypatch, capsys):
    """On a Keras or TensorFlow release the own loops were not checked with, they stay out:
    Keras' own fit trains, a line says so once, and the losses are those of model.fit."""
    monkeypatch.setitem(loops.CHECKED_RELEASES, "keras", ((3, 0), (3, 1)))
    monkeypatch.setattr(loops, "_NOTICED", set())
    x = np.random.default_rng(7).random((96, 2)).astype("float32")

    def compiled_model():
        keras.utils.set_random_seed(0)
        model = lesson_model("deep_ae")
        model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
        return model

    plain = compiled_model().fit(x, x, batch_size=16, epochs=3, shuffle=True, verbose=0)
    model = compiled_model()
    assert loops.candidate_ways(model) == ["keras_fit", "keras_fit_xla", "keras_fit_plain"]
    history = loops.fit_arrays(model, x, x, Budget(3, 16))
    assert history["loss"] == pytest.approx(plain.history["loss"], rel=1e-5)
    loops.fit_arrays(compiled_model(), x, x, Budget(1, 16))
    notice = f"were not checked with Keras {keras.__version__}: Keras' built-in fit trains instead"
    assert capsys.readouterr().out.count(notice) == 1


def test_keras_fit_runs_a_whole_epoch_of_many_steps_per_call():
    """A whole epoch per compiled call, beyond 32 steps: Keras before 3.7 failed there on
    TensorFlow (keras#20344), which is why pyproject.toml asks for 3.7."""
    x = np.random.default_rng(8).random((200, 2)).astype("float32")
    model = linear_ae()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    ways = [way for way in loops.candidate_ways(model) if way.startswith("keras_fit")]
    assert ways
    for way in ways:
        history = loops.fit_arrays(model, x, x, Budget(2, 2), way=way)
        assert len(history["loss"]) == 2 and np.isfinite(history["loss"]).all(), way


def test_a_short_training_never_takes_a_way_that_may_be_slower_than_keras_fit():
    """Untimed: the whole-epoch loop for a dense model (it wins on every CPU seen), Keras'
    own fit with its defaults for a convolutional one (the CPU routines lose to it on an
    Intel Xeon; nothing says a tuned fit never does)."""
    conv = lesson_model("conv_ae")
    conv.compile("adam", "binary_crossentropy")
    dense = lesson_model("deep_ae")
    dense.compile("adam", "mse")
    assert loops._untimed_way(loops.candidate_ways(conv)) == "keras_fit_plain"
    expected = "epoch_loop" if keras.backend.backend() == "tensorflow" else "keras_fit_plain"
    assert loops._untimed_way(loops.candidate_ways(dense)) == expected
