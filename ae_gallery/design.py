"""A compiled model's design as data: its layers, its optimizer and its loss.

With the data, the budget and the seed, the design decides a trained model. It is written
from Keras' own configuration (``get_config``) with every setting left at its default
left out and the layers' automatic names (``dense_7``) replaced by their places, so that
the same code gives the same design in any process and under any Keras 3 release (a
release that adds a setting at its default changes nothing), while any change a reader
makes (a width, an activation, a layer, Adam's ``beta_1``) changes it.

The design does two jobs: :func:`fingerprint` digests it, with the data, budget and seed,
for the published weights and the cache's keys; :func:`rebuild` makes a fresh model from
it, which is how the library trains a reader's model seeded and in the precision it
chooses, and how a later lesson gets the model an earlier one introduced.

Examples
--------
>>> import keras
>>> inputs = keras.Input((2,))
>>> model = keras.Model(inputs, keras.layers.Dense(2, activation="elu")(inputs))
>>> model.compile(keras.optimizers.Adam(0.5), "mse")
>>> described = design(model)
>>> described["optimizer"], described["loss"]
({'class_name': 'Adam', 'config': {'learning_rate': 0.5}}, 'mean_squared_error')
>>> design(rebuild(described)) == described
True
"""

from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import asdict
from typing import Any

import keras
import numpy as np

from . import layers  # noqa: F401 - registers the article's custom layer, for rebuild()
from .budgets import Budget
from .i18n import _

__all__ = ["array_digest", "design", "fingerprint", "rebuild"]

#: Layer settings that never decide what a model computes.
_NEVER = ("name", "trainable")
#: What Keras notes of a layer once built or compiled: it follows from the rest.
_BUILT = ("config", "build_config", "compile_config")


def _plain(value: Any) -> Any:
    """A configuration as JSON holds it (tuples become lists)."""
    return json.loads(json.dumps(value, default=str))


def _required(layer: keras.layers.Layer) -> list[str]:
    """The settings a layer's class cannot do without (``units``, ``filters``...)."""
    parameters = inspect.signature(type(layer).__init__).parameters.items()
    return [
        name
        for name, p in parameters
        if name != "self"
        and p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def _defaults(layer: keras.layers.Layer, config: dict[str, Any]) -> dict[str, Any]:
    """The configuration of a layer of the same class with only its required settings."""
    try:
        required = {name: config[name] for name in _required(layer)}
        return _plain(type(layer)(**required).get_config())
    except Exception:  # noqa: BLE001 - a class we cannot instantiate: keep every setting
        return {}


def _layer_config(layer: keras.layers.Layer, config: dict[str, Any]) -> dict[str, Any]:
    if isinstance(layer, keras.layers.InputLayer):
        return {"batch_shape": config.get("batch_shape")}
    defaults, required = _defaults(layer, config), _required(layer)
    missing = [name for name in required if name not in config]
    if missing:
        raise ValueError(
            _("the layer {name!r} ({kind}) does not give its {missing} in get_config()").format(
                name=layer.name, kind=type(layer).__name__, missing=", ".join(missing)
            )
        )
    return {
        key: value
        for key, value in config.items()
        if key in required
        or (key not in _NEVER and (key not in defaults or defaults[key] != value))
    }


def _model_config(model: keras.Model, config: dict[str, Any]) -> dict[str, Any]:
    """A functional or sequential model's configuration, pruned layer by layer, with its
    layers' names replaced by their places (a sub-model keeps the name it was given)."""
    live = {layer.name: layer for layer in model.layers}
    places = {}
    for entry in config["layers"]:
        name = entry.get("name") or entry["config"].get("name")
        if entry["class_name"] not in ("Functional", "Sequential"):
            places.setdefault(name, f"layer_{len(places)}")
    entries = []
    for entry in config["layers"]:
        name = entry.get("name") or entry["config"].get("name")
        layer = live.get(name)
        if layer is None and entry["class_name"] == "InputLayer":
            pruned = {"batch_shape": entry["config"].get("batch_shape")}
        elif isinstance(layer, keras.Model):
            pruned = {**_model_config(layer, entry["config"]), "name": name}
            # Keras' public names for the two kinds of model, whatever module holds them.
            sequential = entry["class_name"] == "Sequential"
            entry = {**entry, "module": "keras", "registered_name": None}
            entry["class_name"] = "Sequential" if sequential else "Model"
        elif layer is not None:
            pruned = _layer_config(layer, entry["config"])
        else:
            raise ValueError(
                _("the layer {name!r} of {model!r} is not found").format(
                    name=name, model=model.name
                )
            )
        outside = {k: v for k, v in entry.items() if k not in _BUILT}
        entries.append({**_renamed(outside, places), "config": pruned})
    kept = {
        k: config[k] for k in ("input_layers", "output_layers", "build_input_shape") if k in config
    }
    for key in ("input_layers", "output_layers"):
        # One input or output: Keras 3.7 writes [[name, 0, 0]], 3.15 [name, 0, 0].
        if len(kept.get(key) or ()) == 1 and isinstance(kept[key][0], list):
            kept[key] = kept[key][0]
    return {"layers": entries, **_renamed(kept, places)}


def _renamed(node: Any, places: dict[str, str]) -> Any:
    """``node`` with every string that is a layer's name replaced by its place."""
    if isinstance(node, dict):
        return {k: _renamed(v, places) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, places) for v in node]
    return places.get(node, node) if isinstance(node, str) else node


