"""Training a recipe: seeded, under a profile's budget, through the weights cache.

:func:`train` takes a :class:`~ae_gallery.recipes.Recipe`, seeds everything, builds and
compiles the model, and trains it with :mod:`ae_gallery.loops` under the budget of the
profile (:mod:`ae_gallery.budgets`), or loads the weights that an earlier run with the same
inputs stored in the cache (:mod:`ae_gallery.cache`), or, at the article's budget, the
weights the project published (:mod:`ae_gallery.published`).
"""

from __future__ import annotations

import contextlib
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from . import cache, loops, messages, published, resume
from ._checks import setting
from .budgets import Budget, requested_profile
from .device import backend_version, describe_device, gpu_names, native_bfloat16
from .recipes import Recipe, TrainingData

__all__ = ["PRECISION_ENV_VAR", "TrainingRun", "format_seconds", "resolve_precision", "train"]

PRECISION_ENV_VAR = "AE_GALLERY_PRECISION"
PRECISIONS = ("float32", "mixed_bfloat16")


def resolve_precision(precision: str | None = None) -> str:
    """The precision to train in: ``"float32"`` or ``"mixed_bfloat16"``.

    The argument wins, then ``AE_GALLERY_PRECISION``; otherwise mixed bfloat16 (float32
    weights, bfloat16 arithmetic) where the device computes bfloat16 in hardware, and
    float32 where it would be emulated (slower).

    Examples
    --------
    >>> resolve_precision("float32")
    'float32'
    """
    return setting(precision, PRECISION_ENV_VAR, PRECISIONS, "precision", _hardware_precision)


def _hardware_precision() -> str:
    return "mixed_bfloat16" if native_bfloat16() else "float32"


def format_seconds(seconds: float) -> str:
    """A duration as the pages print it: ``"6.7 s"``, ``"7 min 56 s"``, ``"2 h 41 min"``."""
    if seconds < 60:
        return messages.SECONDS.format(seconds=f"{seconds:.1f}")
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return messages.MINUTES.format(minutes=minutes, seconds=f"{secs:02d}")
    hours, minutes = divmod(minutes, 60)
    return messages.HOURS.format(hours=hours, minutes=f"{minutes:02d}")


@dataclass(frozen=True, kw_only=True)
class TrainingRun:
    """What :func:`train` returns: the trained model and how it came to be.

    Attributes
    ----------
    model
        What the recipe's ``build`` returned (a model, or the encoder/decoder/autoencoder
        parts), with trained weights.
    history : dict
        ``{"loss": [...], "val_loss": [...]}``, one value per epoch, and ``"step_loss"``
        (see :func:`ae_gallery.loops.fit_arrays`).
    recipe : Recipe
        What was trained.
    profile : str
        The profile whose budget it trained under.
    budget : Budget
        That budget.
    from_cache : bool
        True when the weights were loaded from the cache instead of trained now.
    published : bool
        True when the weights are the project's published ones (:mod:`ae_gallery.published`).
    seconds : float
        How long the training took (when loaded: the original training).
    device : str
        What the training ran on, and in which precision when not float32.
    key : str
        The cache key.
    """

    model: Any
    history: dict[str, list[float]]
    recipe: Recipe
    profile: str
    budget: Budget
    from_cache: bool
    seconds: float
    device: str
    key: str
    published: bool = False

    def summary(self) -> str:
        """One line: how the model was trained, how long it took, and its final losses."""
        losses = ", ".join(
            f"{k} {self.history[k][-1]:.4g}" for k in ("loss", "val_loss") if self.history.get(k)
        )
        if self.published:
            sentence = messages.PUBLISHED
        elif self.from_cache:
            sentence = messages.LOADED
        else:
            sentence = messages.TRAINED
        return sentence.format(
            how=published.TRAIN_YOURSELF,
            name=self.recipe.name,
            budget=self.budget.describe(),
            time=format_seconds(self.seconds),
            device=self.device,
            profile=self.profile,
            losses=losses,
        )


def _console_progress(name: str) -> loops.Progress:
    """Report epochs (and steps of long epochs) on the process' own stderr.

    ``sys.__stderr__`` is the console even when sphinx-gallery or Jupyter captures
    ``sys.stdout`` and ``sys.stderr``, so a page shows only what :func:`train` prints.
    """
    console = sys.__stderr__
    started = last = time.perf_counter()

    def write(text: str) -> None:
        if console is not None:
            elapsed = format_seconds(time.perf_counter() - started)
            console.write(f"[ae_gallery] {name}: {text}, {elapsed}\n")
            console.flush()

    def progress(epoch: int, epochs: int, logs: dict[str, float]) -> None:
        nonlocal last
        if time.perf_counter() - last < 5 and epoch not in (1, epochs):
            return
        last = time.perf_counter()
        write(f"epoch {epoch}/{epochs}, " + ", ".join(f"{k} {v:.4g}" for k, v in logs.items()))

    def heartbeat(epoch: int, epochs: int, step: int, steps: int) -> None:
        write(f"epoch {epoch}/{epochs}, step {step}/{steps}")

    return loops.Progress(epoch_end=progress, heartbeat=heartbeat)


