"""Sessions: ``nox -s tests``, ``nox -s lint`` (and the docs and benchmark sessions).

Every session installs what it needs into its own virtual environment. TensorFlow makes
those environments large (about 2.5 GB), so they are kept between runs (``reuse_venv``)
and built with uv when it is installed (its wheel cache makes a second environment cheap).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]

PYTHON = "3.11"
ROOT = Path(__file__).parent
BUILD = ROOT / "docs" / "_build"
LANGUAGES = ("en",)


def _has_nvidia_gpu() -> bool:
    if shutil.which("nvidia-smi") is None:
        return False
    return subprocess.run(["nvidia-smi", "-L"], capture_output=True).returncode == 0


def _docs_options(posargs: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="nox -s docs --")
    parser.add_argument(
        "--profile",
        choices=("full", "quick", "smoke"),
        help="training budget (default: full with a GPU, else quick)",
    )
    return parser.parse_known_args(posargs)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest): smoke budgets, no network."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs, env={"AE_GALLERY_PROFILE": "smoke"})


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html: `nox -s docs -- --profile full|quick|smoke`."""
    options, sphinx_args = _docs_options(session.posargs)
    extras = "docs,gpu" if _has_nvidia_gpu() else "docs"
    session.install("-e", f".[{extras}]")
    env = {"MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
    if options.profile:
        env["AE_GALLERY_PROFILE"] = options.profile
    for language in LANGUAGES:
        session.run(
            "sphinx-build",
            "-W",
            "--keep-going",
            "-b",
            "html",
            "-D",
            f"language={language}",
            "-d",
            str(BUILD / "doctrees" / language),
            "docs",
            str(BUILD / "html" / language),
            *sphinx_args,
            env=env,
        )
    (BUILD / "html" / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=en/index.html">'
        "<title>ae-gallery</title></head>"
        '<body><a href="en/index.html">ae-gallery</a></body></html>\n'
    )
    session.log(f"Site built: {BUILD / 'html' / 'index.html'}")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Plain model.fit against ae_gallery's training loops, side by side; prints a table."""
    session.install("-e", ".")
    session.run(
        "python", "benchmarks/bench.py", *session.posargs, env={"TF_CPP_MIN_LOG_LEVEL": "2"}
    )
