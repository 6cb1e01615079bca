"""A model's design: the same for the same code, different for any change that decides a
trained model, and enough to build the model again."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from lessons import lesson_model

from ae_gallery import design
from ae_gallery.budgets import Budget


def deep(width=64, activation="elu", extra=False, optimizer=None, loss="mse"):
    inputs = keras.Input((2,))
    x = keras.layers.Dense(width, activation=activation)(inputs)
    if extra:
        x = keras.layers.Dense(width, activation=activation)(x)
    code = keras.layers.Dense(1)(x)
    out = keras.layers.Dense(2)(keras.layers.Dense(width, activation=activation)(code))
    model = keras.Model(inputs, out)
    model.compile(optimizer or keras.optimizers.Adam(0.003), loss)
    return model


def test_the_same_code_gives_the_same_design_whatever_keras_named_its_layers():
    first = design.design(deep())
    for _ in range(3):
        deep()  # advances Keras' automatic layer names
    assert design.design(deep()) == first


@pytest.mark.parametrize(
    ("changed", "part"),
    [
        ({"width": 32}, "architecture"),
        ({"activation": "relu"}, "architecture"),
        ({"extra": True}, "architecture"),
        ({"optimizer": keras.optimizers.Adam(0.003, beta_1=0.8)}, "optimizer"),
        ({"optimizer": keras.optimizers.Adam(0.01)}, "optimizer"),
        ({"optimizer": keras.optimizers.SGD(0.003)}, "optimizer"),
        ({"loss": "mae"}, "loss"),
    ],
)
def test_every_change_that_decides_a_trained_model_changes_the_design(changed, part):
    base, other = design.design(deep()), design.design(deep(**changed))
    assert base[part] != other[part]
    assert [k for k in base if base[k] != other[k]] == [part]


def test_settings_at_their_defaults_are_left_out():
    described = design.design(deep())
    dense = described["architecture"]["config"]["layers"][1]["config"]
    assert dense == {"units": 64, "activation": "elu"}
    assert described["optimizer"] == {
        "class_name": "Adam",
        "config": {"learning_rate": pytest.approx(0.003)},
    }


def test_the_fingerprint_covers_data_budget_and_seed():
    described = design.design(deep())
    x = np.zeros((10, 2), "float32")
    base = design.fingerprint(described, x, x, None, Budget(2, 5), 0)["sha256"]
    others = [
        design.fingerprint(described, x + 1, x + 1, None, Budget(2, 5), 0),
        design.fingerprint(described, x, x, (x, x), Budget(2, 5), 0),
        design.fingerprint(described, x, x, None, Budget(3, 5), 0),
        design.fingerprint(described, x, x, None, Budget(2, 5), 1),
    ]
    assert len({base, *(f["sha256"] for f in others)}) == 5
    assert "keras" not in others[0]  # any Keras release, any backend


@pytest.mark.parametrize("name", ["deep_ae", "conv_ae", "sparse_ae_l1"])
def test_a_rebuilt_model_has_the_same_design_and_takes_the_same_weights(name):
    model = lesson_model(name)
    model.compile(keras.optimizers.Adam(0.0003), "binary_crossentropy")
    described = design.design(model)
    again = design.rebuild(described)
    assert design.design(again) == described
    again.set_weights(model.get_weights())
    x = np.random.default_rng(0).random((2, *model.input.shape[1:])).astype("float32")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


@pytest.mark.fault(
    "A model given to training.fit that is not compiled, or that Keras cannot describe",
    "``ValueError`` before anything trains: compile it first; a custom layer needs ``get_config``.",
)
def test_an_uncompiled_or_undescribable_model_is_refused():
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    with pytest.raises(ValueError, match=r"not compiled: call model.compile"):
        design.design(model)

    class Mapped(keras.layers.Layer):  # a function as a setting: Keras cannot write it down
        def __init__(self, function):
            super().__init__()
            self.function = function

        def call(self, x):
            return self.function(x)

    model = keras.Model(inputs, Mapped(lambda x: 2 * x)(inputs))
    model.compile("adam", "mse")
    with pytest.raises(ValueError, match="custom layers need get_config"):
        design.design(model)
