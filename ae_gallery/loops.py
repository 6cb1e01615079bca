"""Training loops: the same math as ``model.fit``, in whichever way is fastest here.

:func:`ae_gallery.training.train` calls :func:`fit_arrays`; readers of the gallery never
need this module. A model can be trained in several ways (:data:`WAYS`):

``epoch_loop``
    A whole epoch as one XLA-compiled loop (:mod:`ae_gallery.compiled_loops`): small dense
    models are bound by per-step overhead, which this removes.
``step_xla_routines``, ``step_xla``, ``step``
    One compiled call per step, with XLA and the CPU routines of
    :mod:`ae_gallery.cpu_routines`, with XLA only, or with TensorFlow's own kernels:
    convolutional models are bound by arithmetic, and which kernels are fastest depends on
    the CPU.
``keras_fit``, ``keras_fit_xla``
    Keras' own ``fit``, tuned as a speed-minded user would tune it: a whole epoch per
    compiled call (``steps_per_execution``), without or with ``jit_compile``
    (:mod:`ae_gallery.keras_fit`).
``keras_fit_plain``
    Keras' own ``fit`` as a lesson calls it, with Keras' defaults: one step per call.

Which way is fastest depends on the model and the machine (a whole-epoch loop wins
everywhere for the sine models; the convolution routines win on one CPU and lose on
another), so before a long training :func:`choose_way` times a few steps of each
candidate and keeps the fastest, Keras' own ``fit`` included; a short one takes the
whole-epoch loop if the model has no convolution, else Keras' own ``fit`` as the lesson
calls it, never a way that may be slower than it on some CPU (a tuned ``fit`` is no
exception: nothing measured says it never loses). So on any machine the library
is never slower than ``fit`` (near a tie, within 10 %, it keeps its own loops, whose
shuffling is seeded and whose resume points are exact). On a backend other than
TensorFlow, Keras' ``fit`` is the only way (compiled with XLA on JAX), and so it is where
the installed Keras or TensorFlow is a release the library's own loops, which use Keras
internals, were not checked with (:data:`CHECKED_RELEASES`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import time
from collections.abc import Iterator

import keras
import numpy as np

from . import cpu_routines
from .budgets import Budget
from .compiled_loops import EpochHook, EpochState, Progress, batches_per_epoch, fit_compiled
from .i18n import _
from .keras_fit import fit_with_keras

__all__ = ["WAYS", "EpochState", "Progress", "candidate_ways", "choose_way", "fit_arrays"]

WAYS = (
    "epoch_loop", "step_xla_routines", "step_xla", "step",
    "keras_fit", "keras_fit_xla", "keras_fit_plain",
)  # fmt: skip

#: Below this many steps, a training takes its way without timing any (``_untimed_way``).
TIMING_MIN_STEPS = 100
#: A training that the untimed way finishes in less time keeps it: timing the others
#: would cost more than it could save.
TIMING_MIN_SECONDS = 5.0

#: The way chosen for each model shape and batch size, once per process.
_CHOSEN: dict[str, str] = {}


#: The oldest and newest releases (major, minor) of Keras and TensorFlow with which the
#: library's own loops were checked against ``model.fit`` (tests/test_loops.py, which CI
#: runs at both ends of the ranges that pyproject.toml allows). The loops replace layers'
#: ``convolution_op`` and drive Keras' optimizers and losses from inside compiled loops:
#: Keras internals, which another release may change.
CHECKED_RELEASES = {"keras": ((3, 7), (3, 15)), "tensorflow": ((2, 16), (2, 21))}

_NOTICED: set[str] = set()


def _release(version: str) -> tuple[int, int]:
    """A version's release, major and minor.

    Examples
    --------
    >>> _release("3.15.1"), _release("2.21.0rc1")
    ((3, 15), (2, 21))
    """
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def unchecked_releases() -> list[str]:
    """The installed releases outside :data:`CHECKED_RELEASES` (empty where the own loops run).

    Examples
    --------
    >>> unchecked_releases()  # the releases CI tests
    []
    """
    installed = {"Keras": keras.__version__}
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        installed["TensorFlow"] = tf.__version__
    unchecked = []
    for name, version in installed.items():
        oldest, newest = CHECKED_RELEASES[name.lower()]
        if not oldest <= _release(version) <= newest:
            unchecked.append(f"{name} {version}")
    return unchecked


def _on_cpu() -> bool:
    import tensorflow as tf

    return not tf.config.list_physical_devices("GPU")


def _layers(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _layers(layer)


def candidate_ways(model: keras.Model) -> list[str]:
    """The ways that can train ``model`` here, the usual fastest first.

    Examples
    --------
    >>> from ae_gallery import training
    >>> candidate_ways(training.untrained("deep_ae"))  # doctest: +SKIP
    ['epoch_loop', 'keras_fit', 'keras_fit_xla', 'keras_fit_plain']
    """
    backend = keras.backend.backend()
    if backend != "tensorflow":
        # JAX compiles every step with XLA anyway; elsewhere, Keras' defaults.
        return ["keras_fit_xla" if backend == "jax" else "keras_fit", "keras_fit_plain"]
    unchecked = unchecked_releases()
    if unchecked:
        notice = _(
            "The library's own training loops were not checked with {releases}: Keras' "
            "built-in fit trains instead (the same results, maybe slower)."
        ).format(releases=" and ".join(unchecked))
        if notice not in _NOTICED:  # once per process, not once per model
            _NOTICED.add(notice)
            print(notice)
        return ["keras_fit", "keras_fit_xla", "keras_fit_plain"]
    fits = ["keras_fit", "keras_fit_xla", "keras_fit_plain"]
    if not any(isinstance(layer, keras.layers.Conv2D) for layer in _layers(model)):
        return ["epoch_loop", *fits]
    routines = ["step_xla_routines"] if _on_cpu() and cpu_routines.applies(model) else []
    return [*routines, "step_xla", "step", *fits]


def _untimed_way(candidates: list[str]) -> str:
    """The way of a training too short to time: the whole-epoch loop where the model has no
    convolution (it wins on every CPU seen), else Keras' own ``fit`` with its defaults,
    which is never slower than itself (the convolution routines, and even a tuned ``fit``,
    lose to it on some CPUs)."""
    return "epoch_loop" if "epoch_loop" in candidates else "keras_fit_plain"


def _shape_key(model: keras.Model, batch_size: int) -> str:
    layers = [
        (type(layer).__name__, [tuple(w.shape) for w in layer.weights]) for layer in _layers(model)
    ]
    policy = keras.config.dtype_policy().name
    return json.dumps([layers, batch_size, policy], default=str)


def _fit_way(way: str, model, x, y, budget: Budget, **options) -> dict[str, list[float]]:
    """Train with one of :data:`WAYS`; ``options`` as :func:`fit_arrays` takes them."""
    if way.startswith("keras_fit"):
        return fit_with_keras(model, x, y, budget, way=way, **options)
    whole_epoch, jit = way == "epoch_loop", way != "step"
    if way != "step_xla_routines":
        with _quiet_retracing():
            return fit_compiled(
                model, x, y, budget, whole_epoch=whole_epoch, jit=jit, way=way, **options
            )
    # The routines' twin trains; the model gets its state back after every epoch (what a
    # resume point saves) and at the end.
    fast = cpu_routines.twin(model)
    on_epoch = options.pop("on_epoch", None)

    def copied_back(state: EpochState) -> None:
        cpu_routines.copy_state(fast, model)
        if on_epoch is not None:
            on_epoch(state)

    try:
        with _quiet_retracing():
            return fit_compiled(
                fast,
                x,
                y,
                budget,
                whole_epoch=False,
                jit=True,
                way=way,
                on_epoch=copied_back,
                **options,
            )
    finally:
        cpu_routines.copy_state(fast, model)


@contextlib.contextmanager
def _state_restored(model: keras.Model) -> Iterator[None]:
    """Put the weights and the optimizer's state back as they were, whatever ran."""
    model.optimizer.build(model.trainable_variables)
    state = list(model.variables) + list(model.optimizer.variables)
    saved = [np.array(v) for v in state]
    try:
        yield
    finally:
        for variable, value in zip(state, saved, strict=True):
            variable.assign(value)


