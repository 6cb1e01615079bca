"""The trained-weights cache: keys, entries and the lock that keeps them whole.

An entry is a folder ``<cache>/<key>/`` holding ``model.weights.h5`` and ``meta.json``
(the history, how long the training took and on what, and the weights' sha256). It is
written in a temporary folder and renamed into place, so that a reader sees a whole entry
or none; a lock per key (:mod:`filelock`, which works on every OS) keeps two processes from
training the same key at once.

The key is a hash of everything that decides the trained weights: the architecture, the
optimizer and its settings, the loss, the data, the budget, the seed, the precision, the
training loop's version, and the Keras and backend versions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keras
import platformdirs
from filelock import FileLock

from .device import backend_version
from .i18n import _

__all__ = ["CACHE_ENV_VAR", "CacheEntryError", "CacheFolderError", "cache_dir", "cache_key"]

CACHE_ENV_VAR = "AE_GALLERY_CACHE"

#: Bumped whenever :mod:`ae_gallery.loops` changes what training computes, so that weights
#: trained by an older loop are not taken for new ones.
TRAINING_LOOP_VERSION = 3

WEIGHTS = "model.weights.h5"
META = "meta.json"


class CacheEntryError(Exception):
    """A cache entry that cannot be used (damaged, or written for another key)."""


class CacheFolderError(Exception):
    """A cache folder that cannot be used; the message says why and what to do."""


def cache_dir() -> Path:
    """The folder of the trained-weights cache.

    ``AE_GALLERY_CACHE`` when set, else the user's cache folder (``platformdirs``), for
    example ``~/.cache/ae-gallery/models`` on Linux.
    """
    env = os.environ.get(CACHE_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("ae-gallery")) / "models"


def _advice(reason: str) -> str:
    return (
        reason
        + " "
        + _(
            "Set {variable} to a folder you can write to, with room for a few megabytes (or "
            "unset it to use the user's cache folder); until then models are trained without "
            "the cache."
        ).format(variable=CACHE_ENV_VAR)
    )


def usable_cache_dir() -> Path:
    """:func:`cache_dir`, created if need be and checked to be a writable folder.

    Raises
    ------
    CacheFolderError
        When it is a file, cannot be created, or cannot be written; the message names
        ``AE_GALLERY_CACHE`` and what to do.
    """
    root = cache_dir()
    if root.exists() and not root.is_dir():
        raise CacheFolderError(
            _advice(_("The cache folder {root} is a file, not a folder.").format(root=root))
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as err:
        reason = _("The cache folder {root} cannot be used ({error}).").format(
            root=root, error=err.strerror or err
        )
        raise CacheFolderError(_advice(reason)) from err
    return root


# ----------------------------------------------------------------------------------------
# Keys


def cache_key(fingerprint: dict[str, Any], precision: str) -> tuple[str, dict]:
    """The key of a training, and the parts it was hashed from.

    ``fingerprint`` is :func:`ae_gallery.design.fingerprint`'s: the model's design, the
    data, the budget and the seed. The precision, the training loop's version and the Keras
    and backend versions are added: weights trained under other ones are not these.
    """
    parts = {
        **{k: v for k, v in fingerprint.items() if k != "sha256"},
        "precision": precision,
        "keras": keras.__version__,
        "backend": backend_version(),
        "training_loop": TRAINING_LOOP_VERSION,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24], parts


# ----------------------------------------------------------------------------------------
# Entries


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_entry(entry: Path, key: str, model: keras.Model) -> dict:
    """Check an entry and load its weights into ``model``; return its metadata.

    Raises
    ------
    CacheEntryError
        When the entry is damaged, belongs to another key or to other versions, or its
        weights do not load into ``model``.
    """
    try:
        meta = json.loads((entry / META).read_text())
    except (OSError, ValueError) as err:
        raise CacheEntryError(
            _("its {file} cannot be read ({err})").format(file=META, err=err)
        ) from err
    if not isinstance(meta, dict) or meta.get("key") != key:
        raise CacheEntryError(
            _("its {file} belongs to another key ({key!r})").format(file=META, key=meta.get("key"))
            if isinstance(meta, dict)
            else _("its {file} is not an object").format(file=META)
        )
    if meta.get("keras") != keras.__version__ or meta.get("backend") != backend_version():
        raise CacheEntryError(
            _(
                "it was written by Keras {keras} on {backend}, not Keras {ours} on {our_backend}"
            ).format(
                keras=meta.get("keras"),
                backend=meta.get("backend"),
                ours=keras.__version__,
                our_backend=backend_version(),
            )
        )
    try:
        digest = sha256_file(entry / WEIGHTS)
    except OSError as err:
        raise CacheEntryError(_("its weights cannot be read ({err})").format(err=err)) from err
    if digest != meta.get("weights_sha256"):
        raise CacheEntryError(_("its weights file does not match its checksum (truncated?)"))
    try:
        model.load_weights(entry / WEIGHTS)
    except Exception as err:  # noqa: BLE001 - any failure to load means: retrain
        raise CacheEntryError(
            _("its weights do not load into this model ({err})").format(err=err)
        ) from err
    return meta


def write_entry(root: Path, key: str, model: keras.Model, meta: dict) -> None:
    """Store the model's weights and ``meta`` under ``key``, whole or not at all.

    Raises
    ------
    CacheFolderError
        When the folder refuses the entry (full, read-only); nothing of it is left there.
    """
    try:
        _write_entry(root, key, model, meta)
    except OSError as err:
        reason = _("The trained model could not be stored in {root} ({error}).").format(
            root=root, error=err.strerror or err
        )
        raise CacheFolderError(_advice(reason)) from err


def _write_entry(root: Path, key: str, model: keras.Model, meta: dict) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key}-", dir=root))
    try:
        model.save_weights(tmp / WEIGHTS)
        meta = dict(meta, key=key, weights_sha256=sha256_file(tmp / WEIGHTS))
        (tmp / META).write_text(json.dumps(meta, indent=1))
        # A failed rename means another process stored the same key first: its entry is as
        # good as ours.
        with contextlib.suppress(OSError):
            os.rename(tmp, root / key)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def discard(entry: Path) -> None:
    """Move a bad entry out of the way (a rename is atomic), then delete it."""
    trash = entry.with_name(f".discarded-{entry.name}-{os.getpid()}-{time.time_ns()}")
    with contextlib.suppress(OSError):
        os.rename(entry, trash)
        shutil.rmtree(trash, ignore_errors=True)


def remove_leftovers(root: Path, key: str) -> None:
    """Delete the temporary folders of a run of ``key`` that was killed while writing."""
    for stale in root.glob(f".tmp-{key}-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def key_lock(root: Path, key: str) -> Iterator[None]:
    """Hold an exclusive lock on one key, so that two processes do not train it twice."""
    with FileLock(root / f".{key}.lock"):
        yield


def store_run(root: Path, key: str, run: Any, key_parts: dict) -> None:
    """Store a :class:`~ae_gallery.training.TrainingRun` under ``key``; a folder that refuses
    it is reported with a warning (the run goes on without the cache)."""
    try:
        write_entry(
            root,
            key,
            run.model,
            {
                "name": run.name,
                "profile": run.profile,
                "history": run.history,
                "seconds": run.seconds,
                "device": run.device,
                "keras": keras.__version__,
                "backend": backend_version(),
                "created": time.strftime("%Y-%m-%d %H:%M:%S"),
                "inputs": {k: v for k, v in key_parts.items() if k != "architecture"},
            },
        )
    except CacheFolderError as err:
        warnings.warn(f"ae_gallery: {err}", stacklevel=3)


def usable_entry(entry: Path, key: str, model: keras.Model, name: str) -> dict | None:
    """The metadata of a usable entry (its weights loaded into ``model``), else None."""
    if not entry.exists():
        return None
    try:
        return read_entry(entry, key, model)
    except CacheEntryError as err:
        warnings.warn(
            _(
                "ae_gallery: the cache entry {entry} for {name} is unusable: {err}. It is "
                "discarded and the model retrained."
            ).format(entry=entry, name=name, err=err),
            stacklevel=3,
        )
        discard(entry)
        return None
