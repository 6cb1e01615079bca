"""Published weights: the article's full budget, trained once and shipped with the library.

Training every model at the article's budget takes hours on a laptop CPU (the
convolutional autoencoder's 50 epochs alone). So the project trains them once
(``nox -s train -- --profile full``) and commits the results in ``ae_gallery/published/``:
each model's ``<name>.weights.h5`` and ``<name>.history.json``, and one ``manifest.json``
saying how each was trained (recipe, budget, seed, device, backend and versions, wall time,
final losses) and each file's sha256.

:func:`ae_gallery.training.train` loads a model's published weights instead of training it
when they were trained with the same recipe, budget and seed: the same layers, optimizer
settings, loss, data and budget (:func:`recipe_fingerprint`). The Keras and backend versions
are not part of the match: ``.weights.h5`` files load under any Keras 3 and any backend.
Every file is checked against the manifest before it is loaded; one that is missing,
truncated, altered or made for another recipe is reported by name, and the model is trained
instead.

Set ``AE_GALLERY_PUBLISHED=off`` to train every model yourself.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Any

import keras
import numpy as np

from . import messages
from ._checks import setting
from .budgets import Budget
from .cache import _fingerprint  # the same digest of arrays as the cache keys
from .device import backend_version

__all__ = [
    "FOLDER",
    "PUBLISHED_ENV_VAR",
    "Published",
    "find",
    "publish",
    "read_manifest",
    "recipe_fingerprint",
    "use_published",
]

#: Where the published files live, inside the installed package.
FOLDER = Path(__file__).parent / "published"
MANIFEST = "manifest.json"
PUBLISHED_ENV_VAR = "AE_GALLERY_PUBLISHED"
#: How a reader trains the models themselves at the article's budget (printed on the pages).
TRAIN_YOURSELF = f"{PUBLISHED_ENV_VAR}=off AE_GALLERY_PROFILE=full"

#: The settings of a layer that decide what it computes (its name, dtype and the like do
#: not, and their spelling changes between Keras versions).
_COMPUTING_SETTINGS = (
    "units",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "dilation_rate",
    "activation",
    "use_bias",
    "size",
    "interpolation",
    "target_shape",
    "rate",
    "activity_regularizer",
    "kernel_regularizer",
    "bias_regularizer",
    "l1",  # ae_gallery.models.ActivityL1, the sparse autoencoders' penalty
)


def use_published(value: bool | None = None) -> bool:
    """Whether :func:`~ae_gallery.training.train` may load published weights.

    The argument wins; then ``AE_GALLERY_PUBLISHED`` (``on`` or ``off``); by default, yes.

    Examples
    --------
    >>> use_published(False)
    False
    """
    if value is not None:
        return value
    answer = setting(
        None,
        PUBLISHED_ENV_VAR,
        ("on", "off"),
        "published-weights setting",
        lambda: "on",
        "off trains every model instead of loading the published weights",
    )
    return answer == "on"


def _layers(model: keras.Model) -> list[dict[str, Any]]:
    described = []
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, keras.Model):
            continue  # its layers are listed themselves
        config = json.loads(json.dumps(layer.get_config(), default=str))
        described.append(
            {
                "class": type(layer).__name__,
                "weights": [list(w.shape) for w in layer.weights],
                **{k: config[k] for k in _COMPUTING_SETTINGS if k in config},
            }
        )
    return described


def recipe_fingerprint(
    model: keras.Model,
    optimizer: keras.optimizers.Optimizer,
    loss: str,
    data: tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None],
    budget: Budget,
    seed: int,
) -> dict[str, Any]:
    """What decides a trained model, whatever Keras version or backend trains it.

    The layers (class, weight shapes and the settings that decide what they compute), the
    optimizer's class and learning rate, the loss, the data's contents, the budget and the
    seed. ``"sha256"`` is the digest of all of them: published weights match a training when
    their digests are equal.
    """
    x, y, validation = data
    parts = {
        "layers": _layers(model),
        "optimizer": type(optimizer).__name__,
        "learning_rate": float(np.asarray(keras.ops.convert_to_numpy(optimizer.learning_rate))),
        "loss": loss,
        "x": _fingerprint(x),
        "y": "x" if y is x else _fingerprint(y),
        "validation": None if validation is None else [_fingerprint(a) for a in validation],
        "budget": asdict(budget),
        "seed": seed,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return {**parts, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(folder: Path | None = None) -> dict[str, Any]:
    """The manifest's models by name (empty when nothing is published).

    Raises
    ------
    ValueError
        When ``manifest.json`` exists but is not a manifest (the message names it).
    """
    path = (folder or FOLDER) / MANIFEST
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        models = manifest["models"]
        if not isinstance(models, dict):
            raise TypeError("'models' is not an object")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path} is not a manifest of published weights ({err}).") from err
    return models


class Published(dict):
    """One model's manifest entry, once its files are checked and its weights loaded."""


def _refuse(name: str, problem: str) -> None:
    warnings.warn(messages.PUBLISHED_REFUSED.format(name=name, problem=problem), stacklevel=4)