def choose_way(
    model: keras.Model, x: np.ndarray, y: np.ndarray, batch_size: int, total_steps: int
) -> str:
    """Time a few steps of the candidate ways (see :data:`WAYS`); return the fastest.

    The way a short training takes is timed first; when at its rate the whole training
    (``total_steps``) takes under :data:`TIMING_MIN_SECONDS`, the others would cost more
    to time than they could save, and it is kept. Otherwise every candidate is timed.
    Each trains two epochs of the same few rows, the first to compile, and the second is
    timed; the weights and the optimizer's state are restored afterwards, so training
    starts from where it would have. The choice is kept for the process, per model shape
    and batch size; the console shows the figures.
    """
    candidates = candidate_ways(model)
    key = _shape_key(model, batch_size)
    if len(candidates) == 1 or key in _CHOSEN:
        return _CHOSEN.get(key, _untimed_way(candidates))
    trial_steps = 3 if "step" in candidates else 50
    rows = min(len(x), trial_steps * batch_size)
    x_part, y_part = x[:rows], (x[:rows] if y is x else y[:rows])
    steps = batches_per_epoch(rows, batch_size, None)
    trial = Budget(epochs=2, batch_size=batch_size)  # the first epoch compiles
    rates = {}
    untimed = _untimed_way(candidates)
    for way in [untimed, *(w for w in candidates if w != untimed)]:
        ends: list[float] = []
        clock = Progress(epoch_end=lambda *_, ends=ends: ends.append(time.perf_counter()))
        with _state_restored(model):
            _fit_way(
                way, model, x_part, y_part, trial, validation_data=None, seed=0, progress=clock
            )
        rates[way] = steps / (ends[1] - ends[0])
        if len(rates) == 1 and total_steps / rates[way] < TIMING_MIN_SECONDS:
            return way
    chosen = _fastest(rates)
    _CHOSEN[key] = chosen
    if sys.__stderr__ is not None:
        figures = ", ".join(f"{way} {rate:.3g}" for way, rate in rates.items())
        sys.__stderr__.write(f"[ae_gallery] steps/s: {figures}; training with {chosen}\n")
    return chosen


