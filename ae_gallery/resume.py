"""Resume points: a training's state after its last completed epoch, so that an interrupted
training (Ctrl-C, a killed process, a machine that goes away) goes on where it stopped.

A resume point is one file beside the cache's entries, ``<cache>/<key>.resume.npz``: the
model's weights, the optimizer's state (its step count and moments), the random stream that
draws each epoch's permutation, the history so far, and the way the training runs
(:data:`ae_gallery.loops.WAYS`). It is written to a temporary file and renamed over the
previous one, so it is whole or absent; one that cannot be read, or was written for another
key or model, is reported and ignored. :func:`ae_gallery.training.train` writes one every
:data:`EVERY_SECONDS` and deletes it once the trained model is in the cache.

With the same seed on a CPU, a resumed training ends with the weights of an uninterrupted
one: the compiled loops restore their random stream, and so does Keras' own ``fit`` on
JAX, where it shuffles with NumPy's global stream. On TensorFlow, Keras' ``fit`` (the
``keras_fit`` ways of :mod:`ae_gallery.loops`) shuffles with TensorFlow's stream, which
cannot be restored: it resumes from the same weights and optimizer state, with other
batches.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import warnings
from pathlib import Path

import keras
import numpy as np

from .compiled_loops import EpochState
from .i18n import _

__all__ = ["EVERY_SECONDS", "Saver", "discard", "load", "path_for"]

#: How often a training writes its resume point (after the epoch that passes it).
EVERY_SECONDS = 30.0


def path_for(root: Path, key: str) -> Path:
    """Where the resume point of the training ``key`` lives."""
    return root / f"{key}.resume.npz"


def _state_variables(model: keras.Model) -> list:
    model.optimizer.build(model.trainable_variables)
    return list(model.variables) + list(model.optimizer.variables)


def save(path: Path, key: str, model: keras.Model, state: EpochState, seconds: float) -> None:
    """Write the resume point after ``state.epoch`` completed epochs, whole or not at all.

    ``seconds`` is how long the training has taken so far, all sittings together.
    """
    arrays = {f"v{i}": np.asarray(v) for i, v in enumerate(_state_variables(model))}
    meta = {
        "key": key,
        "seconds": seconds,
        "epoch": state.epoch,
        "history": state.history,
        "rng_state": state.rng_state,
        "way": state.way,
    }
    handle, tmp = tempfile.mkstemp(prefix=f".tmp-{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(
                out,
                meta=np.array(json.dumps(meta)),
                step_losses=np.asarray(state.step_losses, dtype=np.float32),
                **arrays,
            )
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def load(path: Path, key: str, model: keras.Model) -> tuple[EpochState, float] | None:
    """The state of a usable resume point, loaded into ``model`` and its optimizer.

    Returns the state and the seconds the training had taken, or None when there is no
    resume point; a damaged one, or one written for another key or model, is reported
    with a warning, deleted and ignored.
    """
    if not path.exists():
        return None
    variables = _state_variables(model)
    try:
        with np.load(path) as stored:
            meta = json.loads(str(stored["meta"]))
            if meta.get("key") != key:
                raise ValueError(
                    _("it belongs to another key ({key!r})").format(key=meta.get("key"))
                )
            values = [stored[f"v{i}"] for i in range(len(variables))]
            if len(stored.files) != len(variables) + 2:
                raise ValueError(_("it holds another model's variables"))
            step_losses = stored["step_losses"].astype(np.float64).tolist()
        for variable, value in zip(variables, values, strict=True):
            if tuple(variable.shape) != value.shape:
                raise ValueError(
                    _("it holds another model's variables ({path})").format(path=variable.path)
                )
    except Exception as err:  # noqa: BLE001 - anything unreadable means: start again
        warnings.warn(
            _(
                "ae_gallery: the resume point {path} is unusable ({err}); it is deleted and "
                "the training starts from the beginning."
            ).format(path=path, err=err),
            stacklevel=3,
        )
        discard(path)
        return None
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value)
    state = EpochState(
        epoch=meta["epoch"],
        history=meta["history"],
        step_losses=step_losses,
        rng_state=meta["rng_state"],
        way=meta["way"],
    )
    return state, float(meta["seconds"])


def discard(path: Path) -> None:
    """Delete a resume point (once its training is in the cache, or when it is unusable)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class Saver:
    """Writes a training's resume point after an epoch, at most every :data:`EVERY_SECONDS`.

    ``seconds_before`` is the time earlier sittings took; :meth:`flush` writes the last
    state at once (when the training is interrupted).
    """

    def __init__(self, path: Path, key: str, model: keras.Model, seconds_before: float = 0.0):
        self.path: Path | None = path
        self.key, self.model = key, model
        self.started = self.last = time.perf_counter()
        self.seconds_before = seconds_before
        self.latest: EpochState | None = None

    def seconds(self) -> float:
        """How long the training has taken, all sittings together."""
        return self.seconds_before + time.perf_counter() - self.started

    def __call__(self, state: EpochState) -> None:
        self.latest = state
        if time.perf_counter() - self.last >= EVERY_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.latest is None or self.path is None:
            return
        try:
            save(self.path, self.key, self.model, self.latest, self.seconds())
        except OSError as err:
            warnings.warn(
                _(
                    "ae_gallery: no resume point can be written to {parent} ({error}); the "
                    "training goes on without one."
                ).format(parent=self.path.parent, error=err.strerror or err),
                stacklevel=2,
            )
            self.path = None  # once is enough
        self.last = time.perf_counter()
