"""Published weights: the article's budget, trained once from the lessons and shipped here.

Training every model at the article's budget takes hours on a laptop CPU (the
convolutional autoencoder's 50 epochs alone), so the project runs its lessons once at that
budget (``nox -s train``) and commits what their fit calls trained in
``ae_gallery/published/``: each model's ``<name>.weights.h5`` and ``<name>.history.json``,
and one ``manifest.json`` saying how each was trained (its fingerprint: the design written
in its lesson, the data, budget and seed; the device, backend and versions, the wall time,
the final losses) and each file's sha256.

:func:`ae_gallery.training.fit` loads a model's published weights instead of training it
when its fingerprint is the published one: the same layers and settings, the same
optimizer with its whole configuration, loss, data, budget and seed
(:mod:`ae_gallery.design`). The Keras and backend versions are not part of it:
``.weights.h5`` files load under any Keras 3 and any backend. Every file is checked
against the manifest before it is loaded; one that is missing, truncated or altered is
reported by name, and the model is trained instead. A later lesson that reuses a model
rebuilds it from its published design (:func:`design_of`).

Set ``AE_GALLERY_PUBLISHED=off`` to train every model yourself.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import keras

from ._checks import setting
from .device import backend_version, describe_device
from .i18n import _

__all__ = [
    "FOLDER",
    "PUBLISHED_ENV_VAR",
    "Published",
    "design_of",
    "differences",
    "find",
    "publish",
    "publishing",
    "read_manifest",
    "rekey",
    "trained_on",
    "use_published",
]

#: Where the published files live, inside the installed package.
FOLDER = Path(__file__).parent / "published"
MANIFEST = "manifest.json"
PUBLISHED_ENV_VAR = "AE_GALLERY_PUBLISHED"
#: Set by :func:`main` for the lessons it runs: where their fit calls publish, which models
#: (comma-separated), the lesson's path, and whether to re-key instead of training.
PUBLISH_ENV_VAR = "AE_GALLERY_PUBLISH"
PUBLISH_MODELS_ENV_VAR = "AE_GALLERY_PUBLISH_MODELS"
PUBLISH_LESSON_ENV_VAR = "AE_GALLERY_PUBLISH_LESSON"
REKEY_ENV_VAR = "AE_GALLERY_PUBLISH_REKEY"


def _parts() -> dict[str, str]:
    """The parts of a fingerprint, in the words a reader is told which of them differ."""
    return {
        "architecture": _("the layers"),
        "optimizer": _("the optimizer"),
        "loss": _("the loss"),
        "x": _("the data"),
        "y": _("the data"),
        "validation": _("the data"),
        "budget": _("the budget"),
        "seed": _("the seed"),
    }


def use_published(value: bool | None = None) -> bool:
    """Whether :func:`~ae_gallery.training.fit` may load published weights.

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
        _("published-weights setting"),
        lambda: "on",
        _("off trains every model instead of loading the published weights."),
    )
    return answer == "on"


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
        raise ValueError(
            _("{path} is not a manifest of published weights ({error}).").format(
                path=path, error=err
            )
        ) from err
    return models


