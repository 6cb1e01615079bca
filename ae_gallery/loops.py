"""Fast training loops: the same math as ``model.fit``, without its per-step overhead.

:func:`ae_gallery.training.train` calls :func:`fit_arrays`; readers of the gallery never
need this module. What it does, and why (measured in ``benchmarks/``):

* The data stays in one tensor on the device; each epoch draws a fresh random permutation
  and cuts it into batches of the given size, the last one smaller when the sizes do not
  divide, as ``model.fit(..., shuffle=True)`` does (with its own random stream). Each step
  computes the model's compiled loss plus its regularisation losses, its gradients, and one
  optimizer update. The reported loss of an epoch is the sample-weighted mean of its batch
  losses, as Keras reports it.
* Small dense models (the sine autoencoders, the sparse MNIST autoencoder) are bound by
  per-step overhead, not arithmetic: a whole epoch runs as one XLA-compiled loop.
* Convolutional models are bound by arithmetic: each step is one compiled call (XLA
  compiles convolutions inside a loop very badly on the CPU). Whether XLA helps depends on
  the convolutions, so the library times a few steps both ways and keeps the faster
  (``_xla_is_faster``). With XLA, on the CPU, the 7 x 7 convolutions that map many
  channels to one are computed as a matrix product followed by a sum of shifted maps
  (:func:`single_output_conv`), the same sum in another order, about three times faster
  than the convolution routine for that shape; and 2 x 2 max pooling is computed as a
  maximum over a reshaped tensor (:func:`pool_2x2_max`), whose gradient XLA computes about
  three times faster than that of its pooling routine.
* On a backend other than TensorFlow, Keras' own ``fit`` runs, with many steps per compiled
  call.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable, Iterator

import keras
import numpy as np
from keras import ops

__all__ = ["fit_arrays", "pool_2x2_max", "single_output_conv", "uses_rewrite"]

ProgressFn = Callable[[int, int, dict[str, float]], None]
HeartbeatFn = Callable[[int, int, int, int], None]


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


def _all_layers(model: keras.Model) -> Iterator[keras.layers.Layer]:
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


@contextlib.contextmanager
def _cpu_rewrites(model: keras.Model, enabled: bool):
    """Compute some of the model's layers with the faster routines above, for a while."""
    patched = [layer for layer in _all_layers(model) if enabled and uses_rewrite(layer)]
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


def _has_convolutions(model: keras.Model) -> bool:
    return any(isinstance(layer, keras.layers.Conv2D) for layer in _all_layers(model))


def _on_cpu() -> bool:
    import tensorflow as tf

    return not tf.config.list_physical_devices("GPU")


def _batches(n: int, batch_size: int, steps: int | None) -> int:
    full = math.ceil(n / batch_size)
    return full if steps is None else min(steps, full)