def _pruned_object(obj: Any, config: dict[str, Any]) -> dict[str, Any]:
    """An optimizer or loss object: its class and the settings not at their defaults."""
    config = _plain(config)
    try:
        default = _plain(type(obj)().get_config())
    except Exception:  # noqa: BLE001 - no default instance: keep every setting
        default = {}
    pruned = {
        k: v for k, v in config.items() if k != "name" and (k not in default or default[k] != v)
    }
    return {"class_name": type(obj).__name__, "config": pruned}


def _loss(loss: Any) -> Any:
    if isinstance(loss, str):
        found = keras.losses.get(loss)
        return getattr(found, "__name__", loss)
    if callable(loss) and not isinstance(loss, keras.losses.Loss):
        return loss.__name__
    return _pruned_object(loss, loss.get_config())


def design(model: keras.Model) -> dict[str, Any]:
    """The design of a compiled model: ``{"architecture", "optimizer", "loss"}``.

    Raises
    ------
    ValueError
        When the model is not compiled, or Keras cannot describe one of its layers (a
        custom layer needs ``get_config``: see Keras' serialization guide).
    """
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError(
            _(
                "the model {name!r} is not compiled: call model.compile(optimizer, loss) "
                "before training it."
            ).format(name=model.name)
        )
    try:
        config = _plain(model.get_config())
        architecture = {
            "class_name": "Sequential" if isinstance(model, keras.Sequential) else "Model",
            "config": _model_config(model, config),
        }
    except (KeyError, NotImplementedError, TypeError, ValueError) as err:
        raise ValueError(
            _(
                "the model {name!r} cannot be described from its configuration ({err}); custom "
                "layers need get_config (see Keras' serialization guide)."
            ).format(name=model.name, err=err)
        ) from err
    optimizer = _pruned_object(model.optimizer, model.optimizer.get_config())
    return {"architecture": architecture, "optimizer": optimizer, "loss": _loss(model.loss)}


def rebuild(described: dict[str, Any], name: str = "model") -> keras.Model:
    """A fresh model of a design, called ``name``, compiled with its optimizer and loss.

    Its weights are new (drawn from Keras' seeded generators); its layers compute in the
    dtype policy in force (mixed bfloat16, say).
    """
    # Keras' deserializers take their argument apart: each gets a copy.
    described = _plain(described)
    architecture = described["architecture"]
    cls = keras.Sequential if architecture["class_name"] == "Sequential" else keras.Model
    model = cls.from_config({**architecture["config"], "name": name})
    loss = described["loss"]
    if isinstance(loss, dict):
        loss = keras.losses.deserialize(loss)
    model.compile(optimizer=keras.optimizers.deserialize(described["optimizer"]), loss=loss)
    return model


def array_digest(array: np.ndarray | None) -> str | None:
    """An array's dtype, shape and sha256: what a fingerprint knows of the data.

    Examples
    --------
    >>> array_digest(np.zeros((2, 3), "float32"))[:18]
    '<f4[2, 3]:9d908ecf'
    """
    if array is None:
        return None
    array = np.ascontiguousarray(array)
    digest = hashlib.sha256(array.view(np.uint8).reshape(-1)).hexdigest()
    return f"{array.dtype.str}{list(array.shape)}:{digest}"


def fingerprint(
    described: dict[str, Any],
    x: np.ndarray,
    y: np.ndarray,
    validation: tuple[np.ndarray, np.ndarray] | None,
    budget: Budget,
    seed: int,
) -> dict[str, Any]:
    """Everything that decides a trained model, and ``"sha256"``, the digest of it all.

    Published weights match a training when their digests are equal; the other entries
    say what differs when they do not.
    """
    parts = {
        **described,
        "x": array_digest(x),
        "y": "x" if y is x else array_digest(y),
        "validation": None if validation is None else [array_digest(a) for a in validation],
        "budget": asdict(budget),
        "seed": seed,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return {**parts, "sha256": hashlib.sha256(text.encode()).hexdigest()}
