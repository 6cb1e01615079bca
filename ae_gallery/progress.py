"""What a training says while it runs: its epochs, and how long the whole of it will take.

Progress goes where the reader looks: a notebook's cell or the terminal (``sys.stderr``),
or, when :data:`PROGRESS_ENV_VAR` says ``console``, the process' own stderr, past anything
that captures ``sys.stderr`` (the site's build does, so that pages show no progress).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from .budgets import Budget
from .compiled_loops import Progress, batches_per_epoch
from .i18n import _, number

__all__ = ["PROGRESS_ENV_VAR", "console", "format_seconds", "progress"]

PROGRESS_ENV_VAR = "AE_GALLERY_PROGRESS"


def format_seconds(seconds: float) -> str:
    """A duration as the pages print it: ``"6.7 s"``, ``"7 min 56 s"``, ``"2 h 41 min"``
    (in Russian ``"6,7 с"``...)."""
    if seconds < 60:
        return _("{seconds} s").format(seconds=number(seconds, ".1f"))
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=f"{secs:02d}")
    hours, minutes = divmod(minutes, 60)
    return _("{hours} h {minutes} min").format(hours=number(hours), minutes=f"{minutes:02d}")


def console() -> TextIO | None:
    """Where progress goes (see the module's docstring)."""
    return sys.__stderr__ if os.environ.get(PROGRESS_ENV_VAR) == "console" else sys.stderr


def progress(name: str, budget: Budget, asked: Budget, rows: int) -> Progress:
    """Report epochs (and steps of long epochs) as a training goes; after the first epoch,
    how long the whole training will take, and the budget asked for if it is longer."""
    started = last = time.perf_counter()
    first = 0.0  # seconds the first epoch took

    def write(text: str) -> None:
        stream = console()
        if stream is not None:
            stream.write(f"[ae_gallery] {text}\n")
            stream.flush()

    def epoch_end(epoch: int, epochs: int, logs: dict[str, float]) -> None:
        nonlocal last, first
        now = time.perf_counter()
        if epoch == 1:
            first = now - started
        # The first epoch also compiles the training: when it is short, the second one
        # tells the pace better, and the estimate waits for it.
        if (epoch == 1 and (epochs == 1 or first >= 20)) or (epoch == 2 and first < 20):
            pace = (now - started - first) if epoch == 2 else first  # seconds an epoch
            steps = batches_per_epoch(rows, budget.batch_size, budget.steps_per_epoch)
            total = first + pace * (epochs - 1)
            text = _(
                "{name}: epoch 1 of {epochs} took {time} (compiling included); the whole "
                "training: about {total}"
            ).format(
                name=name, epochs=epochs, time=format_seconds(first), total=format_seconds(total)
            )
            if asked != budget:
                full = first + pace / steps * (_steps(asked, rows) - steps)
                text += _(
                    "; all {asked} the fit asks for: about {full} (AE_GALLERY_PROFILE=full)"
                ).format(asked=asked.describe(), full=format_seconds(full))
            write(text)
        if now - last < 5 and epoch != epochs:
            return
        last = now
        losses = ", ".join(f"{k} {number(v, '.4g')}" for k, v in logs.items())
        write(
            _("{name}: epoch {epoch}/{epochs}, {losses}, {time}").format(
                name=name,
                epoch=epoch,
                epochs=epochs,
                losses=losses,
                time=format_seconds(now - started),
            )
        )

    def heartbeat(epoch: int, epochs: int, step: int, steps: int) -> None:
        elapsed = format_seconds(time.perf_counter() - started)
        write(
            _("{name}: epoch {epoch}/{epochs}, step {step}/{steps}, {time}").format(
                name=name, epoch=epoch, epochs=epochs, step=step, steps=steps, time=elapsed
            )
        )

    return Progress(epoch_end=epoch_end, heartbeat=heartbeat)


def _steps(budget: Budget, rows: int) -> int:
    """The steps of a whole training under ``budget`` on ``rows`` rows."""
    return budget.epochs * batches_per_epoch(rows, budget.batch_size, budget.steps_per_epoch)
