"""Keras' own ``fit``, tuned as a speed-minded user would tune it, as one of the ways to train.

:mod:`ae_gallery.loops` chooses it where it is fastest, and on every backend but
TensorFlow. It runs a whole epoch (at most 1,000 steps) per compiled call
(``steps_per_execution``), with or without ``jit_compile``, and reports the losses, the
epochs and the resume points as the library's own loops do.
"""

from __future__ import annotations

import keras
import numpy as np

from .budgets import Budget
from .compiled_loops import EpochHook, EpochState, Progress, batches_per_epoch, downsample

__all__ = ["fit_with_keras"]


class _Losses(keras.callbacks.Callback):
    """Per-call losses from Keras' running means, the epochs' progress and states."""

    def __init__(self, epochs: int, progress: Progress, on_epoch, way, resume_from):
        super().__init__()
        self.epochs, self.progress, self.on_epoch, self.way = epochs, progress, on_epoch, way
        self.history = {k: list(v) for k, v in resume_from.history.items()} if resume_from else {}
        self.chunks: list[float] = list(resume_from.step_losses) if resume_from else []
        self._seen = (0, 0.0)

    def on_epoch_begin(self, epoch, logs=None):
        self._seen = (0, 0.0)
        # Every call of fit draws one permutation before its first epoch, besides each
        # epoch's own: a resumed fit, restored to the state from before the last completed
        # epoch's draw, repeats that draw up front, and its next epoch draws what an
        # uninterrupted fit's would.
        self._rng_state = _fit_rng_state()

    def on_train_batch_end(self, batch, logs=None):
        # Keras reports the epoch's running mean after ``batch + 1`` batches: the mean of
        # the batches since the last report follows from two running means.
        count, mean = batch + 1, float((logs or {}).get("loss", np.nan))
        before, before_mean = self._seen
        if count > before:
            self.chunks.append((count * mean - before * before_mean) / (count - before))
        self._seen = (count, mean)

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: float(v) for k, v in (logs or {}).items() if k in ("loss", "val_loss")}
        for name, value in logs.items():
            self.history.setdefault(name, []).append(value)
        if self.on_epoch is not None:
            state = EpochState(epoch + 1, self.history, self.chunks, self._rng_state, self.way)
            self.on_epoch(state)
        if self.progress.epoch_end is not None:
            self.progress.epoch_end(epoch + 1, self.epochs, logs)


def _fit_rng_state() -> dict | None:
    """The state of the stream Keras' fit shuffles with, where it can be restored (JSON)."""
    if keras.backend.backend() == "tensorflow":
        return None
    # Keras draws its permutations from NumPy's legacy global stream, so this one it is.
    name, keys, position, has_gauss, gauss = np.random.get_state()  # noqa: NPY002
    return {"numpy_global": [name, keys.tolist(), int(position), int(has_gauss), float(gauss)]}


def fit_with_keras(
    model,
    x,
    y,
    budget: Budget,
    *,
    way: str,
    validation_data,
    seed: int,
    progress: Progress,
    resume_from: EpochState | None = None,
    on_epoch: EpochHook | None = None,
):
    """Keras' own ``fit``: a whole epoch (at most 1,000 steps) per compiled call, or with
    Keras' defaults (``way="keras_fit_plain"``).

    Keras shuffles with its own random stream, seeded by :func:`keras.utils.set_random_seed`
    (``seed`` is the compiled loops' own). On JAX (any backend but TensorFlow) that stream is
    NumPy's global one, which a resume point keeps and a resumed training restores, so it
    draws the batches of an uninterrupted one; TensorFlow's (``tf.random.shuffle``) cannot
    be restored.
    """
    if resume_from is not None and resume_from.rng_state is not None:
        name, keys, position, has_gauss, gauss = resume_from.rng_state["numpy_global"]
        np.random.set_state((name, np.asarray(keys, np.uint32), position, has_gauss, gauss))  # noqa: NPY002
    steps = batches_per_epoch(len(x), budget.batch_size, budget.steps_per_epoch)
    # keras_fit_plain: Keras' defaults, as a lesson's fit call has them.
    tuned = {"jit_compile": way == "keras_fit_xla", "steps_per_execution": min(steps, 1000)}
    model.compile(model.optimizer, model.loss, **({} if way == "keras_fit_plain" else tuned))
    losses = _Losses(budget.epochs, progress, on_epoch, way, resume_from)
    model.fit(
        x,
        y,
        batch_size=budget.batch_size,
        epochs=budget.epochs,
        initial_epoch=resume_from.epoch if resume_from else 0,
        shuffle=True,
        verbose=0,
        steps_per_epoch=budget.steps_per_epoch,
        validation_data=validation_data,
        callbacks=[losses],
    )
    return {**losses.history, "step_loss": downsample(np.asarray(losses.chunks))}