#: Keras' fit must beat the compiled loops by this factor to be chosen: their shuffling is
#: seeded and their resume points exact, so near a tie they are the better choice (and a
#: tie does not flip from one build to the next with timing noise).
KERAS_FIT_MARGIN = 1.1
#: The CPU routines must beat every other way by this factor: less would not pay for a
#: second set of layers to keep (on an Intel Xeon with AVX-512 they lose to Keras' fit).
ROUTINES_MARGIN = 1.3


def _fastest(rates: dict[str, float]) -> str:
    """The fastest way; Keras' fit only when clearly faster than the compiled loops, the
    CPU routines only when clearly faster than everything else.

    Examples
    --------
    >>> _fastest({"step": 22.8, "keras_fit": 24.0, "keras_fit_xla": 1.2})
    'step'
    >>> _fastest({"step": 2.3, "keras_fit": 2.9})
    'keras_fit'
    >>> _fastest({"step_xla_routines": 1.76, "step_xla": 1.5, "keras_fit_xla": 0.55})
    'step_xla'
    """
    others = {way: rate for way, rate in rates.items() if way != "step_xla_routines"}
    routines = rates.get("step_xla_routines", 0.0)
    if not others or routines > ROUTINES_MARGIN * max(others.values()):
        return "step_xla_routines"
    compiled = {way: rate for way, rate in others.items() if not way.startswith("keras_fit")}
    best = max(others, key=others.get)
    if not compiled or not best.startswith("keras_fit"):
        return best
    best_compiled = max(compiled, key=compiled.get)
    return best if others[best] > KERAS_FIT_MARGIN * others[best_compiled] else best_compiled


