"""The CPU routines that replace two kinds of layers in the TensorFlow loops compute what
the layers compute, gradients included."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import ops

from ae_gallery import cpu_rewrites, models

tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="the routines are TensorFlow functions"
)


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
