"""The one layer the article's models need that Keras 3 does not have as the article meant it.

The models themselves are written in the lessons (``examples/``), as the article writes
them; the library keeps what they reuse (:mod:`ae_gallery.design`, :mod:`ae_gallery.published`).
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["ActivityL1"]


@keras.saving.register_keras_serializable(package="ae_gallery")
class ActivityL1(keras.layers.Layer):
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
