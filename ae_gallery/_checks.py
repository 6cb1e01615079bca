"""Input checks shared by the measuring and plotting functions."""

from __future__ import annotations

import numpy as np


def as_array(
    values, name: str, *, ndim: int | None = None, width: int | None = None, min_rows: int = 1
) -> np.ndarray:
    """Check that ``values`` is a finite numeric array of the expected shape."""
    array = np.asarray(values)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must be a numeric array; got dtype {array.dtype}.")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s); got shape {array.shape}.")
    if width is not None and array.shape[-1] != width:
        raise ValueError(
            f"{name} must have shape (N, {width}) (one row per point); got shape {array.shape}."
        )
    if len(array) < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} row(s); got {len(array)}.")
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or infinite values.")
    return array