def fit_arrays(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int,
    epochs: int,
    steps_per_epoch: int | None = None,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
    progress: ProgressFn | None = None,
    heartbeat: HeartbeatFn | None = None,
) -> dict[str, list[float]]:
    """Train a compiled model on arrays; return its history like ``model.fit`` does.

    Parameters
    ----------
    model : keras.Model
        A model compiled with an optimizer and a loss.
    x, y : ndarray
        Inputs and targets (the same array for an autoencoder).
    batch_size, epochs : int
        As in ``model.fit``. The last batch of an epoch is smaller when ``batch_size`` does
        not divide the number of rows.
    steps_per_epoch : int, optional
        Stop each epoch after this many batches (each epoch still draws a new permutation
        of all rows). ``None`` goes through all rows.
    validation_data : (ndarray, ndarray), optional
        Evaluated after each epoch, in batches of ``batch_size``.
    seed : int
        Seed of the shuffling.
    progress : callable, optional
        Called after each epoch with ``(epoch, epochs, logs)``.
    heartbeat : callable, optional
        Called every ten seconds or so inside a long epoch, with
        ``(epoch, epochs, step, steps)``.

    Returns
    -------
    dict
        ``{"loss": [...], "val_loss": [...]}``, one value per epoch, and ``"step_loss"``:
        the loss of each step (means of consecutive steps when there are more than 400),
        evenly spaced over the whole training.

    Examples
    --------
    >>> import numpy as np, keras
    >>> from ae_gallery.models import linear_ae
    >>> model = linear_ae()
    >>> model.compile(keras.optimizers.Adam(0.01), "mse")
    >>> x = np.random.rand(100, 2).astype("float32")
    >>> history = fit_arrays(model, x, x, batch_size=30, epochs=2)
    >>> len(history["loss"])
    2
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same number of rows; got {len(x)} and {len(y)}.")
    if keras.backend.backend() != "tensorflow":
        return _fit_with_keras(
            model, x, y, batch_size, epochs, steps_per_epoch, validation_data, progress
        )
    conv = _has_convolutions(model)
    steps = _batches(len(x), batch_size, steps_per_epoch) * epochs
    jit = not conv or steps < _TUNING_MIN_STEPS or _xla_is_faster(model, x, y, batch_size)
    with _cpu_rewrites(model, enabled=conv and jit and _on_cpu()), _quiet_retracing():
        return _fit_tensorflow(
            model,
            x,
            y,
            batch_size,
            epochs,
            steps_per_epoch,
            validation_data,
            seed,
            progress,
            heartbeat,
            whole_epoch=not conv,
            jit=jit,
        )


#: Below this many steps, a convolutional model trains with XLA without timing the
#: alternative: the timing would cost more than it could save.
_TUNING_MIN_STEPS = 100


class _RetracingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def _quiet_retracing():
    """Hide TensorFlow's retracing warning while a fit runs.

    Every fit compiles functions of its own model and data, so a page that trains several
    models (or the benchmark) makes TensorFlow warn that functions are "retraced": here that
    is the design, not a mistake, and the warning would only alarm a reader.
    """
    logger = logging.getLogger("tensorflow")
    quiet = _RetracingFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _make_step(model, x_all, y_all):
    """One training step on the rows ``idx`` of the data: loss, gradients, update."""
    import tensorflow as tf

    optimizer, variables = model.optimizer, model.trainable_variables

    def step(idx):
        x_batch, y_batch = tf.gather(x_all, idx), tf.gather(y_all, idx)
        with tf.GradientTape() as tape:
            y_pred = model(x_batch, training=True)
            loss = model.compute_loss(x=x_batch, y=y_batch, y_pred=y_pred, training=True)
        optimizer.apply(tape.gradient(loss, variables), variables)
        return loss

    return step


def _xla_is_faster(model, x, y, batch_size: int, repeats: int = 3) -> bool:
    """Time a few steps with XLA (and the CPU rewrites) and without; undo them afterwards.

    XLA helps the article's convolutional autoencoder (with the rewrites, about five times
    faster than plain ``fit`` on a CPU) but slows a model of 3 x 3 convolutions down, which
    TensorFlow's own kernels compute faster. The trial steps change the weights and the
    optimizer's state: both are restored, so training starts from where it would have.
    """
    import tensorflow as tf

    model.optimizer.build(model.trainable_variables)
    state = list(model.variables) + list(model.optimizer.variables)
    saved = [v.numpy() for v in state]
    idx = np.arange(min(batch_size, len(x)), dtype=np.int32)
    x_part = tf.constant(x[: len(idx)])
    y_part = x_part if y is x else tf.constant(y[: len(idx)])
    seconds = {}
    try:
        for jit in (True, False):
            with _cpu_rewrites(model, enabled=jit and _on_cpu()):
                step = tf.function(
                    _make_step(model, x_part, y_part), jit_compile=jit, autograph=False
                )
                float(step(idx))  # compile
                started = time.perf_counter()
                for _ in range(repeats):
                    float(step(idx))
                seconds[jit] = time.perf_counter() - started
    finally:
        for variable, value in zip(state, saved, strict=True):
            variable.assign(value)
    return seconds[True] <= seconds[False]


def _fit_tensorflow(
    model,
    x,
    y,
    batch_size,
    epochs,
    steps_per_epoch,
    validation_data,
    seed,
    progress,
    heartbeat,
    whole_epoch,
    jit,
):
    import tensorflow as tf

    model.optimizer.build(model.trainable_variables)
    x_all = tf.constant(x)
    y_all = x_all if y is x else tf.constant(y)
    n = len(x)
    step = _make_step(model, x_all, y_all)
    one_step = tf.function(step, jit_compile=jit, autograph=False)

    @tf.function(jit_compile=True, autograph=False)
    def full_batches(perm_2d):
        # perm_2d: (steps, batch_size). Returns the loss of each step.
        def body(i, losses):
            return i + 1, tf.tensor_scatter_nd_update(losses, [[i]], [step(perm_2d[i])])

        count = tf.shape(perm_2d)[0]
        return tf.while_loop(lambda i, _: i < count, body, (tf.constant(0), tf.zeros([count])))[1]

    def evaluate(x_batch, y_batch):
        y_pred = model(x_batch, training=False)
        return model.compute_loss(x=x_batch, y=y_batch, y_pred=y_pred, training=False)

    eval_batch = tf.function(evaluate, jit_compile=jit, autograph=False)

    @tf.function(jit_compile=True, autograph=False)
    def eval_full_batches(x_3d, y_3d):
        # The summed loss of equally sized batches, in one call.
        def body(i, total):
            return i + 1, total + evaluate(x_3d[i], y_3d[i])

        count = tf.shape(x_3d)[0]
        return tf.while_loop(lambda i, _: i < count, body, (tf.constant(0), tf.constant(0.0)))[1]

    def validation_loss(x_val, y_val):
        n_val = len(x_val)
        n_full = n_val // batch_size
        total = 0.0
        if whole_epoch and n_full:
            shape = (n_full, batch_size)
            total += (
                float(
                    eval_full_batches(
                        x_val[: n_full * batch_size].reshape(shape + x_val.shape[1:]),
                        y_val[: n_full * batch_size].reshape(shape + y_val.shape[1:]),
                    )
                )
                * batch_size
            )
            start = n_full * batch_size
        else:
            start = 0
        for begin in range(start, n_val, batch_size):
            xb, yb = x_val[begin : begin + batch_size], y_val[begin : begin + batch_size]
            total += float(eval_batch(xb, yb)) * len(xb)
        return total / n_val

    rng = np.random.default_rng(seed)
    steps = _batches(n, batch_size, steps_per_epoch)
    history: dict[str, list[float]] = {"loss": []}
    if validation_data is not None:
        history["val_loss"] = []
    step_losses: list[np.ndarray] = []
    for epoch in range(epochs):
        perm = rng.permutation(n).astype(np.int32)
        n_full = min(steps, n // batch_size)
        losses: list[float] = []
        if whole_epoch and n_full:
            block = perm[: n_full * batch_size].reshape(n_full, batch_size)
            losses.extend(np.asarray(full_batches(tf.constant(block))).tolist())
        else:
            beat = time.perf_counter()
            for i in range(n_full):
                losses.append(float(one_step(perm[i * batch_size : (i + 1) * batch_size])))
                if heartbeat is not None and time.perf_counter() - beat > 10:
                    beat = time.perf_counter()
                    heartbeat(epoch + 1, epochs, i + 1, steps)
        weights = [batch_size] * n_full
        if steps > n_full:  # the epoch's last, smaller batch
            rest = perm[n_full * batch_size :]
            losses.append(float(one_step(rest)))
            weights.append(len(rest))
        step_losses.append(np.asarray(losses))
        logs = {"loss": float(np.average(losses, weights=weights))}
        if validation_data is not None:
            logs["val_loss"] = validation_loss(*validation_data)
        for name, value in logs.items():
            history[name].append(value)
        if progress is not None:
            progress(epoch + 1, epochs, logs)
    history["step_loss"] = _downsample(np.concatenate(step_losses))
    return history


def _downsample(values: np.ndarray, points: int = 400) -> list[float]:
    """Means of consecutive chunks: a training curve finer than epochs, small enough to keep."""
    if len(values) <= points:
        return values.tolist()
    return [float(chunk.mean()) for chunk in np.array_split(values, points)]


def _fit_with_keras(model, x, y, batch_size, epochs, steps_per_epoch, validation_data, progress):
    """Other backends: Keras' own fit, many steps per compiled call."""
    steps = _batches(len(x), batch_size, steps_per_epoch)
    model.compile(
        optimizer=model.optimizer,
        loss=model.loss,
        jit_compile=True,
        steps_per_execution=max(1, min(steps, 200)),
    )

    class Progress(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if progress is not None:
                progress(epoch + 1, epochs, {k: float(v) for k, v in (logs or {}).items()})

    fit = model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=True,
        verbose=0,
        steps_per_epoch=steps_per_epoch,
        validation_data=validation_data,
        callbacks=[Progress()],
    )
    return {k: [float(v) for v in vs] for k, vs in fit.history.items() if k in ("loss", "val_loss")}
