"""How the live parts' data reaches a page: arrays in base64, inside a script.

A page opened from disk may load a script but not fetch a file, and JSON has no arrays of
float32: no format of the standard library or of Sphinx does both.

Examples
--------
>>> read_array(array([[1.5, 2.0]])).tolist()
[[1.5, 2.0]]
>>> read_script(script("demo", "x", {"a": 1}))
{'a': 1}
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

__all__ = ["ACTIVATIONS", "array", "read_array", "read_script", "script"]

#: The activations the page's forward pass computes (``docs/_static/ae-nn.js``), by name.
ACTIVATIONS = ("linear", "relu", "elu", "sigmoid")


def array(values: Any, dtype: str = "float32") -> dict[str, Any]:
    """An array as the page reads it: its shape, dtype and little-endian bytes in base64."""
    values = np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
    encoded = base64.b64encode(values.tobytes()).decode("ascii")
    return {"shape": list(values.shape), "dtype": np.dtype(dtype).name, "data": encoded}


def read_array(entry: dict[str, Any]) -> np.ndarray:
    """The array that :func:`array` wrote."""
    flat = np.frombuffer(
        base64.b64decode(entry["data"]), np.dtype(entry["dtype"]).newbyteorder("<")
    )
    return flat.reshape(entry["shape"]).astype(entry["dtype"])


def script(registry: str, name: str, content: dict[str, Any]) -> str:
    """A script that registers ``content`` under ``name`` in ``window.<registry>``."""
    payload = json.dumps(content, separators=(",", ":"), sort_keys=True)
    return (
        f"/* ae-gallery: the data of {name!r}, written by the site's build. */\n"
        f"(window.{registry} = window.{registry} || {{}})[{json.dumps(name)}] = {payload};\n"
    )


def read_script(text: str) -> dict[str, Any]:
    """The data that :func:`script` wrote (for tests)."""
    return json.loads(text[text.index("] = ") + 4 :].rstrip().rstrip(";"))
