"""Faster CPU routines for two layer kinds of the article's convolutional autoencoder.

Under XLA on a CPU, a 7 x 7 convolution that maps many channels to one is about three times
faster computed as a matrix product followed by a sum of shifted maps
(:func:`single_output_conv`, the same sum in another order), and the gradient of 2 x 2 max
pooling about three times faster as a maximum over a reshaped tensor
(:func:`pool_2x2_max`). :func:`cpu_rewrites` computes a model's matching layers with them
for a while; their weights and config stay what they are. :mod:`ae_gallery.loops` uses
them only where timing shows that they pay.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keras
from keras import ops

__all__ = ["all_layers", "cpu_rewrites", "pool_2x2_max", "single_output_conv", "uses_rewrite"]


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
        raise ValueError("single_output_conv computes 'same' convolutions only.")
    kh, kw, channels, out_channels = kernel.shape
    if out_channels != 1:
        raise ValueError(f"single_output_conv needs one output channel, got {out_channels}.")
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


def uses_rewrite(layer: keras.layers.Layer) -> bool:
    """Whether a layer is computed by :func:`single_output_conv` or :func:`pool_2x2_max`."""
    if isinstance(layer, keras.layers.Conv2D):
        return (
            layer.filters == 1
            and layer.padding == "same"
            and tuple(layer.strides) == (1, 1)
            and tuple(layer.dilation_rate) == (1, 1)
            and layer.groups == 1
            and layer.data_format == "channels_last"
            and layer.kernel.shape[2] > 1
        )
    if isinstance(layer, keras.layers.MaxPooling2D):
        height, width = layer.input.shape[1:3]
        return (
            tuple(layer.pool_size) == (2, 2)
            and tuple(layer.strides) == (2, 2)
            and layer.data_format == "channels_last"
            and height is not None
            and height % 2 == 0
            and width is not None
            and width % 2 == 0
        )
    return False


def all_layers(model: keras.Model) -> Iterator[keras.layers.Layer]:
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)


@contextlib.contextmanager
def cpu_rewrites(model: keras.Model, enabled: bool = True) -> Iterator[int]:
    """Compute the model's matching layers with :func:`single_output_conv` and
    :func:`pool_2x2_max`, for a while; yield how many."""
    patched = [layer for layer in all_layers(model) if enabled and uses_rewrite(layer)]
    for layer in patched:
        # An instance attribute shadows the class's method: the layer, its weights and its
        # config stay what they are; only the routine that computes its output changes.
        if isinstance(layer, keras.layers.Conv2D):
            object.__setattr__(layer, "convolution_op", single_output_conv)
        else:
            object.__setattr__(layer, "call", pool_2x2_max)
    try:
        yield len(patched)
    finally:
        for layer in patched:
            name = "convolution_op" if isinstance(layer, keras.layers.Conv2D) else "call"
            object.__delattr__(layer, name)
