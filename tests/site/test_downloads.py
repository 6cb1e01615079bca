"""The downloads run: every notebook of the built site executes top to bottom in a fresh
kernel, and every Python script with ``python file.py``, at the smoke budget, from a folder
outside the repository, as a reader would run what they downloaded."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import COUNTS, site_languages, site_root

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 900  # seconds per script or notebook; at the smoke budget they take under a minute


def _downloads(suffix: str) -> list[tuple[str, list[Path]]]:
    """The site's downloadable files of one kind, one entry per distinct content.

    The downloads are the same bytes in every language (they stay English): each is run once,
    and the test names the languages it stands for.
    """
    root = site_root()
    if root is None:
        return []
    by_content: dict[str, list[Path]] = {}
    for lang in site_languages():
        for path in sorted((root / lang / "_downloads").glob(f"*/*{suffix}")):
            by_content.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), []).append(path)
    items = []
    names = [paths[0].name for paths in by_content.values()]
    for paths in by_content.values():
        name = paths[0].name
        if names.count(name) > 1:  # different content per language: say whose
            name += "[" + ",".join(p.relative_to(root).parts[0] for p in paths) + "]"
        items.append((name, paths))
    return sorted(items)


SCRIPTS = _downloads(".py")
NOTEBOOKS = _downloads(".ipynb")


@pytest.fixture(scope="session")
def reader_cache(tmp_path_factory) -> Path:
    """The reader's trained-weights cache, empty at first and shared by all the downloads.

    The scripts run first and train (a reader's first run); the notebooks then load the same
    models from it (a reader's second run), which also keeps this test's time down.
    """
    return tmp_path_factory.mktemp("reader-cache")


@pytest.fixture
def reader_env(tmp_path, monkeypatch, mnist_dir, reader_cache):
    """A folder outside the repository, and the environment a reader's run gets."""
    assert REPO not in tmp_path.parents, "the run must happen outside the repository"
    cache = reader_cache
    env = {
        "AE_GALLERY_PROFILE": "smoke",
        "AE_GALLERY_MNIST_DIR": str(mnist_dir),
        "AE_GALLERY_CACHE": str(cache),
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # If anything tried to install a package, it would fail here instead of reaching out.
        "PIP_NO_INDEX": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "reader"
    work.mkdir()
    return work, cache


@pytest.mark.fault("A downloaded notebook or script run where ``ae_gallery`` is installed")
@pytest.mark.parametrize(("name", "paths"), SCRIPTS, ids=[n for n, _ in SCRIPTS])
def test_downloaded_script_runs(site, languages, reader_env, name, paths):
    work, cache = reader_env
    script = work / paths[0].name
    shutil.copy(paths[0], script)
    done = subprocess.run(
        [sys.executable, script.name],
        cwd=work,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, f"python {script.name} failed:\n{done.stderr[-5000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-5000:]
    if "training.train(" in script.read_text(encoding="utf-8"):
        assert "trained" in done.stdout, "it trained nothing:\n" + done.stdout[-2000:]
        assert list(cache.iterdir()), "nothing was stored in the trained-weights cache"
    COUNTS["downloaded .py scripts run"] += 1


PROBE = "import sys, ae_gallery\nprint('PROBE', sys.prefix, ae_gallery.__version__)"


@pytest.mark.fault(
    "A downloaded notebook or script run where ``ae_gallery`` is installed",
    (
        "It runs top to bottom at the smoke budget, from a folder outside the repository; the "
        "notebook's first cell installs nothing."
    ),
)
@pytest.mark.parametrize(("name", "paths"), NOTEBOOKS, ids=[n for n, _ in NOTEBOOKS])
def test_downloaded_notebook_runs(site, languages, reader_env, name, paths):
    nbformat = pytest.importorskip("nbformat", reason="`nox -s site` installs it")
    nbclient = pytest.importorskip("nbclient", reason="`nox -s site` installs it")
    work, _ = reader_env
    notebook_path = work / paths[0].name
    shutil.copy(paths[0], notebook_path)
    notebook = nbformat.read(notebook_path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "code" and 'run_line_magic("pip"' in first.source, first.source
    # Never a name from the package index: only the site's wheel, by its address.
    installs = [line for line in first.source.splitlines() if "install --quiet" in line]
    assert installs and all('"ae-gallery{extra} @ {url}"' in line for line in installs), installs
    # A probe at the end says which Python ran the notebook (this environment's).
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = nbclient.NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on failure
    # ae_gallery is installed here: the first cell must not have tried to install it.
    assert first.outputs == [], f"the first cell printed something: {first.outputs}"
    probe = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    assert f"PROBE {sys.prefix}" in probe, f"the kernel is not this environment's: {probe}"
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    source = "".join(c.source for c in notebook.cells)
    if "plotting." in source or "plt." in source:
        figures = [
            o
            for c in notebook.cells
            for o in c.get("outputs", [])
            if "image/png" in o.get("data", {})
        ]
        assert figures, "the notebook drew no figure"
        COUNTS["figures drawn by the notebooks"] += len(figures)
    COUNTS["downloaded notebooks run (fresh kernel)"] += 1
