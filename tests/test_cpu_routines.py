"""The CPU routines compute what Keras' layers compute, gradients included, and the twin
that uses them is the same model."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import ops
from lessons import lesson_model

from ae_gallery import cpu_routines

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
        mine = cpu_routines.single_output_conv(h, k)
        ref_loss, mine_loss = tf.reduce_sum(tf.sin(ref)), tf.reduce_sum(tf.sin(mine))
    np.testing.assert_allclose(mine, ref, rtol=1e-4, atol=1e-4)
    for a, b in zip(tape.gradient(ref_loss, [h, k]), tape.gradient(mine_loss, [h, k]), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-4 * float(tf.reduce_max(abs(a))))


def test_pool_2x2_max_matches_max_pooling():
    x = np.random.default_rng(1).standard_normal((2, 14, 14, 5)).astype("float32")
    np.testing.assert_array_equal(
        cpu_routines.pool_2x2_max(x), ops.max_pool(x, 2, 2, padding="same")
    )


def test_the_twin_of_the_conv_ae_uses_the_routines_where_they_apply_and_computes_the_same():
    model = lesson_model("conv_ae")
    model.compile("adam", "binary_crossentropy")
    fast = cpu_routines.twin(model)
    kinds = [
        type(layer).__name__
        for part in ("encoder", "decoder")
        for layer in fast.get_layer(part).layers
    ]
    # Both max poolings, and the two 7x7 convolutions that end in one channel.
    assert kinds == [
        "InputLayer",
        "Conv2D",
        "Pool2x2Max",
        "Conv2D",
        "Pool2x2Max",
        "SingleOutputConv2D",
        "InputLayer",
        "Conv2D",
        "UpSampling2D",
        "Conv2D",
        "UpSampling2D",
        "SingleOutputConv2D",
    ]
    x = np.random.default_rng(2).random((3, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(fast.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    dense = lesson_model("deep_ae")
    dense.compile("adam", "mse")
    assert cpu_routines.applies(model) and not cpu_routines.applies(dense)
