"""The downloads on a reader's machine: fresh virtual environments that hold nothing of ours
(no ``ae_gallery``, no TensorFlow), files fetched over HTTP from the served site, and only
what the downloads themselves say to do. The other download tests run inside the project's
environment, where ``ae_gallery`` is already installed; these start from nothing.

They install TensorFlow from the package index into each environment (pip's own cache
makes the second and third installs quicker), so they take minutes; each prints its install
time.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from sitekit import COUNTS

REPO = Path(__file__).resolve().parents[2]
#: What a reader needs to run a notebook without Jupyter's interface: a kernel and a client.
NOTEBOOK_RUNNER = ("nbclient==0.11.0", "nbformat==5.11.1", "ipykernel==7.4.0")
LESSON = "plot_2_linear_autoencoder"  # trains a model, draws figures, runs in seconds
TIMEOUT = 1800  # seconds: an install of TensorFlow from the package index included

#: Run in the reader's environment: execute a notebook; print what each cell printed.
RUN_NOTEBOOK = """
import json, sys, time, nbclient, nbformat
path, cells = sys.argv[1], sys.argv[2]
notebook = nbformat.read(path, as_version=4)
if cells != "all":
    notebook.cells = notebook.cells[: int(cells)]
client = nbclient.NotebookClient(notebook, timeout=1800, kernel_name="python3")
report = {"error": None, "outputs": [], "seconds": []}
try:
    client.execute(cwd=str(__import__("pathlib").Path(path).parent))
except nbclient.exceptions.CellExecutionError as err:
    report["error"] = str(err)[-3000:]
