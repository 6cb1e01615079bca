"""Keras' ``fit``, plain and tuned, against ``ae_gallery``'s training, side by side.

For each model the site trains (its lesson's layers, optimizer and loss, as published: the
same seeded initial weights), the same rows and batch size, trained for the same epochs of
the same steps, four times:

* ``model.fit`` as the article calls it;
* ``model.fit`` tuned as a speed-minded user would: ``steps_per_execution`` = the steps of
  an epoch (one compiled call per epoch);
* the same with ``jit_compile=True`` (XLA);
* :func:`ae_gallery.loops.fit_arrays`, which times its ways first and trains with the
  fastest (the console names the way and its rate).

Speed is measured in steps per second over the epochs after the first (which includes
compilation); the final loss is the last epoch's mean. The table names the CPU it ran on:
ratios differ from one CPU to another.

Run it with ``nox -s bench`` (or ``python benchmarks/bench.py``); ``--scale 2`` trains twice
as many steps, ``--models conv_ae overfit_ae`` picks models, ``--seeds 3`` repeats each run
with three seeds and gives the losses as mean +- standard deviation. ``--overfit-full``
afterwards trains the overfitting demo's whole budget with ``ae_gallery`` and prints its
time. Every column trains in the precision the library would choose here
(``AE_GALLERY_PRECISION=float32|mixed_bfloat16`` to choose another).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from ae_gallery import device, loops, published, recipes, training  # noqa: E402
from ae_gallery.budgets import Budget  # noqa: E402

#: Steps per epoch for each recipe: enough to measure, short enough for a run of minutes.
STEPS = {
    "linear_ae": 34,
    "deep_ae": 34,
    "overfit_ae": 2000,
    "conv_ae": 4,
    "sparse_ae": 300,
    "sparse_ae_l1": 100,
    "digit_classifier": 40,
}

#: The three ways of calling Keras' fit: (column, compile options per steps of an epoch).
FITS = {
    "fit": lambda steps: {},
    "fit_spe": lambda steps: {"steps_per_execution": steps},
    "fit_spe_xla": lambda steps: {"steps_per_execution": steps, "jit_compile": True},
}


class _EpochClock(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.ends: list[float] = []

    def on_epoch_end(self, epoch, logs=None):
        self.ends.append(time.perf_counter())


def _steady_rate(start: float, ends: list[float], steps: int) -> float:
    """Steps per second over the epochs after the first."""
    times = [start, *ends]
    return steps * (len(ends) - 1) / (times[-1] - times[1])


def _fresh_model(name: str, seed: int, **compile_options) -> keras.Model:
    """The model as its lesson builds and compiles it, with seeded initial weights."""
    keras.utils.set_random_seed(seed)
    model = training.untrained(name)
    model.compile(optimizer=model.optimizer, loss=model.loss, **compile_options)
    return model


def _batch_size(name: str) -> int:
    """The batch size the lesson's fit call asks for."""
    return published.design_of(name)["budget"]["batch_size"]


def run_case(name: str, epochs: int, scale: float, seed: int = 0) -> dict:
    batch_size = _batch_size(name)
    steps = max(1, round(STEPS[name] * scale))
    data = recipes.get(name).data()
    x = data.x[: steps * batch_size]
    y = data.y[: steps * batch_size]
    row = {"model": name, "steps": steps * epochs, "batch": batch_size}
    for column, options in FITS.items():
        model = _fresh_model(name, seed, **options(steps))
        clock = _EpochClock()
        start = time.perf_counter()
        history = model.fit(
            x, y, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0, callbacks=[clock]
        )
        row[column] = _steady_rate(start, clock.ends, steps)
        row[f"{column}_loss"] = history.history["loss"][-1]
    model = _fresh_model(name, seed)
    ends: list[float] = []
    start = time.perf_counter()
    clock = loops.Progress(epoch_end=lambda *_: ends.append(time.perf_counter()))
    history = loops.fit_arrays(model, x, y, Budget(epochs, batch_size), seed=seed, progress=clock)
    row["ae_gallery"] = _steady_rate(start, ends, steps)
    row["ae_gallery_loss"] = history["loss"][-1]
    return row


def _rate_text(rate: float) -> str:
    """Steps per second with as many digits as they mean: 0.33, 17.6, 1,520."""
    return f"{rate:.2f}" if rate < 10 else f"{rate:.1f}" if rate < 100 else f"{rate:,.0f}"


def _loss_text(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.4g}"
    return f"{np.mean(values):.4g} +- {np.std(values, ddof=1):.2g}"


def overfit_full_budget() -> None:
    """Train the overfitting demo's whole budget as the site does, and time it."""
    budget = Budget(**published.design_of("overfit_ae")["budget"])
    x = recipes.get("overfit_ae").data().x
    model = _fresh_model("overfit_ae", 0)
    start = time.perf_counter()
    history = loops.fit_arrays(model, x, x, budget, seed=0)
    seconds = time.perf_counter() - start
    per_epoch = -(-len(x) // budget.batch_size)  # the last, smaller batch counts
    steps = budget.epochs * per_epoch
    print(
        f"\noverfit demo, full budget: {budget.epochs} epochs x {per_epoch} "
        f"steps of {budget.batch_size} = {steps:,} steps in {seconds:.0f} s "
        f"({steps / seconds:.0f} steps/s); final loss {history['loss'][-1]:.3g}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=list(STEPS), default=list(STEPS))
    parser.add_argument("--epochs", type=int, default=3, help="epochs per run (>= 2)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply steps per epoch")
    parser.add_argument("--seeds", type=int, default=1, help="runs per model, seeds 0..N-1")
    parser.add_argument(
        "--overfit-full", action="store_true", help="also time the overfit demo's full budget"
    )
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1.")
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch includes compilation.")

    precision = device.resolve_precision()
    keras.config.set_dtype_policy(precision)
    print(
        f"device: {device.describe_device()}; Keras {keras.__version__}, "
        f"{device.backend_version()}, Python {platform.python_version()}; precision "
        f"{precision} (native bfloat16: {device.native_bfloat16()})"
    )
    print(
        f"each model: {args.epochs} epochs; speed over epochs 2-{args.epochs}; "
        f"loss = mean of the last epoch"
        + (f"; {args.seeds} seeds: median speed, loss mean +- sd" if args.seeds > 1 else "")
        + "\n"
    )
    columns = [*FITS, "ae_gallery"]
    print(
        "| model | steps | batch | fit | fit, spe | fit, spe + XLA | ae_gallery | "
        "vs best fit | fit loss | ae_gallery loss |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.models:
        rows = [run_case(name, args.epochs, args.scale, seed) for seed in range(args.seeds)]
        rate = {c: float(np.median([row[c] for row in rows])) for c in columns}
        best_fit = max(rate[c] for c in FITS)
        print(
            f"| {name} | {rows[0]['steps']} | {rows[0]['batch']} | "
            + " | ".join(_rate_text(rate[c]) for c in columns)
            + f" | {rate['ae_gallery'] / best_fit:.1f}x | "
            f"{_loss_text([row['fit_loss'] for row in rows])} | "
            f"{_loss_text([row['ae_gallery_loss'] for row in rows])} |",
            flush=True,
        )
    if args.overfit_full:
        overfit_full_budget()


if __name__ == "__main__":
    main()
