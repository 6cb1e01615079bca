"""An interrupted training resumes where it stopped, and ends as an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from ae_gallery import data, loops, recipes, resume, training


def _train(name, cache: Path, monkeypatch, **options):
    monkeypatch.setenv("AE_GALLERY_CACHE", str(cache))
    return training.train(name, profile="smoke", verbose=False, **options)


def _weights(run) -> list[np.ndarray]:
    return [np.asarray(w) for w in run.model.get_weights()]


def _interrupt_at(epoch: int, monkeypatch) -> None:
    """Make the next training stop with Ctrl-C (KeyboardInterrupt) after ``epoch`` epochs."""
    real = training.progress

    def progress(*args):
        console = real(*args)

        def epoch_end(done, epochs, logs):
            console.epoch_end(done, epochs, logs)
            if done == epoch:
                raise KeyboardInterrupt

        return loops.Progress(epoch_end=epoch_end, heartbeat=console.heartbeat)

    monkeypatch.setattr(training, "progress", progress)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    cache = tmp_path_factory.mktemp("uninterrupted")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _train("deep_ae", cache, monkeypatch)


@pytest.mark.slow
@pytest.mark.fault(
    "A training interrupted after epoch k (Ctrl-C)",
    'The next run with the same key says "resuming deep_ae at epoch k+1 of 60", goes on '
    "from the last completed epoch (weights, optimizer state, random stream) and ends with "
    "the weights of an uninterrupted run.",
)
def test_ctrl_c_then_resume_ends_as_uninterrupted(tmp_path, monkeypatch, capfd, uninterrupted):
    with monkeypatch.context() as interrupted:
        _interrupt_at(20, interrupted)
        with pytest.raises(KeyboardInterrupt):
            _train("deep_ae", tmp_path, monkeypatch)
    assert resume.path_for(tmp_path, uninterrupted.key).is_file()
    capfd.readouterr()
    run = _train("deep_ae", tmp_path, monkeypatch)
    assert "resuming deep_ae at epoch 21 of 60" in capfd.readouterr().err
    assert run.history["loss"] == pytest.approx(uninterrupted.history["loss"], rel=1e-6)
    for a, b in zip(_weights(uninterrupted), _weights(run), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)
    # Stored in the cache: the resume point is gone, the next run loads.
    assert not resume.path_for(tmp_path, run.key).exists()
    assert _train("deep_ae", tmp_path, monkeypatch).from_cache


@pytest.mark.slow
@pytest.mark.fault(
    "A resume point that is truncated",
    'A warning ("resume point ... unusable"); it is deleted and the training starts from '
    "the beginning.",
)
def test_a_damaged_resume_point_is_reported_and_ignored(
    tmp_path, monkeypatch, capfd, uninterrupted
):
    with monkeypatch.context() as interrupted:
        _interrupt_at(20, interrupted)
        with pytest.raises(KeyboardInterrupt):
            _train("deep_ae", tmp_path, monkeypatch)
    point = resume.path_for(tmp_path, uninterrupted.key)
    point.write_bytes(point.read_bytes()[: point.stat().st_size // 2])
    with pytest.warns(UserWarning, match="resume point .* unusable.*from the beginning"):
        run = _train("deep_ae", tmp_path, monkeypatch)
    assert "resuming" not in capfd.readouterr().err
    for a, b in zip(_weights(uninterrupted), _weights(run), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)


#: The overfitting lesson's points, repeated a quarter as often as its recipe repeats them:
#: epochs long enough to kill one midway, a training of seconds.
REPEATS = 1000

KILLED = textwrap.dedent(
    f"""
    from ae_gallery import data, recipes, resume, training
    resume.EVERY_SECONDS = 0  # a resume point after every epoch
    dots = data.overfit_training_set(data.make_sine_data(), repeats={REPEATS})
    training.train(
        "overfit_ae", data=recipes.TrainingData(dots, dots), profile="smoke", verbose=False
    )
    """
)


@pytest.mark.slow
@pytest.mark.fault(
    "A training killed (SIGKILL) after some epochs",
    "The next run resumes from the last resume point written and ends with the weights of "
    "an uninterrupted run.",
)
def test_killed_then_resumed_ends_as_uninterrupted(tmp_path, monkeypatch, capfd):
    env = dict(os.environ, AE_GALLERY_CACHE=str(tmp_path), TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.Popen([sys.executable, "-c", KILLED], env=env)
    deadline = time.time() + 240
    while not list(tmp_path.glob("*.resume.npz")):  # some epochs done
        assert proc.poll() is None, "the training ended before it could be killed"
        assert time.time() < deadline, "no resume point was written"
        time.sleep(0.2)
    time.sleep(2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    capfd.readouterr()
    dots = data.overfit_training_set(data.make_sine_data(), repeats=REPEATS)
    resumed = _train("overfit_ae", tmp_path, monkeypatch, data=recipes.TrainingData(dots, dots))
    console = capfd.readouterr().err
    assert "resuming overfit_ae at epoch" in console, console
    reference = _train(
        "overfit_ae", tmp_path / "reference", monkeypatch, data=recipes.TrainingData(dots, dots)
    )
    assert not reference.from_cache
    for a, b in zip(_weights(reference), _weights(resumed), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