for cell in notebook.cells:
    if cell.cell_type != "code":
        continue
    text = "".join(o.get("text", "") or o.get("evalue", "") for o in cell.get("outputs", []))
    report["outputs"].append(text)
    report["images"] = report.get("images", 0) + sum(
        "image/png" in o.get("data", {}) for o in cell.get("outputs", [])
    )
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    report["seconds"].append([start, end])
print("REPORT" + json.dumps(report))
"""


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _download_link(page_url: str, ending: str) -> str:
    """The absolute URL of the first link of a page whose address ends with ``ending``."""
    with urllib.request.urlopen(page_url) as response:
        parser = _Links()
        parser.feed(response.read().decode("utf-8"))
    (href,) = {h for h in parser.hrefs if h.endswith(ending)}
    return urllib.parse.urljoin(page_url, href)


def _fetch(url: str, target: Path) -> Path:
    with urllib.request.urlopen(url) as response:
        target.write_bytes(response.read())
    return target


def _reader_env(mnist_dir: Path, cache: Path) -> dict[str, str]:
    """The variables of a reader's shell: nothing of the project's environment."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        AE_GALLERY_PROFILE="smoke",  # seconds per model: the test's budget, not a reader's
        AE_GALLERY_MNIST_DIR=str(mnist_dir),  # offline machines; a reader's Keras downloads
        AE_GALLERY_CACHE=str(cache),
        MPLBACKEND="Agg",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _fresh_venv(folder: Path, env: dict[str, str], *packages: str) -> Path:
    """A new virtual environment (the standard library's venv, with its pip)."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, env=env)
    python = folder / "bin" / "python"
    if packages:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *packages],
            check=True,
            env=env,
            cwd=folder,
        )
    return python


def _has(python: Path, module: str, env) -> bool:
    """Whether the environment can import ``module`` (run from its own folder: Python puts
    the working folder on the path, and the repository's would hold ``ae_gallery``)."""
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    folder = python.parents[1]
    return subprocess.run([str(python), "-c", probe], env=env, cwd=folder).returncode == 0


def _run_notebook(python: Path, notebook: Path, env, cells: str = "all") -> dict:
    done = subprocess.run(
        [str(python), "-c", RUN_NOTEBOOK, str(notebook), cells],
        cwd=notebook.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT")]
    assert lines, f"the notebook runner failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(lines[-1].removeprefix("REPORT"))


def _cell_seconds(report: dict, index: int) -> float:
    from datetime import datetime

    start, end = report["seconds"][index]
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


@pytest.fixture
def reader(tmp_path, mnist_dir):
    """A reader's home: a folder outside the repository, and their shell's variables."""
    assert REPO not in tmp_path.parents, "the reader's folder must be outside the repository"
    return tmp_path, _reader_env(mnist_dir, tmp_path / "model-cache")


@pytest.mark.fault(
    "A downloaded notebook in a fresh environment",
    "Without a wheel beside it and without the site's address, its first cell stops with"
    " where to get the wheel, having installed nothing; with the address, it installs the"
    " site's wheel (sha256 checked by pip) and the dependencies from the package index, and"
    " every cell runs.",
)
def test_a_notebook_from_the_site_runs_in_a_fresh_environment(site, server, reader):
    home, env = reader
    page = f"{server}en/auto_examples/{LESSON}.html"
    notebook = _fetch(_download_link(page, f"{LESSON}.ipynb"), home / f"{LESSON}.ipynb")
    python = _fresh_venv(home / "venv", env, *NOTEBOOK_RUNNER)
    assert not _has(python, "ae_gallery", env) and not _has(python, "tensorflow", env)

    # The same notebook, from a site built without its public address.
    source = json.loads(notebook.read_text(encoding="utf-8"))
    first = "".join(source["cells"][0]["source"])
    match = re.search(r'^SITE = "(.*)"$', first, flags=re.M)
    assert match, first
    if match.group(1) != server:
        message = (
            f"the site was built for {match.group(1)!r}, not for this server ({server}): "
            f"build it with AE_GALLERY_SITE_URL={server} (as .ci/run does)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    unaddressed = home / "no-address" / notebook.name
    unaddressed.parent.mkdir()
    source["cells"][0]["source"] = first.replace(match.group(0), 'SITE = ""')
    unaddressed.write_text(json.dumps(source), encoding="utf-8")
    report = _run_notebook(python, unaddressed, env, cells="1")
    stopped = [line for line in report["error"].splitlines() if "RuntimeError" in line]
    print("first cell, no wheel and no site address:", stopped[-1] if stopped else "?")
    assert "Download the zip of all lessons from the site" in report["error"]
    assert not _has(python, "ae_gallery", env) and not _has(python, "tensorflow", env)

    # As downloaded: the first cell installs the wheel from the served site.
    started = time.perf_counter()
    report = _run_notebook(python, notebook, env)
    assert report["error"] is None, report["error"]
    install = _cell_seconds(report, 0)
    printed = re.sub(r"\x1b\[[0-9;]*m", "", report["outputs"][0]).strip().splitlines()
    print(
        f"notebook from the site: first cell (install) {install:.0f} s, whole notebook "
        f"{time.perf_counter() - started:.0f} s; first cell's last line: "
        f"{printed[-1] if printed else ''!r}"
    )
    assert _has(python, "ae_gallery", env)
    assert report["images"] > 0, "no figure was drawn"
    COUNTS["notebooks run in a fresh environment"] += 1


@pytest.mark.fault(
    "The zips of all lessons in a fresh environment",
    "Following the scripts zip's README literally installs its wheel and runs a lesson; a"
    " notebook opened from the notebooks zip installs the wheel beside it (sha256 checked)"
    " and runs.",
)
def test_the_zips_run_in_fresh_environments(site, server, reader):
    home, env = reader
    index = f"{server}en/auto_examples/index.html"

    scripts = home / "scripts"
    scripts.mkdir()
    archive = _fetch(_download_link(index, "auto_examples_python.zip"), home / "python.zip")
    zipfile.ZipFile(archive).extractall(scripts)
    readme = (scripts / "README.txt").read_text(encoding="utf-8")
    commands = [line.strip()[2:] for line in readme.splitlines() if line.startswith("    $ ")]
    assert any('pip install "./ae_gallery-' in c for c in commands), readme
    started = time.perf_counter()
    for command in commands:  # literally, in the unpacked folder
        done = subprocess.run(
            command,
            shell=True,
            cwd=scripts,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        if "pip install" in command:
            print(f"scripts zip: {command!r} took {time.perf_counter() - started:.0f} s")
    assert any(c.endswith(".py") and "pip" not in c for c in commands), readme

    notebooks = home / "notebooks"
    notebooks.mkdir()
    archive = _fetch(_download_link(index, "auto_examples_jupyter.zip"), home / "jupyter.zip")
    zipfile.ZipFile(archive).extractall(notebooks)
    python = _fresh_venv(home / "venv-notebooks", env, *NOTEBOOK_RUNNER)
    report = _run_notebook(python, notebooks / f"{LESSON}.ipynb", env)
    assert report["error"] is None, report["error"]
    print(
        f"notebook from the zip: first cell (install of the wheel beside it) "
        f"{_cell_seconds(report, 0):.0f} s"
    )
    assert _has(python, "ae_gallery", env)
    COUNTS["zips followed in a fresh environment"] += 1
