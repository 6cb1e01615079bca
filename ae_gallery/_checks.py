"""Checks shared by the library: arrays given to measures and figures, and settings."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from .i18n import _


def as_array(
    values, name: str, *, ndim: int | None = None, width: int | None = None, min_rows: int = 1
) -> np.ndarray:
    """Check that ``values`` is a finite numeric array of the expected shape."""
    array = np.asarray(values)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(
            _("{name} must be a numeric array; got dtype {dtype}.").format(
                name=name, dtype=array.dtype
            )
        )
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            _("{name} must have {ndim} dimension(s); got shape {shape}.").format(
                name=name, ndim=ndim, shape=array.shape
            )
        )
    if width is not None and array.shape[-1] != width:
        raise ValueError(
            _("{name} must have shape (N, {width}) (one row per point); got shape {shape}.").format(
                name=name, width=width, shape=array.shape
            )
        )
    if len(array) < min_rows:
        raise ValueError(
            _("{name} needs at least {min_rows} row(s); got {rows}.").format(
                name=name, min_rows=min_rows, rows=len(array)
            )
        )
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(_("{name} holds NaN or infinite values.").format(name=name))
    return array


def same_shape(a: np.ndarray, b: np.ndarray, names: str) -> None:
    """Refuse two arrays of different shapes; ``names`` reads like ``"a and b"``."""
    if a.shape != b.shape:
        raise ValueError(
            _("{names} must have the same shape; got {a} and {b}.").format(
                names=names, a=a.shape, b=b.shape
            )
        )


def setting(
    value: str | None,
    env_var: str,
    valid: tuple[str, ...],
    what: str,
    default: Callable[[], str],
    meanings: str = "",
) -> str:
    """A setting from its argument, else its environment variable, else ``default()``.

    Raises
    ------
    ValueError
        For a value not in ``valid``: the message says where it came from and lists the
        valid ones (and ``meanings``, a sentence on what they mean).
    """
    source = _("the function's argument")
    if value is None:
        value = os.environ.get(env_var) or None
        source = _("the environment variable {name}").format(name=env_var)
    if value is None:
        return default()
    if value not in valid:
        raise ValueError(
            _("Unknown {what} {value!r} (from {source}). Valid values: {valid}.").format(
                what=what, value=value, source=source, valid=", ".join(valid)
            )
            + (" " + meanings if meanings else "")
        )
    return value