@contextlib.contextmanager
def _dtype_policy(precision: str) -> Iterator[None]:
    previous = keras.config.dtype_policy().name
    keras.config.set_dtype_policy(precision)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def _trainable_model(built: Any) -> keras.Model:
    if isinstance(built, keras.Model):
        return built
    autoencoder = getattr(built, "autoencoder", None)
    if isinstance(autoencoder, keras.Model):
        return autoencoder
    raise TypeError(
        f"build() must return a keras.Model or parts with an .autoencoder model; it returned "
        f"{type(built).__name__}."
    )


def _check_data(name: str, data: TrainingData, model: keras.Model) -> None:
    for label, array in (("x", data.x), ("y", data.y)):
        if not isinstance(array, np.ndarray):
            raise TypeError(
                f"train({name!r}): {label} must be a numpy array, got {type(array).__name__}."
            )
    if len(data.x) != len(data.y):
        raise ValueError(
            f"train({name!r}): x has {len(data.x)} rows but y has {len(data.y)}; they must match."
        )
    expected = tuple(model.input.shape[1:])
    if tuple(data.x.shape[1:]) != expected:
        raise ValueError(
            f"train({name!r}): the model takes inputs of shape (N, "
            f"{', '.join(map(str, expected))}) but x has shape {data.x.shape}."
        )


def _fit(
    recipe: Recipe,
    data: TrainingData,
    budget: Budget,
    seed: int,
    precision: str,
    resume_point: Path | None,
    key: str,
):
    """Train a fresh model under ``precision``; return its weights, history and time.

    With a ``resume_point`` (a path), the training goes on from the state stored there, if
    any, and stores its own there as it goes (:mod:`ae_gallery.resume`).
    """
    with _dtype_policy(precision):
        keras.utils.set_random_seed(seed)
        model = _trainable_model(recipe.build())
        model.compile(optimizer=recipe.make_optimizer(), loss=recipe.loss)
        stored = resume.load(resume_point, key, model) if resume_point else None
        state, seconds_before = stored if stored else (None, 0.0)
        if state is not None and sys.__stderr__ is not None:
            sys.__stderr__.write(
                f"[ae_gallery] resuming {recipe.name} at epoch {state.epoch + 1} of "
                f"{budget.epochs}\n"
            )
        saver = resume.Saver(resume_point, key, model, seconds_before) if resume_point else None
        x, y, validation = data
        options = {"validation_data": validation, "seed": seed, "resume_from": state}
        console = _console_progress(recipe.name)
        started = time.perf_counter()
        try:
            history = loops.fit_arrays(
                model, x, y, budget, progress=console, on_epoch=saver, **options
            )
        except KeyboardInterrupt:
            if saver is not None:
                saver.flush()  # Ctrl-C: the next run goes on from the last completed epoch
            raise
        seconds = saver.seconds() if saver else time.perf_counter() - started
    return model.get_weights(), history, seconds


