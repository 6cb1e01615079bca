"""Training a lesson's model: Keras' ``fit``, with the article's weights, a cache and a profile.

A lesson builds and compiles its model as the article does, then calls :func:`fit` where
the article calls ``model.fit``, with the same arguments. :func:`fit` loads the published
weights when the model, its optimizer, loss, data and budget are the article's
(:mod:`ae_gallery.published`); else it loads what an earlier run with the same inputs left
in the cache (:mod:`ae_gallery.cache`); else it trains, seeded, in whichever way is fastest
on this machine (:mod:`ae_gallery.loops`), resumably (:mod:`ae_gallery.resume`), under the
budget of the profile (on a CPU without matching published weights, the ``quick`` one:
:mod:`ae_gallery.budgets`), and says in one line which of these happened.
:func:`train` trains a model that an earlier lesson introduced, by its name.
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from . import cache, design, loops, published, resume
from .budgets import Budget, requested_profile
from .device import device_fields, dtype_policy, gpu_names, resolve_precision
from .i18n import _
from .progress import console, format_seconds, progress
from .recipes import RECIPES, TrainingData, shorter_budget

#: The last run of each name in this process: the site's build exports the lessons' trained
#: decoders from it, as the lessons obtained them.
RUNS: dict[str, TrainingRun] = {}

__all__ = [
    "RUNS",
    "TrainingRun",
    "fit",
    "train",
    "untrained",
]


@dataclass(frozen=True, kw_only=True)
class TrainingRun:
    """What :func:`fit` returns: the trained model and how it came to be.

    Attributes
    ----------
    model : keras.Model
        The model given to :func:`fit`, now holding the trained weights.
    history : dict
        ``{"loss": [...], "val_loss": [...]}``, one value per epoch, as Keras' ``fit``
        gives it, and ``"step_loss"`` (see :func:`ae_gallery.loops.fit_arrays`).
    name : str
        The model's name in the cache and the published weights.
    profile : str
        The profile whose budget it trained under.
    budget : Budget
        That budget; ``asked`` is the one the fit call asked for.
    from_cache, published : bool
        Whether the weights were loaded from the cache, or are the published ones.
    seconds : float
        How long the training took (when loaded: the original training).
    device : dict
        What the training ran on, and in which precision
        (:func:`ae_gallery.device.device_fields`; with ``"keras"`` and ``"backend"`` for
        published weights).
    key : str
        The cache key.
    """

    model: keras.Model
    history: dict[str, list[float]]
    name: str
    profile: str
    budget: Budget
    asked: Budget
    from_cache: bool
    seconds: float
    device: dict
    key: str
    published: bool = False

    def summary(self) -> str:
        """One short line: what was loaded or trained, and its final losses. (How to train
        the models yourself is said once, on the site's "Run the lessons yourself".)"""
        # Python's notation in every language: the line is printed among the lesson's own
        # numbers, which its f-strings write so (0.0477, not 0,0477).
        losses = ", ".join(
            f"{k} {self.history[k][-1]:.4g}" for k in ("loss", "val_loss") if self.history.get(k)
        )
        budget = self.budget.describe()
        if self.budget != self.asked:
            budget = _("{budget}, the {profile} profile's; the fit asks for {asked}").format(
                budget=budget, profile=self.profile, asked=self.asked.describe()
            )
        if self.published:
            sentence = _("{name}: the published weights loaded ({budget}); final {losses}.")
        elif self.from_cache:
            sentence = _("{name}: loaded from the cache ({budget}); final {losses}.")
        else:
            sentence = _("{name}: trained {budget} in {time}; final {losses}.")
        return sentence.format(
            name=self.name, budget=budget, time=format_seconds(self.seconds), losses=losses
        )


def _check_data(name: str, data: TrainingData, model: keras.Model) -> None:
    for label, array in (("x", data.x), ("y", data.y)):
        if not isinstance(array, np.ndarray):
            raise TypeError(
                _("fit({name!r}): {label} must be a numpy array, got {kind}.").format(
                    name=name, label=label, kind=type(array).__name__
                )
            )
    if len(data.x) != len(data.y):
        raise ValueError(
            _("fit({name!r}): x has {x} rows but y has {y}; they must match.").format(
                name=name, x=len(data.x), y=len(data.y)
            )
        )
    try:
        expected = tuple(model.inputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        return  # a model not built yet (a Sequential without an Input) checks its own input
    if tuple(data.x.shape[1:]) != expected:
        raise ValueError(
            _(
                "fit({name!r}): the model takes inputs of shape (N, {shape}) but x has shape {x}."
            ).format(name=name, shape=", ".join(map(str, expected)), x=data.x.shape)
        )


def _fit(
    name: str,
    described: dict[str, Any],
    data: TrainingData,
    budget: Budget,
    seed: int,
    precision: str,
    reporter: loops.Progress,
    resume_point: Path | None,
    key: str,
):
    """Train a fresh model of the design under ``precision``: its weights, history, time.

    With a ``resume_point`` (a path), the training goes on from the state stored there, if
    any, and stores its own there as it goes (:mod:`ae_gallery.resume`).
    """
    with dtype_policy(precision):
        keras.utils.set_random_seed(seed)
        model = design.rebuild(described)
        stored = resume.load(resume_point, key, model) if resume_point else None
        state, seconds_before = stored if stored else (None, 0.0)
        if state is not None and console() is not None:
            resuming = _("resuming {name} at epoch {epoch} of {epochs}").format(
                name=name, epoch=state.epoch + 1, epochs=budget.epochs
            )
            console().write(f"[ae_gallery] {resuming}\n")
        saver = resume.Saver(resume_point, key, model, seconds_before) if resume_point else None
        x, y, validation = data
        started = time.perf_counter()
        try:
            history = loops.fit_arrays(
                model,
                x,
                y,
                budget,
                validation_data=validation,
                seed=seed,
                progress=reporter,
                resume_from=state,
                on_epoch=saver,
            )
        except KeyboardInterrupt:
            if saver is not None:
                saver.flush()  # Ctrl-C: the next run goes on from the last completed epoch
            raise
        seconds = saver.seconds() if saver else time.perf_counter() - started
    return model.get_weights(), history, seconds


def fit(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    shuffle: bool = True,
    steps_per_epoch: int | None = None,
    name: str | None = None,
    seed: int = 0,
    profile: str | None = None,
    precision: str | None = None,
    use_cache: bool = True,
    use_published: bool | None = None,
    verbose: bool = True,
) -> TrainingRun:
    """Keras' ``model.fit(x, y, epochs=..., batch_size=..., shuffle=True)``, through the
    published weights and the cache, under a profile's budget.

    Parameters
    ----------
    model : keras.Model
        A compiled model: its layers, optimizer and loss are what it trains with.
    x, y : ndarray
        Inputs and targets (the same array for an autoencoder).
    epochs, batch_size : int
        The budget asked for, as in ``model.fit``.
    validation_data : (ndarray, ndarray), optional
        Evaluated after each epoch, as in ``model.fit``.
    shuffle : bool
        The rows are shuffled before every epoch, as the article's ``fit`` does; False is
        refused.
    steps_per_epoch : int, optional
        Fewer batches per epoch than the data holds, as in ``model.fit``.
    name : str, optional
        The model's name in the cache and the published weights (default: its own name);
        it also picks the budgets of the shorter profiles (:mod:`ae_gallery.recipes`).
    seed : int
        Seeds the model's initial weights (it is trained afresh from its design) and the
        shuffling.
    profile : str, optional
        ``"full"`` (the budget asked for), ``"quick"`` or ``"smoke"``; by default
        ``AE_GALLERY_PROFILE``, else ``"full"`` with a GPU or matching published weights,
        else ``"quick"`` (:func:`ae_gallery.recipes.shorter_budget`), and a line says so.
    precision : str, optional
        ``"float32"`` or ``"mixed_bfloat16"`` (:func:`resolve_precision`); a model whose
        recipe says it may not train in bfloat16 trains in float32 whatever is asked.
    use_cache, use_published : bool
        Look up and store the trained weights in the cache folder; load the published ones
        when they match (by default yes, unless ``AE_GALLERY_PUBLISHED=off``).
    verbose : bool
        Print why the model trains, when it does, and how it was obtained (progress goes
        to the console either way).

    Returns
    -------
    TrainingRun
        ``run.model`` is ``model``, with the trained weights; ``run.history`` its losses.

    Examples
    --------
    >>> import keras, numpy as np
    >>> inputs = keras.Input((2,))
    >>> model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(1)(inputs)))
    >>> model.compile(keras.optimizers.Adam(0.01), "mse")
    >>> dots = np.random.default_rng(0).normal(size=(90, 2)).astype("float32")
    >>> run = fit(model, dots, dots, epochs=2, batch_size=30, profile="full", verbose=False)
    >>> len(run.history["loss"])
    2
    """
    name = name or model.name
    if not shuffle:
        raise ValueError(
            _(
                "fit({name!r}): the library shuffles the rows before every epoch, as the "
                "article's fit does; train with model.fit(..., shuffle=False) instead."
            ).format(name=name)
        )
    asked = Budget(epochs, batch_size, steps_per_epoch)
    data = TrainingData(x, y, validation_data)
    _check_data(name, data, model)
    described = design.design(model)
    fingerprint = design.fingerprint(described, x, y, validation_data, asked, seed)
    recipe = RECIPES.get(name)
    bfloat16 = recipe is None or recipe.bfloat16
    precision = resolve_precision(precision) if bfloat16 else "float32"
    requested = requested_profile(profile)
    publish_into = published.publishing(name)

    def done(run: TrainingRun) -> TrainingRun:
        RUNS[name] = run
        if verbose:
            print(run.summary())
        return run

    if publish_into is not None and os.environ.get(published.REKEY_ENV_VAR):
        loaded = published.rekey(name, fingerprint, model, publish_into)
        if loaded is not None:
            return done(_published_run(model, name, loaded, asked, fingerprint))
    looked = publish_into is None and requested in (None, "full")
    if looked and published.use_published(use_published):
        loaded = published.find(name, fingerprint, model)
        if loaded is not None:
            return done(_published_run(model, name, loaded, asked, fingerprint))
    else:
        looked = False
    profile = requested or ("full" if gpu_names() else "quick")
    budget = shorter_budget(name, profile, asked)
    if verbose and looked and requested is None and profile == "quick":
        # No difference in the fingerprint: its files failed their check (the warning says).
        reason = published.differences(name, fingerprint) or _(
            "its published files did not pass their check"
        )
        print(
            _(
                "{name}: no published weights match this model ({reason}), so this CPU trains "
                "it under the quick profile."
            ).format(name=name, reason=reason)
        )
    budget_fingerprint = design.fingerprint(described, x, y, validation_data, budget, seed)
    key, key_parts = cache.cache_key(budget_fingerprint, precision)
    device = device_fields(precision)
    run_of = dict(model=model, name=name, profile=profile, budget=budget, asked=asked, key=key)

    def fit_now(resume_point: Path | None = None) -> TrainingRun:
        weights, history, seconds = _fit(
            name,
            described,
            data,
            budget,
            seed,
            precision,
            progress(name, budget, asked, len(x)),
            resume_point,
            key,
        )
        model.set_weights(weights)
        return TrainingRun(
            history=history, from_cache=False, seconds=seconds, device=device, **run_of
        )

    root = None
    if use_cache:
        try:
            root = cache.usable_cache_dir()
        except cache.CacheFolderError as err:
            warnings.warn(f"ae_gallery: {err}", stacklevel=2)
    if root is None:
        run = fit_now()
    else:
        with cache.key_lock(root, key):
            meta = cache.usable_entry(root / key, key, model, name)
            if meta is not None:
                run = TrainingRun(
                    history=meta["history"],
                    from_cache=True,
                    seconds=meta["seconds"],
                    device=meta["device"],
                    **run_of,
                )
            else:
                cache.remove_leftovers(root, key)
                run = fit_now(resume.path_for(root, key))
                cache.store_run(root, key, run, key_parts)
                resume.discard(resume.path_for(root, key))
    if publish_into is not None and budget == asked and not os.environ.get(published.REKEY_ENV_VAR):
        published.publish(run, fingerprint, publish_into)
    return done(run)


def _published_run(
    model: keras.Model, name: str, loaded: dict, asked: Budget, fingerprint: dict
) -> TrainingRun:
    return TrainingRun(
        model=model,
        history=loaded["history"],
        name=name,
        profile="full",
        budget=asked,
        asked=asked,
        from_cache=False,
        published=True,
        seconds=loaded["seconds"],
        device={**loaded["device"], "keras": loaded["keras"], "backend": loaded["backend"]},
        key=fingerprint["sha256"][:24],
    )


def untrained(name: str) -> keras.Model:
    """A fresh model of ``name``, as the lesson that introduced it builds and compiles it.

    Rebuilt from its published design (:func:`ae_gallery.published.design_of`), with new
    weights: a later lesson starts from it to train the same layers otherwise.
    """
    return design.rebuild(published.design_of(name), name=name)


def train(name: str, *, data: TrainingData | None = None, **options: Any) -> TrainingRun:
    """A model that a lesson introduced, trained again by its name, as that lesson trains it.

    The model is rebuilt from its published design (:func:`ae_gallery.published.design_of`:
    the layers, optimizer and loss its lesson wrote), and fit on its recipe's data with the
    budget the lesson asked for, so that at that budget it is the published model, loaded
    in seconds. ``data`` trains it on other data (tests use a few rows); ``options`` go to
    :func:`fit` (``profile``, ``seed``, ``verbose``...).

    Examples
    --------
    >>> run = train("linear_ae")  # doctest: +SKIP
    linear_ae: the published weights loaded (15 epochs of batch 30); final loss ...
    """
    model = untrained(name)
    x, y, validation = RECIPES[name].data() if data is None else data
    budget = published.design_of(name)["budget"]
    return fit(
        model,
        x,
        y,
        epochs=budget["epochs"],
        batch_size=budget["batch_size"],
        validation_data=validation,
        name=name,
        **options,
    )