def design_of(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The published fingerprint of ``name``: its design (:mod:`ae_gallery.design`), and
    the data digests, budget and seed its lesson trained it with.

    Raises
    ------
    ValueError
        When nothing is published under ``name``; the message lists what is.
    """
    models = read_manifest(folder)
    if name not in models:
        raise ValueError(
            _(
                "No published model named {name!r} (published: {names}): run the lesson that "
                "introduces it, or publish it with `nox -s train`."
            ).format(name=name, names=", ".join(models) or "-")
        )
    return models[name]["fingerprint"]


class Published(dict):
    """One model's manifest entry, once its files are checked and its weights loaded."""


def _refuse(name: str, problem: str) -> None:
    warnings.warn(
        _("{name}: published weights not used, {problem}; training the model instead.").format(
            name=name, problem=problem
        ),
        stacklevel=4,
    )


def nothing_published() -> str:
    """Why no published weights match a model that was never published, in words."""
    return _("nothing is published under this name")


def trained_on(device: dict) -> str:
    """Where published weights were trained: a manifest entry's ``device`` fields, with its
    ``keras`` and ``backend``, in words (in the library's language).

    Examples
    --------
    >>> trained_on({"cpu": "AMD EPYC", "cores": 2, "keras": "3.15.1", "backend": "jax 0.9"})
    'CPU (AMD EPYC, 2 cores) with Keras 3.15.1 on jax 0.9'
    """
    return _("{device} with Keras {keras} on {backend}").format(
        device=describe_device(device), keras=device["keras"], backend=device["backend"]
    )


def differences(name: str, fingerprint: dict[str, Any], folder: Path | None = None) -> str:
    """Why ``name``'s published weights do not match ``fingerprint``, in words ("" if they do).

    Examples
    --------
    >>> differences("no_such_model", {"sha256": ""})
    'nothing is published under this name'
    """
    try:
        entry = read_manifest(folder).get(name)
    except ValueError as err:
        return str(err)
    if entry is None:
        return nothing_published()
    published = entry.get("fingerprint", {})
    if published.get("sha256") == fingerprint["sha256"]:
        return ""
    words = _parts()
    parts = dict.fromkeys(words[k] for k in words if published.get(k) != fingerprint.get(k))
    return _("it differs from the published model in {parts}").format(
        parts=", ".join(parts) or _("its fingerprint")
    )


def _checked_files(name: str, entry: dict[str, Any], folder: Path) -> bool:
    """Whether every file of the entry is there, whole and unaltered (else a warning)."""
    files = entry.get("files", {})
    for needed in (f"{name}.weights.h5", f"{name}.history.json"):
        if needed not in files:
            _refuse(name, _("{path} is missing").format(path=f"{folder / MANIFEST} ({name})"))
            return False
    for file_name, expected in files.items():
        path = folder / file_name
        if not path.is_file():
            _refuse(name, _("{path} is missing").format(path=path))
            return False
        size = path.stat().st_size
        if size != expected.get("bytes"):
            _refuse(
                name,
                _("{path} has {size} bytes, not the manifest's {expected} (truncated?)").format(
                    path=path, size=size, expected=expected["bytes"]
                ),
            )
            return False
        if _sha256(path) != expected.get("sha256"):
            _refuse(
                name, _("{path} does not match the manifest's sha256 (altered?)").format(path=path)
            )
            return False
    return True


def _load(name: str, entry: dict[str, Any], model: keras.Model, folder: Path) -> Published | None:
    if not _checked_files(name, entry, folder):
        return None
    try:
        with warnings.catch_warnings():
            # The file holds the weights only; a compiled model's optimizer keeps its state.
            warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
            model.load_weights(folder / f"{name}.weights.h5")
        history = json.loads((folder / f"{name}.history.json").read_text(encoding="utf-8"))
    except Exception as err:  # noqa: BLE001 - any failure to load means: train instead
        _refuse(
            name,
            _("{path} does not load into this model ({error})").format(
                path=f"{folder / name}.weights.h5", error=err
            ),
        )
        return None
    return Published(entry, history=history)


def find(
    name: str, fingerprint: dict[str, Any], model: keras.Model, folder: Path | None = None
) -> Published | None:
    """Load ``name``'s published weights into ``model`` if they match ``fingerprint``.

    Returns the manifest entry (with ``"history"`` read from its file) when the weights were
    loaded; ``None`` when nothing matches (:func:`differences` says why), or when something
    is wrong with the files: then a warning names the file and the problem, and the caller
    trains instead. Nothing is loaded before its sha256 is checked against the manifest.
    """
    folder = folder or FOLDER
    try:
        entry = read_manifest(folder).get(name)
    except ValueError as err:
        _refuse(name, str(err))
        return None
    if entry is None or entry.get("fingerprint", {}).get("sha256") != fingerprint["sha256"]:
        return None
    return _load(name, entry, model, folder)


def publishing(name: str) -> Path | None:
    """The folder to publish ``name`` into, when :func:`main` runs the lesson that trains it."""
    folder = os.environ.get(PUBLISH_ENV_VAR)
    wanted = os.environ.get(PUBLISH_MODELS_ENV_VAR, "")
    if not folder or (wanted and name not in wanted.split(",")):
        return None
    return Path(folder)


def _write_manifest(models: dict[str, Any], folder: Path) -> Path:
    manifest = {
        "about": "Weights trained at the article's budget by the lessons' fit calls "
        "(`nox -s train`); see ae_gallery/published.py.",
        "models": dict(sorted(models.items())),
    }
    path = folder / MANIFEST
    scratch = path.with_name(f".{MANIFEST}.{os.getpid()}")
    scratch.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.replace(scratch, path)
    return path


def _lesson() -> str | None:
    return os.environ.get(PUBLISH_LESSON_ENV_VAR)


def publish(run: Any, fingerprint: dict[str, Any], folder: Path | None = None) -> Path:
    """Write a run's weights, history and manifest entry into ``folder``.

    ``run`` is a :class:`~ae_gallery.training.TrainingRun`; ``fingerprint`` its
    :func:`ae_gallery.design.fingerprint`. Other models' entries stay. Each file is written
    to a temporary name and renamed into place, the manifest last, so a reader never sees a
    manifest that names files not yet written. Returns the manifest's path.
    """
    folder = folder or FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    try:
        models = read_manifest(folder)
    except ValueError:
        models = {}
    name = run.name
    files = {}
    weights, history = folder / f"{name}.weights.h5", folder / f"{name}.history.json"
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        scratch = Path(tmp) / weights.name  # save_weights wants the name to end so
        run.model.save_weights(scratch)
        os.replace(scratch, weights)
        scratch = Path(tmp) / history.name
        scratch.write_text(json.dumps(run.history), encoding="utf-8")
        os.replace(scratch, history)
    for path in (weights, history):
        files[path.name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    models[name] = {
        "fingerprint": fingerprint,
        # The lesson that introduces the model; a later one that reuses it is not that.
        "lesson": models.get(name, {}).get("lesson") or _lesson(),
        "profile": run.profile,
        "budget": dataclasses.asdict(run.budget),
        "seed": fingerprint["seed"],
        "device": run.device,
        "keras": keras.__version__,
        "backend": backend_version(),
        "python": platform.python_version(),
        "seconds": round(run.seconds, 1),
        "trained": time.strftime("%Y-%m-%d"),
        "final": {k: v[-1] for k, v in run.history.items() if k != "step_loss" and v},
        "files": files,
    }
    return _write_manifest(models, folder)


def rekey(
    name: str, fingerprint: dict[str, Any], model: keras.Model, folder: Path | None = None
) -> Published | None:
    """Give ``name``'s published weights a new fingerprint, without training them again.

    For a change of how models are fingerprinted, or of a lesson's code that leaves the
    trained model as it was: the files are checked, loaded into ``model`` (they must fit its
    layers), and the manifest's entry gets ``fingerprint``. Returns what :func:`find`
    would, or None when there is nothing to re-key.
    """
    folder = folder or FOLDER
    entry = read_manifest(folder).get(name)
    if entry is None:
        return None
    loaded = _load(name, entry, model, folder)
    if loaded is not None:
        models = read_manifest(folder)
        models[name] = {
            **entry,
            "fingerprint": fingerprint,
            "lesson": entry.get("lesson") or _lesson(),
        }
        _write_manifest(models, folder)
    return loaded


def _lessons_training(names: list[str], lessons: list[Path], folder: Path) -> list[Path]:
    """The lessons that trained ``names`` last time; for a name never published, those whose
    fit call names it (all of them when none does)."""
    if not names:
        return lessons
    models = read_manifest(folder)
    wanted = {Path(models[name].get("lesson") or "").name for name in names if name in models}
    calls = [f'name="{name}"' for name in names if name not in models]
    chosen = [
        lesson
        for lesson in lessons
        if lesson.name in wanted
        or any(call in lesson.read_text(encoding="utf-8") for call in calls)
    ]
    return chosen or lessons


def main(argv: list[str] | None = None) -> int:
    """``python -m ae_gallery.published``: run the lessons at the article's budget and publish
    what their fit calls train (``nox -s train``).

    Each lesson runs as a script, in a folder of its own, with ``AE_GALLERY_PROFILE=full``;
    its fit calls train through the cache and its resume points (an interrupted run goes
    on where it stopped when started again) and write their weights into ``--folder``.
    ``--rekey`` trains nothing: it gives the published weights the fingerprints of the
    lessons' models as they are now (when only the fingerprinting changed).
    """
    parser = argparse.ArgumentParser(prog="nox -s train --", description=main.__doc__)
    parser.add_argument("--lessons", type=Path, default=Path("examples", "en"))
    parser.add_argument("--models", default="", help="comma-separated names (default: all)")
    parser.add_argument("--folder", type=Path, default=FOLDER, help="where to publish")
    parser.add_argument("--rekey", action="store_true")
    options = parser.parse_args(argv)
    names = [name.strip() for name in options.models.split(",") if name.strip()]
    lessons = sorted(options.lessons.resolve().glob("plot_*.py"))
    if not lessons:
        parser.error(f"no lessons (plot_*.py) in {options.lessons}")
    folder = options.folder.resolve()
    for lesson in _lessons_training(names, lessons, folder):
        env = {
            **os.environ,
            PUBLISH_ENV_VAR: str(folder),
            PUBLISH_MODELS_ENV_VAR: ",".join(names),
            PUBLISH_LESSON_ENV_VAR: f"{options.lessons.as_posix()}/{lesson.name}",
            "MPLBACKEND": "Agg",
        }
        if options.rekey:
            env[REKEY_ENV_VAR] = "1"
        else:
            env["AE_GALLERY_PROFILE"] = "full"
        print(f"{'re-keying' if options.rekey else 'training'}: {lesson.name}", flush=True)
        with tempfile.TemporaryDirectory() as scratch:
            done = subprocess.run([sys.executable, str(lesson)], env=env, cwd=scratch)
        if done.returncode != 0:
            print(f"{lesson.name} failed (exit {done.returncode}); run again to resume.")
            return done.returncode
    models = read_manifest(folder)
    total = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    print(f"Published {len(models)} model(s) in {folder} ({total / 1e6:.2f} MB).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
