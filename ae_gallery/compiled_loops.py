"""Compiled training loops on TensorFlow: the same math as ``model.fit``, less overhead.

The data stays in one tensor on the device; each epoch draws a fresh random permutation
and cuts it into batches of the given size, the last one smaller when the sizes do not
divide, as ``model.fit(..., shuffle=True)`` does (with its own random stream). Each step
computes the model's compiled loss plus its regularisation losses, its gradients, and one
optimizer update. The reported loss of an epoch is the sample-weighted mean of its batch
losses, as Keras reports it.

Two shapes of loop: a whole epoch as one XLA-compiled ``while`` loop (small dense models
are bound by per-step overhead), or one compiled call per step, with or without XLA
(convolutional models are bound by arithmetic, and XLA compiles convolutions inside a loop
badly on the CPU). :mod:`ae_gallery.loops` chooses.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .budgets import Budget


class Progress(NamedTuple):
    """What a training reports while it runs; either callback may be None.

    ``epoch_end(epoch, epochs, logs)`` after each epoch; ``heartbeat(epoch, epochs, step,
    steps)`` every ten seconds or so inside a long epoch.
    """

    epoch_end: Callable[[int, int, dict[str, float]], None] | None = None
    heartbeat: Callable[[int, int, int, int], None] | None = None


class EpochState(NamedTuple):
    """Where a training stands after ``epoch`` completed epochs (what a resume point keeps).

    ``history`` holds the per-epoch losses so far, ``step_losses`` every step's loss so far
    (or, for Keras' ``fit``, the mean of each compiled call's steps), ``rng_state`` the
    state of the random stream that draws the epochs' permutations (for Keras' ``fit``,
    NumPy's global stream on JAX, None on TensorFlow), and ``way`` how the training runs.
    """

    epoch: int
    history: dict[str, list[float]]
    step_losses: list[float]
    rng_state: dict | None
    way: str


#: Called after each epoch with the training's :class:`EpochState`.
EpochHook = Callable[[EpochState], None]


def batches_per_epoch(n: int, batch_size: int, steps: int | None) -> int:
    """Batches in an epoch of ``n`` rows, at most ``steps`` when given."""
    full = math.ceil(n / batch_size)
    return full if steps is None else min(steps, full)


def make_step(model, x_all, y_all):
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


def fit_compiled(
    model,
    x: np.ndarray,
    y: np.ndarray,
    budget: Budget,
    *,
    validation_data: tuple[np.ndarray, np.ndarray] | None,
    seed: int,
    progress: Progress,
    whole_epoch: bool,
    jit: bool,
    way: str,
    resume_from: EpochState | None = None,
    on_epoch: EpochHook | None = None,
) -> dict[str, list[float]]:
    """Train a compiled model; arguments and result as :func:`ae_gallery.loops.fit_arrays`.

    ``whole_epoch`` runs each epoch's full batches as one XLA loop; otherwise each step is
    one call, compiled with XLA when ``jit``. ``way`` names the combination, for the
    :class:`EpochState` given to ``on_epoch``; ``resume_from`` goes on from one.
    """
    batch_size, epochs = budget.batch_size, budget.epochs
    import tensorflow as tf

    model.optimizer.build(model.trainable_variables)
    x_all = tf.constant(x)
    y_all = x_all if y is x else tf.constant(y)
    n = len(x)
    step = make_step(model, x_all, y_all)
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
    steps = batches_per_epoch(n, batch_size, budget.steps_per_epoch)
    history: dict[str, list[float]] = {"loss": []}
    if validation_data is not None:
        history["val_loss"] = []
    step_losses: list[np.ndarray] = []
    first = 0
    if resume_from is not None:
        rng.bit_generator.state = resume_from.rng_state
        history = {k: list(v) for k, v in resume_from.history.items()}
        step_losses.append(np.asarray(resume_from.step_losses))
        first = resume_from.epoch
    for epoch in range(first, epochs):
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
                if progress.heartbeat is not None and time.perf_counter() - beat > 10:
                    beat = time.perf_counter()
                    progress.heartbeat(epoch + 1, epochs, i + 1, steps)
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
        if on_epoch is not None:
            so_far = np.concatenate(step_losses).tolist()
            on_epoch(EpochState(epoch + 1, history, so_far, rng.bit_generator.state, way))
        if progress.epoch_end is not None:
            progress.epoch_end(epoch + 1, epochs, logs)
    history["step_loss"] = downsample(np.concatenate(step_losses))
    return history


def downsample(values: np.ndarray, points: int = 400) -> list[float]:
    """Means of consecutive chunks: a training curve finer than epochs, small enough to keep."""
    if len(values) <= points:
        return values.tolist()
    return [float(chunk.mean()) for chunk in np.array_split(values, points)]
