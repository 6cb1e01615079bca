"""What trains: the GPUs Keras sees, the CPU, and whether either computes bfloat16 natively."""

from __future__ import annotations

import contextlib
import functools
import os
import platform
from collections.abc import Iterator
from pathlib import Path

import keras

from ._checks import setting
from .i18n import _, ngettext

__all__ = [
    "PRECISION_ENV_VAR",
    "backend_version",
    "cpu_flags",
    "describe_device",
    "device_fields",
    "dtype_policy",
    "gpu_names",
    "native_bfloat16",
    "resolve_precision",
]

#: CPU features that compute bfloat16 matrix products in hardware (Intel AMX, AVX-512 BF16).
BFLOAT16_CPU_FLAGS = ("amx_bf16", "avx512_bf16")


def backend_version() -> str:
    """Keras' backend and its version, e.g. ``"tensorflow 2.21.0"``."""
    backend = keras.backend.backend()
    module = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}.get(backend)
    if module is None:
        return backend
    return f"{backend} {__import__(module).__version__}"


@functools.cache
def gpu_names() -> tuple[str, ...]:
    """The names of the GPUs that Keras' backend sees (empty on a CPU-only machine)."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return tuple(
            tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
            for gpu in tf.config.list_physical_devices("GPU")
        )
    if backend == "jax":
        import jax

        return tuple(d.device_kind for d in jax.devices() if d.platform == "gpu")
    if backend == "torch":
        import torch

        return tuple(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
    return ()


def _cpuinfo_field(name: str) -> str | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    return None


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as Linux reports them (empty where it does not)."""
    return frozenset((_cpuinfo_field("flags") or "").split())


def _gpu_compute_capability() -> tuple[int, int] | None:
    backend = keras.backend.backend()
    with contextlib.suppress(Exception):
        if backend == "tensorflow":
            import tensorflow as tf

            gpus = tf.config.list_physical_devices("GPU")
            if gpus:
                details = tf.config.experimental.get_device_details(gpus[0])
                return tuple(details.get("compute_capability", (0, 0)))
        elif backend == "jax":
            import jax

            gpus = [d for d in jax.devices() if d.platform == "gpu"]
            if gpus:
                major, minor = str(gpus[0].compute_capability).split(".")
                return int(major), int(minor)
    return None


def native_bfloat16() -> bool:
    """Whether the device that trains computes bfloat16 in hardware.

    A GPU of compute capability 8.0 or newer (Ampere, Hopper) does; a CPU does with AMX or
    AVX-512 BF16. Elsewhere bfloat16 is emulated, slower than float32.
    """
    if gpu_names():
        capability = _gpu_compute_capability()
        return capability is not None and capability >= (8, 0)
    return bool(cpu_flags() & set(BFLOAT16_CPU_FLAGS))


def device_fields(precision: str = "float32") -> dict:
    """What trains, as data: ``{"gpus": [...]}`` or ``{"cpu": name, "cores": n}``, and the
    precision it trains in (worded by :func:`describe_device`, in the library's language).

    Examples
    --------
    >>> device_fields()  # doctest: +SKIP
    {'cpu': 'AMD EPYC', 'cores': 2, 'precision': 'float32'}
    """
    gpus = gpu_names()
    if gpus:
        return {"gpus": list(gpus), "precision": precision}
    name = _cpuinfo_field("model name") or platform.processor() or platform.machine()
    return {"cpu": name, "cores": os.cpu_count(), "precision": precision}


def describe_device(fields: dict | None = None) -> str:
    """What trains (:func:`device_fields`, by default this machine's), in words.

    Examples
    --------
    >>> describe_device({"cpu": "AMD EPYC", "cores": 2, "precision": "mixed_bfloat16"})
    'CPU (AMD EPYC, 2 cores), in mixed bfloat16'
    """
    fields = device_fields() if fields is None else fields
    if fields.get("gpus"):
        words = "GPU (" + ", ".join(fields["gpus"]) + ")"
    else:
        cores = fields["cores"]
        words = ngettext("CPU ({name}, {cores} core)", "CPU ({name}, {cores} cores)", cores)
        words = words.format(name=fields["cpu"], cores=cores)
    if fields.get("precision", "float32") != "float32":
        words = _("{device}, in mixed bfloat16").format(device=words)
    return words


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
    return setting(precision, PRECISION_ENV_VAR, PRECISIONS, _("precision"), _hardware_precision)


def _hardware_precision() -> str:
    return "mixed_bfloat16" if native_bfloat16() else "float32"


@contextlib.contextmanager
def dtype_policy(precision: str) -> Iterator[None]:
    """Build models in ``precision`` for a while (Keras' global dtype policy)."""
    previous = keras.config.dtype_policy().name
    keras.config.set_dtype_policy(precision)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)
