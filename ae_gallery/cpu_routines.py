"""Faster CPU routines for two layer kinds of the article's convolutional autoencoder.

Under XLA on some CPUs (an AMD EPYC with AVX2: 3.2 times Keras' best ``fit`` for the
convolutional autoencoder), a 7 x 7 convolution that maps many channels to one is faster
computed as a matrix product followed by a sum of shifted maps (:func:`single_output_conv`,
the same sum in another order), and the gradient of 2 x 2 max pooling faster as a maximum
over a reshaped tensor (:func:`pool_2x2_max`). Two layer classes compute them
(:class:`SingleOutputConv2D`, :class:`Pool2x2Max`, Keras' own with one method overridden),
and :func:`twin` makes a model's twin that uses them: the same design and weights, other
routines. :mod:`ae_gallery.loops` trains the twin only where timing shows that it pays.
"""

from __future__ import annotations

import json
from typing import Any

import keras
from keras import ops

from . import design
from .i18n import _

__all__ = [
    "Pool2x2Max",
    "SingleOutputConv2D",
    "applies",
    "copy_state",
    "pool_2x2_max",
    "single_output_conv",
    "twin",
]


def single_output_conv(inputs, kernel, padding: str = "same"):
    """A stride-1 'same' 2-D convolution with one output channel, as a matmul and shifts.

    ``conv(h, k)[i, j] = sum_{a, b, c} h[i + a - pa, j + b - pb, c] * k[a, b, c]``: first
    ``z = h @ k`` gives, for every pixel, its contribution to each of the ``kh * kw`` output
    pixels around it; then the output is the sum of the ``kh * kw`` maps of ``z`` shifted into
    place. Both steps are dense, well-vectorised work on the CPU.

    Parameters
    ----------
    inputs : tensor of shape (batch, height, width, channels)
    kernel : tensor of shape (kh, kw, channels, 1)

    Examples
    --------
    >>> import numpy as np
    >>> from keras import ops
    >>> h = np.random.rand(2, 9, 9, 4).astype("float32")
    >>> k = np.random.rand(7, 7, 4, 1).astype("float32")
    >>> ref = ops.conv(h, k, padding="same")
    >>> bool(np.allclose(single_output_conv(h, k), ref, atol=1e-4))
    True
    """
    if padding != "same":
        raise ValueError(_("single_output_conv computes 'same' convolutions only."))
    kh, kw, channels, out_channels = kernel.shape
    if out_channels != 1:
        raise ValueError(
            _("single_output_conv needs one output channel, got {n}.").format(n=out_channels)
        )
    height, width = inputs.shape[1], inputs.shape[2]
    # kernel (kh, kw, c, 1) -> (c, kh * kw): column a * kw + b holds k[a, b, :].
    k_matrix = ops.reshape(
        ops.transpose(ops.reshape(kernel, (kh, kw, channels)), (2, 0, 1)), (channels, kh * kw)
    )
    z = ops.matmul(inputs, k_matrix)
    # 'same' pads the input with (k - 1) // 2 before and k // 2 after; padding z the same way
    # puts the contribution of input pixel (p, q) to output pixel (i, j) at z[i + a, j + b].
    z = ops.pad(z, ((0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    total = 0
    for a in range(kh):
        for b in range(kw):
            total = total + z[:, a : a + height, b : b + width, a * kw + b]
    return ops.expand_dims(total, -1)


def pool_2x2_max(inputs):
    """2 x 2 max pooling with stride 2 of maps of even size, as a max over a reshape.

    The values are those of ``MaxPooling2D((2, 2))``. The gradient differs only where a
    window holds two equal maxima (it is split between them instead of going to the first):
    after a ReLU such ties are zeros, whose gradient the ReLU sets to zero anyway.

    Examples
    --------
    >>> import numpy as np
    >>> from keras import ops
    >>> x = np.random.rand(2, 8, 8, 3).astype("float32")
    >>> bool(np.array_equal(pool_2x2_max(x), ops.max_pool(x, 2, 2, padding="same")))
    True
    """
    batch, height, width, channels = inputs.shape
    if batch is None:
        batch = -1
    blocks = ops.reshape(inputs, (batch, height // 2, 2, width // 2, 2, channels))
    return ops.max(blocks, axis=(2, 4))


@keras.saving.register_keras_serializable(package="ae_gallery")
class SingleOutputConv2D(keras.layers.Conv2D):
    """Keras' ``Conv2D``, computed by :func:`single_output_conv` (one output channel, 'same')."""

    def convolution_op(self, inputs, kernel):
        return single_output_conv(inputs, kernel, self.padding)


@keras.saving.register_keras_serializable(package="ae_gallery")
class Pool2x2Max(keras.layers.MaxPooling2D):
    """Keras' ``MaxPooling2D``, computed by :func:`pool_2x2_max` on maps of even size."""

    def call(self, inputs):
        height, width = inputs.shape[1:3]
        if height is None or width is None or height % 2 or width % 2:
            return super().call(inputs)
        return pool_2x2_max(inputs)


def _routine_class(entry: dict[str, Any]) -> str | None:
    """The routine layer for a layer of a design, if one computes it."""
    config = entry.get("config", {})
    if entry.get("module") != "keras.layers":
        return None
    plain = config.get("strides", [1, 1]) in ([1, 1], 1) and config.get("groups", 1) == 1
    if (
        entry["class_name"] == "Conv2D"
        and config.get("filters") == 1
        and config.get("padding") == "same"
        and plain
        and config.get("dilation_rate", [1, 1]) in ([1, 1], 1)
        and config.get("data_format", "channels_last") == "channels_last"
    ):
        return "SingleOutputConv2D"
    if (
        entry["class_name"] == "MaxPooling2D"
        and config.get("pool_size", [2, 2]) in ([2, 2], 2)
        and config.get("strides") in (None, [2, 2], 2)
        and config.get("data_format", "channels_last") == "channels_last"
    ):
        return "Pool2x2Max"
    return None


def _swapped(node: Any) -> Any:
    if isinstance(node, list):
        return [_swapped(v) for v in node]
    if not isinstance(node, dict):
        return node
    routine = _routine_class(node) if "class_name" in node else None
    if routine is not None:
        node = {**node, "module": None, "class_name": routine}
        node["registered_name"] = f"ae_gallery>{routine}"
    return {k: _swapped(v) for k, v in node.items()}


def applies(model: keras.Model) -> bool:
    """Whether a compiled model has a layer that the routines compute."""
    return _swapped(design.design(model)) != design.design(model)


def copy_state(source: keras.Model, target: keras.Model) -> None:
    """Copy the weights and the optimizer's state of a model into its twin (or back)."""
    target.set_weights(source.get_weights())
    for model in (source, target):
        model.optimizer.build(model.trainable_variables)
    for mine, theirs in zip(target.optimizer.variables, source.optimizer.variables, strict=True):
        mine.assign(theirs)


def twin(model: keras.Model) -> keras.Model:
    """A compiled model of the same design whose matching layers use the routines, holding
    ``model``'s weights and optimizer state (:func:`copy_state` copies them back)."""
    described = design.design(model)
    routines = json.loads(json.dumps(_swapped(described)))
    fast = design.rebuild(routines, name=model.name)
    copy_state(model, fast)
    return fast