def find(
    name: str, fingerprint: dict[str, Any], model: keras.Model, folder: Path | None = None
) -> Published | None:
    """Load ``name``'s published weights into ``model`` if they match ``fingerprint``.

    Returns the manifest entry (with ``"history"`` read from its file) when the weights were
    loaded; ``None`` when nothing is published for ``name``, or when something is wrong with
    what is: then a warning names the file and the problem, and the caller trains instead.
    Nothing is loaded before its sha256 is checked against the manifest.
    """
    folder = folder or FOLDER
    try:
        entry = read_manifest(folder).get(name)
    except ValueError as err:
        _refuse(name, str(err))
        return None
    if entry is None:
        return None
    if entry.get("recipe", {}).get("sha256") != fingerprint["sha256"]:
        differ = sorted(
            k
            for k in fingerprint
            if k != "sha256" and entry.get("recipe", {}).get(k) != fingerprint[k]
        )
        _refuse(
            name,
            messages.PUBLISHED_OTHER_RECIPE.format(
                manifest=folder / MANIFEST, differ=", ".join(differ) or "sha256"
            ),
        )
        return None
    for file_name, expected in entry.get("files", {}).items():
        path = folder / file_name
        if not path.is_file():
            _refuse(name, messages.PUBLISHED_MISSING.format(path=path))
            return None
        size = path.stat().st_size
        if size != expected.get("bytes"):
            _refuse(
                name,
                messages.PUBLISHED_SIZE.format(path=path, size=size, expected=expected["bytes"]),
            )
            return None
        if _sha256(path) != expected.get("sha256"):
            _refuse(name, messages.PUBLISHED_ALTERED.format(path=path))
            return None
    weights = folder / f"{name}.weights.h5"
    history = folder / f"{name}.history.json"
    if weights.name not in entry.get("files", {}) or history.name not in entry.get("files", {}):
        _refuse(name, messages.PUBLISHED_MISSING.format(path=f"{folder / MANIFEST} ({name})"))
        return None
    try:
        model.load_weights(weights)
        loaded_history = json.loads(history.read_text(encoding="utf-8"))
    except Exception as err:  # noqa: BLE001 - any failure to load means: train instead
        _refuse(name, f"{weights} does not load into this model ({err})")
        return None
    return Published(entry, history=loaded_history)


def publish(
    runs: list[Any],
    fingerprints: dict[str, dict[str, Any]],
    folder: Path | None = None,
) -> Path:
    """Write the runs' weights, histories and the manifest into ``folder``.

    ``runs`` are :class:`~ae_gallery.training.TrainingRun` objects; ``fingerprints`` their
    :func:`recipe_fingerprint` by name. Models already published and not in ``runs`` keep
    their entries. Each file is written to a temporary name and renamed into place, the
    manifest last, so a reader never sees a manifest that names files not yet written.

    Returns the manifest's path.
    """
    folder = folder or FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    try:
        models = read_manifest(folder)
    except ValueError:
        models = {}
    for run in runs:
        name = run.recipe.name
        files = {}
        for file_name, write in (
            (f"{name}.weights.h5", lambda path, run=run: _trainable(run.model).save_weights(path)),
            (
                f"{name}.history.json",
                lambda path, run=run: path.write_text(json.dumps(run.history), encoding="utf-8"),
            ),
        ):
            with tempfile.TemporaryDirectory(dir=folder) as tmp:
                # save_weights wants the name to end in .weights.h5
                scratch = Path(tmp) / file_name
                write(scratch)
                shutil.move(scratch, folder / file_name)
            path = folder / file_name
            files[file_name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
        models[name] = {
            "recipe": fingerprints[name],
            "description": run.recipe.describe(),
            "profile": run.profile,
            "budget": run.budget.describe(),
            "seed": fingerprints[name]["seed"],
            "device": run.device,
            "keras": keras.__version__,
            "backend": backend_version(),
            "python": platform.python_version(),
            "seconds": round(run.seconds, 1),
            "trained": time.strftime("%Y-%m-%d"),
            "final": {k: v[-1] for k, v in run.history.items() if k != "step_loss" and v},
            "files": files,
        }
    manifest = {
        "about": "Weights trained at the article's budget by `nox -s train -- --profile full`; "
        "see ae_gallery/published.py.",
        "models": dict(sorted(models.items())),
    }
    path = folder / MANIFEST
    scratch = path.with_name(f".{MANIFEST}.{os.getpid()}")
    scratch.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.replace(scratch, path)
    return path


def _trainable(built: Any) -> keras.Model:
    """The model that holds every weight of what a recipe built (see ``training``)."""
    from .training import _trainable_model

    return _trainable_model(built)


def main(argv: list[str] | None = None) -> int:
    """``python -m ae_gallery.published``: train every model and publish the full budget's.

    Each model trains through the cache and its resume points, so an interrupted run goes
    on where it stopped when started again. Under ``--profile full`` the results are
    written into ``ae_gallery/published/`` (or ``--folder``); other profiles only fill the
    cache.
    """
    import argparse

    from . import recipes, training

    parser = argparse.ArgumentParser(prog="nox -s train --", description=main.__doc__)
    parser.add_argument("--profile", choices=("full", "quick", "smoke"), default="full")
    parser.add_argument(
        "--models",
        default=",".join(recipes.RECIPES),
        help="comma-separated recipe names (default: all)",
    )
    parser.add_argument("--folder", type=Path, default=FOLDER, help="where to publish")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args(argv)
    chosen = [recipes.get(name.strip()) for name in options.models.split(",") if name.strip()]
    runs, fingerprints = [], {}
    for recipe in chosen:
        run = training.train(
            recipe, profile=options.profile, seed=options.seed, use_published=False
        )
        data = recipe.data()
        fingerprints[recipe.name] = recipe_fingerprint(
            _trainable(run.model),
            recipe.make_optimizer(),
            recipe.loss,
            data,
            run.budget,
            options.seed,
        )
        runs.append(run)
    if options.profile != "full":
        print(f"Profile {options.profile}: trained into the cache; only full is published.")
        return 0
    path = publish(runs, fingerprints, options.folder)
    total = sum(f.stat().st_size for f in options.folder.iterdir() if f.is_file())
    print(f"Published {len(runs)} model(s) in {options.folder} ({total / 1e6:.2f} MB); {path}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