def fit_arrays(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    budget: Budget,
    *,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    way: str | None = None,
    resume_from: EpochState | None = None,
    on_epoch: EpochHook | None = None,
) -> dict[str, list[float]]:
    """Train a compiled model on arrays; return its history like ``model.fit`` does.

    Parameters
    ----------
    model : keras.Model
        A model compiled with an optimizer and a loss.
    x, y : ndarray
        Inputs and targets (the same array for an autoencoder).
    budget : Budget
        Epochs and batch size as in ``model.fit`` (the last batch of an epoch is smaller
        when the batch size does not divide the number of rows), and optionally a number of
        batches per epoch (each epoch still draws a new permutation of all rows).
    validation_data : (ndarray, ndarray), optional
        Evaluated after each epoch, in batches of the budget's size.
    seed : int
        Seed of the shuffling.
    progress : Progress, optional
        Called after each epoch, and every ten seconds or so inside a long one.
    way : str, optional
        One of :data:`WAYS`; by default :func:`choose_way` times the candidates before a
        training of at least :data:`TIMING_MIN_STEPS` steps; a shorter one takes the
        whole-epoch loop, or Keras' own ``fit`` for a convolutional model.
    resume_from : EpochState, optional
        Go on from a training stopped after ``resume_from.epoch`` epochs (the model and its
        optimizer already hold that state), the same way.
    on_epoch : callable, optional
        Called after each epoch with the training's :class:`EpochState` (to write a resume
        point).

    Returns
    -------
    dict
        ``{"loss": [...], "val_loss": [...]}``, one value per epoch, and ``"step_loss"``:
        the loss of each step (means of consecutive steps when there are more than 400),
        evenly spaced over the whole training.

    Examples
    --------
    >>> import numpy as np, keras
    >>> from ae_gallery.budgets import Budget
    >>> inputs = keras.Input((2,))
    >>> model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(1)(inputs)))
    >>> model.compile(keras.optimizers.Adam(0.01), "mse")
    >>> x = np.random.rand(100, 2).astype("float32")
    >>> history = fit_arrays(model, x, x, Budget(epochs=2, batch_size=30))
    >>> len(history["loss"])
    2
    """
    if len(x) != len(y):
        raise ValueError(
            _("x and y must have the same number of rows; got {x} and {y}.").format(
                x=len(x), y=len(y)
            )
        )
    candidates = candidate_ways(model)
    if resume_from is not None:
        way = resume_from.way
    if way is None:
        per_epoch = batches_per_epoch(len(x), budget.batch_size, budget.steps_per_epoch)
        steps = per_epoch * budget.epochs
        long = steps >= TIMING_MIN_STEPS
        way = (
            choose_way(model, x, y, budget.batch_size, steps) if long else _untimed_way(candidates)
        )
    elif way not in candidates:
        raise ValueError(
            _(
                "fit_arrays: the way {way!r} cannot train this model here; candidates: {ways}."
            ).format(way=way, ways=", ".join(candidates))
        )
    progress = Progress() if progress is None else progress
    options = {"validation_data": validation_data, "seed": seed, "progress": progress}
    resume = {"resume_from": resume_from, "on_epoch": on_epoch}
    return _fit_way(way, model, x, y, budget, **options, **resume)


class _RetracingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def _quiet_retracing() -> Iterator[None]:
    """Hide TensorFlow's retracing warning while a fit runs.

    Every fit compiles functions of its own model and data, so a page that trains several
    models makes TensorFlow warn that functions are "retraced": here that is the design,
    not a mistake, and the warning would only alarm a reader.
    """
    logger = logging.getLogger("tensorflow")
    quiet = _RetracingFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)
