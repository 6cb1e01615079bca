"""The fast loops compute what model.fit computes."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from ae_gallery import cpu_rewrites, loops, models
from ae_gallery.budgets import Budget


@pytest.mark.parametrize(
    ("shape", "kernel"),
    [
        ((3, 28, 28, 128), (7, 7, 128, 1)),
        ((3, 7, 7, 32), (7, 7, 32, 1)),
        ((2, 9, 9, 4), (2, 2, 4, 1)),
    ],
)
def test_single_output_conv_matches_conv_and_its_gradients(shape, kernel):
    rng = np.random.default_rng(0)
    h = tf.Variable(rng.standard_normal(shape).astype("float32"))
    k = tf.Variable(0.1 * rng.standard_normal(kernel).astype("float32"))
    with tf.GradientTape(persistent=True) as tape:
        ref = ops.conv(h, k, padding="same")
        mine = cpu_rewrites.single_output_conv(h, k)
        ref_loss, mine_loss = tf.reduce_sum(tf.sin(ref)), tf.reduce_sum(tf.sin(mine))
    np.testing.assert_allclose(mine, ref, rtol=1e-4, atol=1e-4)
    for a, b in zip(tape.gradient(ref_loss, [h, k]), tape.gradient(mine_loss, [h, k]), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-4 * float(tf.reduce_max(abs(a))))


def test_pool_2x2_max_matches_max_pooling():
    x = np.random.default_rng(1).standard_normal((2, 14, 14, 5)).astype("float32")
    np.testing.assert_array_equal(
        cpu_rewrites.pool_2x2_max(x), ops.max_pool(x, 2, 2, padding="same")
    )


def test_rewrites_are_chosen_for_the_conv_ae_only_where_they_apply():
    encoder, decoder, _ = models.deep_conv_ae()
    chosen = [
        layer.name for layer in encoder.layers + decoder.layers if cpu_rewrites.uses_rewrite(layer)
    ]
    kinds = [
        type(layer).__name__ for layer in encoder.layers + decoder.layers if layer.name in chosen
    ]
    # Both max poolings, and the two 7x7 convolutions that end in one channel.
    assert kinds == ["MaxPooling2D", "MaxPooling2D", "Conv2D", "Conv2D"]


def _weights_after(train, build, x, loss, optimizer):
    keras.utils.set_random_seed(0)
    model = build()
    model = getattr(model, "autoencoder", model)
    model.compile(optimizer=optimizer(), loss=loss)
    train(model)
    return [np.asarray(w) for w in model.get_weights()]


CASES = {
    "deep_ae": (models.deep_ae, (60, 2), "mse"),
    "sparse_ae": (lambda: models.deep_sparse_ae(1e-3), (40, 28, 28, 1), "binary_crossentropy"),
    "conv_ae": (models.deep_conv_ae, (12, 28, 28, 1), "binary_crossentropy"),
}


def _ways(name):
    build = CASES[name][0]
    model = build()
    return loops.candidate_ways(getattr(model, "autoencoder", model))


@pytest.mark.parametrize(("name", "way"), [(name, way) for name in CASES for way in _ways(name)])
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
    model = models.linear_ae()
    model.compile(optimizer="adam", loss="mse")
    x = np.zeros((4, 2), "float32")
    with pytest.raises(ValueError, match="'step_xla_rewrites' cannot train this model"):
        loops.fit_arrays(model, x, x, Budget(1, 2), way="step_xla_rewrites")


def test_steps_and_reported_loss_follow_fit_semantics():
    x = np.random.default_rng(3).random((100, 2)).astype("float32")
    keras.utils.set_random_seed(0)
    model = models.linear_ae()
    optimizer = keras.optimizers.SGD(0.0)  # a learning rate of 0: the loss is a constant
    model.compile(optimizer=optimizer, loss="mse")
    history = loops.fit_arrays(model, x, x, Budget(2, 30))
    # 100 rows in batches of 30: 3 full batches and one of 10, each epoch.
    assert int(optimizer.iterations) == 8
    expected = float(np.mean((model.predict(x, verbose=0) - x) ** 2))
    assert history["loss"] == pytest.approx([expected, expected], rel=1e-5)


def test_steps_per_epoch_caps_each_epoch():
    x = np.random.default_rng(4).random((100, 2)).astype("float32")
    model = models.linear_ae()
    optimizer = keras.optimizers.Adam(0.01)
    model.compile(optimizer=optimizer, loss="mse")
    loops.fit_arrays(model, x, x, Budget(3, 10, steps_per_epoch=2))
    assert int(optimizer.iterations) == 6


def test_validation_loss_is_reported():
    x = np.random.default_rng(5).random((64, 2)).astype("float32")
    model = models.linear_ae()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = loops.fit_arrays(model, x, x, Budget(1, 16), validation_data=(x[:20], x[:20]))
    expected = float(np.mean((model.predict(x[:20], verbose=0) - x[:20]) ** 2))
    assert history["val_loss"] == pytest.approx([expected], rel=1e-5)


def test_mismatched_rows_are_refused():
    model = models.linear_ae()
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="same number of rows"):
        loops.fit_arrays(
            model, np.zeros((5, 2), "float32"), np.zeros((4, 2), "float32"), Budget(1, 2)
        )


def test_choosing_a_way_times_every_candidate_and_leaves_the_model_as_it_was(capfd):
    x = np.random.default_rng(6).random((16, 28, 28, 1)).astype("float32")
    model = models.digit_classifier()
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
    assert all(f"{way} " in console for way in candidates), console
    assert f"training with {chosen}" in console