def train(
    recipe: Recipe,
    *,
    data: TrainingData | None = None,
    seed: int = 0,
    profile: str | None = None,
    precision: str | None = None,
    use_cache: bool = True,
    use_published: bool | None = None,
    verbose: bool = True,
) -> TrainingRun:
    """Train a recipe's model under a profile's budget, through the weights cache.

    Parameters
    ----------
    recipe : Recipe
        What to train (:mod:`ae_gallery.recipes`).
    data : TrainingData, optional
        Other data than the recipe's (tests train on a few rows).
    seed : int
        Seeds Python, NumPy and Keras before the model is built, and the shuffling.
    profile : str, optional
        ``"full"``, ``"quick"`` or ``"smoke"``; see :func:`~ae_gallery.budgets.resolve_profile`.
        Neither given nor set in ``AE_GALLERY_PROFILE``: ``"full"`` with a GPU, and on a
        CPU ``"full"`` when the published weights match the recipe (they are loaded, in
        seconds), else ``"quick"`` (and a line says so).
    precision : str, optional
        ``"float32"`` or ``"mixed_bfloat16"``; see :func:`resolve_precision`. A recipe
        that may not train in bfloat16 (``recipe.bfloat16``) trains in float32 whatever
        is asked. The model returned computes in float32 either way.
    use_cache : bool
        Look up and store the trained weights in the cache folder.
    use_published : bool, optional
        Under the ``full`` profile, load the published weights when they match the recipe,
        budget and seed (:func:`ae_gallery.published.find`) instead of training. By
        default yes, unless ``AE_GALLERY_PUBLISHED=off``.
    verbose : bool
        Print the recipe, its budget and how the model was obtained (progress goes to the
        console's stderr either way).

    Returns
    -------
    TrainingRun
        The trained model (``run.model``), its history, and how it was obtained.

    Examples
    --------
    >>> from ae_gallery import recipes
    >>> run = train(recipes.LINEAR_AE)  # doctest: +SKIP
    linear_ae: Adam with learning rate 0.01, loss mse, on the noisy sine curve's 1,000 points.
    Profile quick: 15 epochs of batch 30, the article's budget.
    linear_ae: trained 15 epochs of batch 30 in 0.9 s on CPU (...); profile quick; ...
    """
    requested = requested_profile(profile)
    precision = resolve_precision(precision) if recipe.bfloat16 else "float32"
    data = recipe.data() if data is None else data
    keras.utils.set_random_seed(seed)
    built = recipe.build()
    model = _trainable_model(built)
    _check_data(recipe.name, data, model)
    optimizer = recipe.make_optimizer()

    # The article's budget from published weights: asked for, or a CPU's default.
    loaded = None
    if requested in (None, "full") and published.use_published(use_published):
        fingerprint = published.recipe_fingerprint(
            model, optimizer, recipe.loss, data, recipe.budgets["full"], seed
        )
        loaded = published.find(recipe.name, fingerprint, model)
    if requested is not None:
        profile = requested
    elif loaded is not None or gpu_names():
        profile = "full"
    else:
        profile = "quick"
    budget = recipe.budgets[profile]
    if verbose:
        print(recipe.describe())
        print(recipe.budget_note(profile))
        if requested is None and recipe.budgets[profile] != recipe.budgets["full"]:
            print(messages.NOT_PUBLISHED.format(name=recipe.name))
    key, key_parts = cache.cache_key(
        model, optimizer, recipe.loss, data, budget, seed=seed, precision=precision
    )
    if loaded is not None:
        run = TrainingRun(
            model=built,
            history=loaded["history"],
            recipe=recipe,
            profile=profile,
            budget=budget,
            from_cache=False,
            published=True,
            seconds=loaded["seconds"],
            device=messages.PUBLISHED_DEVICE.format(
                device=loaded["device"], keras=loaded["keras"], backend=loaded["backend"]
            ),
            key=key,
        )
        if verbose:
            print(run.summary())
        return run
    device = describe_device()
    if precision != "float32":
        device = messages.MIXED_PRECISION.format(device=device)

    def run_of(history: dict, seconds: float, device: str, from_cache: bool) -> TrainingRun:
        return TrainingRun(
            model=built,
            history=history,
            recipe=recipe,
            profile=profile,
            budget=budget,
            from_cache=from_cache,
            seconds=seconds,
            device=device,
            key=key,
        )

    def fit_now(resume_point: Path | None = None) -> TrainingRun:
        weights, history, seconds = _fit(recipe, data, budget, seed, precision, resume_point, key)
        model.set_weights(weights)
        return run_of(history, seconds, device, from_cache=False)

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
            meta = _cached_meta(root / key, key, model, recipe.name)
            if meta is not None:
                run = run_of(meta["history"], meta["seconds"], meta["device"], from_cache=True)
            else:
                cache.remove_leftovers(root, key)
                run = fit_now(resume.path_for(root, key))
                try:
                    cache.write_entry(
                        root,
                        key,
                        model,
                        {
                            "name": recipe.name,
                            "profile": profile,
                            "history": run.history,
                            "seconds": run.seconds,
                            "device": run.device,
                            "keras": keras.__version__,
                            "backend": backend_version(),
                            "created": time.strftime("%Y-%m-%d %H:%M:%S"),
                            "inputs": {k: v for k, v in key_parts.items() if k != "architecture"},
                        },
                    )
                except cache.CacheFolderError as err:
                    warnings.warn(f"ae_gallery: {err}", stacklevel=2)
                resume.discard(resume.path_for(root, key))
    if verbose:
        print(run.summary())
    return run


def _cached_meta(entry, key: str, model: keras.Model, name: str) -> dict | None:
    """The metadata of a usable entry (its weights loaded into ``model``), else None."""
    if not entry.exists():
        return None
    try:
        return cache.read_entry(entry, key, model)
    except cache.CacheEntryError as err:
        warnings.warn(
            f"ae_gallery: the cache entry {entry} for {name} is unusable: {err}. "
            f"It is discarded and the model retrained.",
            stacklevel=3,
        )
        cache.discard(entry)
        return None
