"""Plain ``model.fit`` against ``ae_gallery``'s training loops, side by side, model by model.

For each of the article's models: the same seeded initial weights, the same optimizer and
loss, the same rows and batch size, trained for the same number of epochs of the same
number of steps, once with ``model.fit`` as the article calls it and once with
:func:`ae_gallery.loops.fit_arrays`. Speed is measured in steps per second over the epochs
after the first (which includes compilation); the final loss is the last epoch's mean.

Run it with ``nox -s bench`` (or ``python benchmarks/bench.py``); ``--scale 2`` trains
twice as many steps, ``--models conv_ae overfit_ae`` picks models, ``--seeds 3`` repeats
each run with three seeds and gives the losses as mean +- standard deviation, so that the
gap between the two columns can be read against run-to-run noise. ``--overfit-full``
afterwards trains the overfitting demo's whole budget (200 epochs of 6,667 steps) with
``ae_gallery``'s training and prints its time.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from ae_gallery import data, loops, models, training  # noqa: E402


def _sine():
    return data.make_sine_data().dots, None


def _overfit():
    return data.overfit_training_set(data.make_sine_data()), None


def _mnist():
    (x_train, _), _ = data.load_mnist()
    return x_train, None


def _mnist_labelled():
    (x_train, y_train), _ = data.load_mnist()
    return x_train, y_train


# name: (build, loader of (x, labels or None), optimizer factory, loss, batch, steps per epoch)
CASES = {
    "linear_ae": (models.linear_ae, _sine, lambda: keras.optimizers.Adam(0.01), "mse", 30, 34),
    "deep_ae": (models.deep_ae, _sine, lambda: keras.optimizers.Adam(0.003), "mse", 30, 34),
    "overfit_ae": (
        models.deep_ae,
        _overfit,
        lambda: keras.optimizers.Adam(0.0003),
        "mse",
        15,
        2000,
    ),
    "conv_ae": (
        lambda: models.deep_conv_ae().autoencoder,
        _mnist,
        lambda: keras.optimizers.Adam(),
        "binary_crossentropy",
        256,
        4,
    ),
    "sparse_ae": (
        lambda: models.deep_sparse_ae(0.0).autoencoder,
        _mnist,
        lambda: keras.optimizers.Adam(0.0003),
        "binary_crossentropy",
        64,
        300,
    ),
    "sparse_ae_l1": (
        lambda: models.deep_sparse_ae(1e-5).autoencoder,
        _mnist,
        lambda: keras.optimizers.Adam(0.0003),
        "binary_crossentropy",
        256,
        100,
    ),
    "digit_classifier": (
        models.digit_classifier,
        _mnist_labelled,
        lambda: keras.optimizers.Adam(),
        "sparse_categorical_crossentropy",
        128,
        40,  # 120 steps in all: enough for the library to time XLA against plain kernels
    ),
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


def run_case(name: str, epochs: int, scale: float, seed: int = 0) -> dict:
    build, load, optimizer, loss, batch_size, steps = CASES[name]
    steps = max(1, round(steps * scale))
    x, y = load()
    x = x[: steps * batch_size]
    y = x if y is None else y[: steps * batch_size]

    keras.utils.set_random_seed(seed)
    plain = build()
    plain.compile(optimizer=optimizer(), loss=loss)
    clock = _EpochClock()
    start = time.perf_counter()
    history = plain.fit(
        x, y, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0, callbacks=[clock]
    )
    plain_rate = _steady_rate(start, clock.ends, steps)
    plain_loss = history.history["loss"][-1]

    keras.utils.set_random_seed(seed)
    fast = build()
    fast.compile(optimizer=optimizer(), loss=loss)
    ends: list[float] = []
    start = time.perf_counter()
    fast_history = loops.fit_arrays(
        fast,
        x,
        y,
        batch_size=batch_size,
        epochs=epochs,
        seed=seed,
        progress=lambda *_: ends.append(time.perf_counter()),
    )
    fast_rate = _steady_rate(start, ends, steps)
    fast_loss = fast_history["loss"][-1]
    return {
        "model": name,
        "steps": steps * epochs,
        "batch": batch_size,
        "plain": plain_rate,
        "fast": fast_rate,
        "ratio": fast_rate / plain_rate,
        "plain_loss": plain_loss,
        "fast_loss": fast_loss,
    }


def _loss_text(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.4g}"
    return f"{np.mean(values):.4g} +- {np.std(values, ddof=1):.2g}"


def overfit_full_budget() -> None:
    """Train the overfitting demo's whole budget as the site does, and time it."""
    budget = training.BUDGETS["overfit_ae"]["full"]
    x = data.overfit_training_set(data.make_sine_data(), repeats=4000)
    keras.utils.set_random_seed(0)
    model = models.deep_ae()
    model.compile(optimizer=keras.optimizers.Adam(0.0003), loss="mse")
    start = time.perf_counter()
    history = loops.fit_arrays(
        model, x, x, batch_size=budget.batch_size, epochs=budget.epochs, seed=0
    )
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
    parser.add_argument("--models", nargs="+", choices=list(CASES), default=list(CASES))
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

    print(
        f"device: {training.describe_device()}; Keras {keras.__version__}, "
        f"{training._backend_version()}, Python {platform.python_version()}"
    )
    print(
        f"each model: {args.epochs} epochs; speed over epochs 2-{args.epochs}; "
        f"loss = mean of the last epoch"
        + (f"; {args.seeds} seeds: mean +- sd" if args.seeds > 1 else "")
        + "\n"
    )
    header = (
        "| model | steps | batch | plain fit (steps/s) | ae_gallery (steps/s) | "
        "ratio | plain fit loss | ae_gallery loss |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.models:
        rows = [run_case(name, args.epochs, args.scale, seed) for seed in range(args.seeds)]
        plain = float(np.median([row["plain"] for row in rows]))
        fast = float(np.median([row["fast"] for row in rows]))
        print(
            f"| {name} | {rows[0]['steps']} | {rows[0]['batch']} | {plain:.1f} | "
            f"{fast:.1f} | {fast / plain:.1f}x | "
            f"{_loss_text([row['plain_loss'] for row in rows])} | "
            f"{_loss_text([row['fast_loss'] for row in rows])} |",
            flush=True,
        )
    if args.overfit_full:
        overfit_full_budget()


if __name__ == "__main__":
    main()
