"""Sessions: ``nox -s tests``, ``nox -s lint`` (and the docs and benchmark sessions).

Every session installs what it needs into its own virtual environment. TensorFlow makes
those environments large (about 2.5 GB), so they are kept between runs (``reuse_venv``)
and built with uv when it is installed (its wheel cache makes a second environment cheap).
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]

PYTHON = "3.11"


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
