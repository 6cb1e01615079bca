"""Training with budgets, seeds and a cache of trained weights.

The article's training budgets take hours on a laptop CPU, so every model is trained under a
*profile*:

``full``
    The article's epochs and batch sizes, exactly. The default when Keras sees a GPU.
``quick``
    A CPU budget under which every figure still shows what the article shows. The default
    without a GPU.
``smoke``
    Seconds per model, for tests and CI.

Choose one with the ``profile`` argument or the environment variable ``AE_GALLERY_PROFILE``.
:data:`BUDGETS` holds each model's budgets.

:func:`train` seeds everything, compiles, trains (with :mod:`ae_gallery.loops`) and keeps the
trained weights and history in a cache, keyed by everything that decides the result: a
second run with the same inputs loads them instead of training.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np

from . import loops

__all__ = [
    "BUDGETS",
    "CACHE_ENV_VAR",
    "PROFILES",
    "PROFILE_ENV_VAR",
    "Budget",
    "TrainingRun",
    "budget_for",
    "budget_note",
    "cache_dir",
    "describe_device",
    "resolve_profile",
    "train",
]

PROFILE_ENV_VAR = "AE_GALLERY_PROFILE"
CACHE_ENV_VAR = "AE_GALLERY_CACHE"
PROFILES = ("full", "quick", "smoke")

#: Bumped whenever :mod:`ae_gallery.loops` changes what training computes, so that weights
#: trained by an older loop are not taken for new ones.
TRAINING_LOOP_VERSION = 2


@dataclass(frozen=True)
class Budget:
    """How long to train: epochs, batch size, and optionally fewer batches per epoch.

    ``steps_per_epoch=None`` goes through the whole training set each epoch.
    """

    epochs: int
    batch_size: int
    steps_per_epoch: int | None = None

    def describe(self) -> str:
        """In words: ``"50 epochs of batch 256"``, ``"1 epoch of batch 64, 60 batches each"``."""
        epochs = f"{self.epochs} epoch{'' if self.epochs == 1 else 's'}"
        steps = "" if self.steps_per_epoch is None else f", {self.steps_per_epoch} batches each"
        return f"{epochs} of batch {self.batch_size}{steps}"


#: Each model's budget in each profile. ``full`` is the article's; the reasons for each
#: ``quick`` budget are in the docs' page for maintainers (``docs/maintainers.rst``).
BUDGETS: dict[str, dict[str, Budget]] = {
    "linear_ae": {
        "full": Budget(15, 30),
        "quick": Budget(15, 30),
        "smoke": Budget(15, 30),
    },
    "deep_ae": {
        "full": Budget(200, 30),
        "quick": Budget(200, 30),
        "smoke": Budget(60, 30),
    },
    "overfit_ae": {
        "full": Budget(200, 15),
        "quick": Budget(200, 15),
        "smoke": Budget(100, 15),
    },
    "conv_ae": {
        "full": Budget(50, 256),
        "quick": Budget(2, 256),
        "smoke": Budget(1, 256, steps_per_epoch=8),
    },
    "sparse_ae": {
        "full": Budget(100, 64),
        "quick": Budget(50, 64),
        "smoke": Budget(1, 64, steps_per_epoch=60),
    },
    "sparse_ae_l1": {
        "full": Budget(200, 256),
        "quick": Budget(100, 256),
        "smoke": Budget(1, 256, steps_per_epoch=30),
    },
    "digit_classifier": {
        "full": Budget(5, 128),
        "quick": Budget(1, 128),
        "smoke": Budget(1, 128, steps_per_epoch=40),
    },
}


def resolve_profile(profile: str | None = None) -> str:
    """Return the training profile to use.

    The argument wins; then the environment variable ``AE_GALLERY_PROFILE``; otherwise
    ``"full"`` when Keras sees a GPU and ``"quick"`` when it does not.

    Raises
    ------
    ValueError
        For a name that is not a profile; the message lists the valid ones.

    Examples
    --------
    >>> resolve_profile("smoke")
    'smoke'
    """
    source = "the profile argument"
    if profile is None:
        profile = os.environ.get(PROFILE_ENV_VAR) or None
        source = f"the environment variable {PROFILE_ENV_VAR}"
    if profile is None:
        return "full" if _gpu_names() else "quick"
    if profile not in PROFILES:
        raise ValueError(
            f"Unknown training profile {profile!r} (from {source}). Valid profiles: "
            f"{', '.join(PROFILES)}: full is the article's budget, quick a CPU budget, smoke "
            f"seconds per model."
        )
    return profile


def budget_for(name: str, profile: str | None = None) -> Budget:
    """The budget of the model ``name`` (a key of :data:`BUDGETS`) under a profile.

    Examples
    --------
    >>> budget_for("conv_ae", "full")
    Budget(epochs=50, batch_size=256, steps_per_epoch=None)
    """
    if name not in BUDGETS:
        raise ValueError(f"No budget named {name!r}; known budgets: {', '.join(BUDGETS)}.")
    return BUDGETS[name][resolve_profile(profile)]


def budget_note(name: str, profile: str | None = None) -> str:
    """One sentence for a page: the budget a model trains under, against the article's.

    Examples
    --------
    >>> "a shorter budget than the article's 50 epochs" in budget_note("conv_ae", "quick")
    True
    >>> budget_note("deep_ae", "full")
    "Profile full: 200 epochs of batch 30, the article's budget."
    """
    profile = resolve_profile(profile)
    budget, full = budget_for(name, profile), BUDGETS[name]["full"]
    if name == "digit_classifier":
        return f"Profile {profile}: {budget.describe()} (not in the article)."
    if budget == full:
        return f"Profile {profile}: {budget.describe()}, the article's budget."
    return (
        f"Profile {profile}: {budget.describe()}, a shorter budget than the article's "
        f"{full.describe()} (the full profile trains the article's)."
    )


def _gpu_names() -> list[str]:
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        names = []
        for gpu in tf.config.list_physical_devices("GPU"):
            details = tf.config.experimental.get_device_details(gpu)
            names.append(details.get("device_name", gpu.name))
        return names
    if backend == "jax":
        import jax

        return [d.device_kind for d in jax.devices() if d.platform == "gpu"]
    if backend == "torch":
        import torch

        return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return []


def describe_device() -> str:
    """A short description of what trains: the GPU's name, or the CPU and its cores.

    Examples
    --------
    >>> describe_device()  # doctest: +SKIP
    'CPU (AMD EPYC, 2 cores)'
    """
    gpus = _gpu_names()
    if gpus:
        return "GPU (" + ", ".join(gpus) + ")"
    name = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    return f"CPU ({name}, {os.cpu_count()} cores)"


def cache_dir() -> Path:
    """The folder of the trained-weights cache.

    ``AE_GALLERY_CACHE`` when set, else the user's cache folder (``platformdirs``), for
    example ``~/.cache/ae-gallery/models`` on Linux.
    """
    env = os.environ.get(CACHE_ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("ae-gallery")) / "models"


@dataclass
class TrainingRun:
    """What :func:`train` returns: the trained model and how it came to be.

    Attributes
    ----------
    model
        What the ``build`` function returned (a model, or the encoder/decoder/autoencoder
        parts), with trained weights.
    history : dict
        ``{"loss": [...], "val_loss": [...]}``, one value per epoch, and ``"step_loss"``
        (see :func:`ae_gallery.loops.fit_arrays`).
    name, profile : str
        The budget's name and the profile it was taken from.
    budget : Budget
    from_cache : bool
        True when the weights were loaded from the cache instead of trained now.
    seconds : float
        How long the training took (when loaded from the cache: the original training).
    device : str
        What the training ran on.
    key : str
        The cache key.
    """

    model: Any
    history: dict[str, list[float]]
    name: str
    profile: str
    budget: Budget
    from_cache: bool
    seconds: float
    device: str
    key: str
    backend: str = field(default_factory=lambda: keras.backend.backend())

    def summary(self) -> str:
        """One line: how the model was trained, how long it took, and its final losses."""
        losses = ", ".join(
            f"{k} {self.history[k][-1]:.4g}" for k in ("loss", "val_loss") if self.history.get(k)
        )
        when = "loaded from cache (trained" if self.from_cache else "trained"
        close = ")" if self.from_cache else ""
        return (
            f"{self.name}: {when} {self.budget.describe()} in {_format_seconds(self.seconds)} "
            f"on {self.device}{close}; profile {self.profile}; final {losses}."
        )


def _format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


# ----------------------------------------------------------------------------------------
# Cache keys


def _canonical_architecture(model: keras.Model) -> Any:
    """The model's config with its auto-generated layer names replaced by stable ones.

    Keras numbers layer names by how many layers the process has built before
    (``dense_7``), which must not change the key.
    """
    config = json.loads(json.dumps(model.get_config(), default=str))
    names: dict[str, str] = {}

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            # Layers (and models) are the dicts that carry a class name or a list of layers.
            if isinstance(node.get("name"), str) and ("class_name" in node or "layers" in node):
                names.setdefault(node["name"], f"layer{len(names)}")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def rename(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: rename(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rename(v) for v in node]
        if isinstance(node, str):
            return names.get(node, node)
        return node

    collect(config)
    return rename(config)


def _fingerprint(array: np.ndarray | None) -> str | None:
    if array is None:
        return None
    array = np.ascontiguousarray(array)
    digest = hashlib.sha256(array.view(np.uint8).reshape(-1)).hexdigest()
    return f"{array.dtype.str}{list(array.shape)}:{digest}"


def _loss_id(loss: Any) -> Any:
    if isinstance(loss, str):
        return loss
    if isinstance(loss, keras.losses.Loss):
        config = dict(loss.get_config())
        config.pop("name", None)
        return {"class": type(loss).__name__, "config": config}
    return f"{getattr(loss, '__module__', '?')}.{getattr(loss, '__qualname__', repr(loss))}"


def _backend_version() -> str:
    backend = keras.backend.backend()
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend)
    if module is None:
        return backend
    return f"{backend} {__import__(module).__version__}"


def _cache_key(model, optimizer, loss, x, y, validation_data, budget, seed) -> tuple[str, dict]:
    opt_config = dict(optimizer.get_config())
    opt_config.pop("name", None)
    parts = {
        "architecture": _canonical_architecture(model),
        "optimizer": {"class": type(optimizer).__name__, "config": opt_config},
        "loss": _loss_id(loss),
        "x": _fingerprint(x),
        "y": "x" if y is x else _fingerprint(y),
        "validation": None
        if validation_data is None
        else [_fingerprint(a) for a in validation_data],
        "budget": asdict(budget),
        "seed": seed,
        "keras": keras.__version__,
        "backend": _backend_version(),
        "training_loop": TRAINING_LOOP_VERSION,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24], parts


# ----------------------------------------------------------------------------------------
# Cache entries: <cache>/<key>/{model.weights.h5, meta.json}, written in a temporary folder
# and renamed into place, so that a reader sees a whole entry or none.

_WEIGHTS = "model.weights.h5"
_META = "meta.json"


class CacheEntryError(Exception):
    """A cache entry that cannot be used (damaged, or written for another key)."""


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_entry(entry: Path, key: str, model: keras.Model) -> dict:
    meta_path, weights_path = entry / _META, entry / _WEIGHTS
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError) as err:
        raise CacheEntryError(f"its {_META} cannot be read ({err})") from err
    if not isinstance(meta, dict) or meta.get("key") != key:
        raise CacheEntryError(
            f"its {_META} belongs to another key ({meta.get('key')!r})"
            if isinstance(meta, dict)
            else f"its {_META} is not an object"
        )
    if meta.get("keras") != keras.__version__ or meta.get("backend") != _backend_version():
        raise CacheEntryError(
            f"it was written by Keras {meta.get('keras')} on {meta.get('backend')}, not Keras "
            f"{keras.__version__} on {_backend_version()}"
        )
    try:
        digest = _sha256_file(weights_path)
    except OSError as err:
        raise CacheEntryError(f"its weights cannot be read ({err})") from err
    if digest != meta.get("weights_sha256"):
        raise CacheEntryError("its weights file does not match its checksum (truncated?)")
    try:
        model.load_weights(weights_path)
    except Exception as err:  # noqa: BLE001 - any failure to load means: retrain
        raise CacheEntryError(f"its weights do not load into this model ({err})") from err
    return meta


def _write_entry(root: Path, key: str, model: keras.Model, meta: dict) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=root))
    try:
        model.save_weights(tmp / _WEIGHTS)
        meta = dict(meta, weights_sha256=_sha256_file(tmp / _WEIGHTS))
        (tmp / _META).write_text(json.dumps(meta, indent=1))
        try:
            os.rename(tmp, root / key)
        except OSError:
            # Another process stored the same key first: its entry is as good as ours.
            pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _discard(entry: Path) -> None:
    """Move a bad entry out of the way (a rename is atomic), then delete it."""
    trash = entry.with_name(f".discarded-{entry.name}-{os.getpid()}-{time.time_ns()}")
    with contextlib.suppress(OSError):
        os.rename(entry, trash)
        shutil.rmtree(trash, ignore_errors=True)


@contextlib.contextmanager
def _key_lock(root: Path, key: str):
    """Hold an exclusive lock on one key, so that two processes do not train it twice."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic renames still keep entries whole
        yield
        return
    with open(root / f".{key}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ----------------------------------------------------------------------------------------
# Progress on the console, not in the page


def _console_progress(name: str) -> tuple[Callable, Callable]:
    """Report epochs (and steps of long epochs) on the process' own stderr.

    ``sys.__stderr__`` is the console even when sphinx-gallery or Jupyter captures
    ``sys.stdout`` and ``sys.stderr``, so a page shows only :meth:`TrainingRun.summary`.
    Returns the ``progress`` and ``heartbeat`` callbacks of :func:`loops.fit_arrays`.
    """
    console = sys.__stderr__
    started = last = time.perf_counter()

    def write(text: str) -> None:
        if console is not None:
            elapsed = _format_seconds(time.perf_counter() - started)
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

    return progress, heartbeat


# ----------------------------------------------------------------------------------------


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


def _check_arrays(name: str, x: np.ndarray, y: np.ndarray, model: keras.Model) -> None:
    for label, array in (("x", x), ("y", y)):
        if not isinstance(array, np.ndarray):
            raise TypeError(
                f"train({name!r}): {label} must be a numpy array, got {type(array).__name__}."
            )
    if len(x) != len(y):
        raise ValueError(
            f"train({name!r}): x has {len(x)} rows but y has {len(y)}; they must match."
        )
    expected = tuple(model.input.shape[1:]) if hasattr(model, "input") else None
    if expected is not None and tuple(x.shape[1:]) != expected:
        raise ValueError(
            f"train({name!r}): the model takes inputs of shape (N, "
            f"{', '.join(map(str, expected))}) but x has shape {x.shape}."
        )


def train(
    build: Callable[[], Any],
    x: np.ndarray,
    y: np.ndarray | None = None,
    *,
    name: str,
    optimizer: str | keras.optimizers.Optimizer,
    loss: Any,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
    profile: str | None = None,
    use_cache: bool = True,
    verbose: bool = True,
) -> TrainingRun:
    """Build a model under a seed, train it under a profile's budget, and cache the result.

    Parameters
    ----------
    build : callable
        Builds the model, with no arguments (for example :func:`ae_gallery.models.deep_ae`).
        It may return the encoder/decoder/autoencoder parts: the autoencoder is trained.
    x : ndarray
        Training inputs.
    y : ndarray, optional
        Training targets; an autoencoder's are its inputs (the default).
    name : str
        The model's budget, a key of :data:`BUDGETS`.
    optimizer, loss
        As in ``model.compile``.
    validation_data : (ndarray, ndarray), optional
        Evaluated after each epoch (``val_loss`` in the history).
    seed : int
        Seeds Python, NumPy and Keras before the model is built, and the shuffling.
    profile : str, optional
        ``"full"``, ``"quick"`` or ``"smoke"``; see :func:`resolve_profile`.
    use_cache : bool
        Look up and store the trained weights in :func:`cache_dir`.
    verbose : bool
        Print the one-line summary (progress goes to the console's stderr either way).

    Returns
    -------
    TrainingRun
        The trained model (``run.model``), its history, and how it was obtained.

    Examples
    --------
    >>> from ae_gallery import data, models
    >>> dots = data.make_sine_data().dots
    >>> run = train(models.linear_ae, dots, name="linear_ae",
    ...             optimizer=keras.optimizers.Adam(0.01), loss="mse")  # doctest: +SKIP
    linear_ae: trained 15 epochs of batch 30 in 0.9 s on CPU (...); profile quick; ...
    """
    profile = resolve_profile(profile)
    budget = budget_for(name, profile)
    y = x if y is None else y
    keras.utils.set_random_seed(seed)
    built = build()
    model = _trainable_model(built)
    _check_arrays(name, x, y, model)
    optimizer = keras.optimizers.get(optimizer)
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"train({name!r}): optimizer must be a name or a Keras optimizer.")
    key, key_parts = _cache_key(model, optimizer, loss, x, y, validation_data, budget, seed)

    def fit() -> tuple[dict, float, str]:
        model.compile(optimizer=optimizer, loss=loss)
        progress, heartbeat = _console_progress(name)
        started = time.perf_counter()
        history = loops.fit_arrays(
            model,
            x,
            y,
            batch_size=budget.batch_size,
            epochs=budget.epochs,
            steps_per_epoch=budget.steps_per_epoch,
            validation_data=validation_data,
            seed=seed,
            progress=progress,
            heartbeat=heartbeat,
        )
        return history, time.perf_counter() - started, describe_device()

    if not use_cache:
        history, seconds, device = fit()
        run = TrainingRun(built, history, name, profile, budget, False, seconds, device, key)
    else:
        root = cache_dir()
        root.mkdir(parents=True, exist_ok=True)
        with _key_lock(root, key):
            entry = root / key
            meta = None
            if entry.exists():
                try:
                    meta = _read_entry(entry, key, model)
                except CacheEntryError as err:
                    warnings.warn(
                        f"ae_gallery: the cache entry {entry} for {name} is unusable: {err}. "
                        f"It is discarded and the model retrained.",
                        stacklevel=2,
                    )
                    _discard(entry)
            for stale in root.glob(f".tmp-{key}-*"):  # left by a run that was killed
                shutil.rmtree(stale, ignore_errors=True)
            if meta is not None:
                run = TrainingRun(
                    built,
                    meta["history"],
                    name,
                    profile,
                    budget,
                    True,
                    meta["seconds"],
                    meta["device"],
                    key,
                )
            else:
                history, seconds, device = fit()
                _write_entry(
                    root,
                    key,
                    model,
                    {
                        "key": key,
                        "name": name,
                        "profile": profile,
                        "history": history,
                        "seconds": seconds,
                        "device": device,
                        "keras": keras.__version__,
                        "backend": _backend_version(),
                        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
                        "inputs": {k: v for k, v in key_parts.items() if k != "architecture"},
                    },
                )
                run = TrainingRun(
                    built, history, name, profile, budget, False, seconds, device, key
                )
    if verbose:
        print(run.summary())
    return run
