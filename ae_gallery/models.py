"""The article's autoencoders, built exactly as it builds them, in Keras 3.

Layers, sizes, activations and padding follow the article line by line. The MNIST models
return their encoder, decoder and autoencoder, so that codes can be read and decoded.
:func:`digit_classifier` is new: a small reader of digits used to score the homotopy frames.
"""

from __future__ import annotations

from typing import NamedTuple

import keras
from keras import layers, ops

__all__ = [
    "ActivityL1",
    "AutoencoderParts",
    "deep_ae",
    "deep_conv_ae",
    "deep_sparse_ae",
    "digit_classifier",
    "linear_ae",
]


class AutoencoderParts(NamedTuple):
    """An encoder, its decoder, and the autoencoder that chains them (sharing their weights)."""

    encoder: keras.Model
    decoder: keras.Model
    autoencoder: keras.Model


@keras.saving.register_keras_serializable(package="ae_gallery")
class ActivityL1(layers.Layer):
    """Pass the input through and add ``l1 * sum(|x|)`` over the whole batch to the loss.

    This is the article's ``activity_regularizer=L1L2(lambda_l1, 0)`` with the meaning it had
    in Keras 2: the penalty summed over the batch. Keras 3 divides an activity regulariser's
    value by the batch size, which would make the article's lambda 256 times weaker at its
    batch size of 256 and leave the codes where they were; an explicit layer keeps the
    article's math whatever Keras does with regularisers.

    Examples
    --------
    >>> import numpy as np
    >>> layer = ActivityL1(0.5)
    >>> out = layer(np.array([[1.0, -2.0], [3.0, 0.0]]))
    >>> float(layer.losses[0])
    3.0
    """

    def __init__(self, l1: float, **kwargs):
        super().__init__(**kwargs)
        self.l1 = float(l1)

    def call(self, inputs):
        # Summed in float32 whatever the layer computes in (mixed bfloat16 included), so the
        # penalty adds to the float32 loss.
        self.add_loss(self.l1 * ops.sum(ops.abs(ops.cast(inputs, "float32"))))
        return inputs

    def get_config(self) -> dict:
        return {**super().get_config(), "l1": self.l1}


def linear_ae() -> keras.Model:
    """The linear compressing autoencoder: 2 -> 1 -> 2, linear activations.

    More layers would add nothing: a chain of linear maps is one linear map.

    Examples
    --------
    >>> linear_ae().count_params()
    7
    """
    input_dots = keras.Input((2,))
    code = layers.Dense(1, activation="linear")(input_dots)
    out = layers.Dense(2, activation="linear")(code)
    return keras.Model(input_dots, out, name="linear_ae")


def deep_ae() -> keras.Model:
    """The deep autoencoder: 2 -> 64 -> 64 -> 1 -> 64 -> 64 -> 2, ELU between layers.

    Examples
    --------
    >>> deep_ae().count_params()
    8835
    """
    input_dots = keras.Input((2,))
    x = layers.Dense(64, activation="elu")(input_dots)
    x = layers.Dense(64, activation="elu")(x)
    code = layers.Dense(1, activation="linear")(x)
    x = layers.Dense(64, activation="elu")(code)
    x = layers.Dense(64, activation="elu")(x)
    out = layers.Dense(2, activation="linear")(x)
    return keras.Model(input_dots, out, name="deep_ae")


def deep_conv_ae() -> AutoencoderParts:
    """The deep convolutional autoencoder for MNIST, with a 7 x 7 x 1 (49-number) code.

    Examples
    --------
    >>> parts = deep_conv_ae()
    >>> parts.encoder.output.shape, parts.autoencoder.count_params()
    ((None, 7, 7, 1), 48770)
    """
    input_img = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(128, (7, 7), activation="relu", padding="same")(input_img)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2D(32, (2, 2), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    encoded = layers.Conv2D(1, (7, 7), activation="relu", padding="same")(x)

    # Here the representation is (7, 7, 1): 49 numbers.

    input_encoded = keras.Input(shape=(7, 7, 1))
    x = layers.Conv2D(32, (7, 7), activation="relu", padding="same")(input_encoded)
    x = layers.UpSampling2D((2, 2))(x)
    x = layers.Conv2D(128, (2, 2), activation="relu", padding="same")(x)
    x = layers.UpSampling2D((2, 2))(x)
    decoded = layers.Conv2D(1, (7, 7), activation="sigmoid", padding="same")(x)

    encoder = keras.Model(input_img, encoded, name="encoder")
    decoder = keras.Model(input_encoded, decoded, name="decoder")
    autoencoder = keras.Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return AutoencoderParts(encoder, decoder, autoencoder)


def deep_sparse_ae(lambda_l1: float) -> AutoencoderParts:
    """The deep dense autoencoder with a 16-number code and an L1 penalty on the code.

    Parameters
    ----------
    lambda_l1 : float
        Strength of the L1 penalty on the code, summed over the batch as in the article
        (which uses 0 and 1e-5); see :class:`ActivityL1`.

    Examples
    --------
    >>> parts = deep_sparse_ae(1e-5)
    >>> parts.encoder.output.shape, parts.autoencoder.count_params()
    ((None, 16), 111680)
    """
    encoding_dim = 16

    input_img = keras.Input(shape=(28, 28, 1))
    flat_img = layers.Flatten()(input_img)
    x = layers.Dense(encoding_dim * 4, activation="relu")(flat_img)
    x = layers.Dense(encoding_dim * 3, activation="relu")(x)
    x = layers.Dense(encoding_dim * 2, activation="relu")(x)
    encoded = layers.Dense(encoding_dim, activation="linear")(x)
    encoded = ActivityL1(lambda_l1)(encoded)  # the article's L1L2(lambda_l1, 0) on the code

    input_encoded = keras.Input(shape=(encoding_dim,))
    x = layers.Dense(encoding_dim * 2, activation="relu")(input_encoded)
    x = layers.Dense(encoding_dim * 3, activation="relu")(x)
    x = layers.Dense(encoding_dim * 4, activation="relu")(x)
    flat_decoded = layers.Dense(28 * 28, activation="sigmoid")(x)
    decoded = layers.Reshape((28, 28, 1))(flat_decoded)

    encoder = keras.Model(input_img, encoded, name="encoder")
    decoder = keras.Model(input_encoded, decoded, name="decoder")
    autoencoder = keras.Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return AutoencoderParts(encoder, decoder, autoencoder)


def digit_classifier() -> keras.Model:
    """A small convolutional digit classifier (not in the article).

    It reads the frames of a homotopy, to count how many of them look like an eight. Two
    convolution blocks and a dense layer, with dropout (as keras-io's MNIST convnet) so that
    ten epochs pass 99 % test accuracy on MNIST without overfitting. Outputs are class
    probabilities.

    Examples
    --------
    >>> digit_classifier().output.shape
    (None, 10)
    """
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, (3, 3), activation="relu")(inputs)
    x = layers.MaxPooling2D((2, 2))(x)
    x = layers.Conv2D(64, (3, 3), activation="relu")(x)
    x = layers.MaxPooling2D((2, 2))(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.5)(x)
    x = layers.Dense(128, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="digit_classifier")
