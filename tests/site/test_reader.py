"""The downloads on a reader's machine, from nothing: fresh virtual environments that hold
nothing of ours, files fetched over HTTP from the served site, and only what the downloads
themselves say to do. One environment per starting state, shared by the tests in order:

* nothing installed: the first cell stops with what to do when the site moved, the wheel is
  not the one built, or the package index cannot be reached; then a reader changes lesson 3's
  model in its notebook and runs every cell (the first cell installs the wheel and
  TensorFlow); then a notebook of the zip of all lessons installs the wheel beside it;
* TensorFlow installed: Binder's environment file installs the site's wheel and TensorFlow,
  and a lesson runs; then, as in Colab, where TensorFlow is there already, the first cell
  installs only the wheel.

They install TensorFlow from the package index (pip's own cache makes the second install
quicker), so they take minutes; each prints what it measured.
"""

from __future__ import annotations

import contextlib
import functools
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
from datetime import datetime
from pathlib import Path

import pytest
from sitekit import COUNTS, FIGURES, served

REPO = Path(__file__).resolve().parents[2]
#: What a reader needs to run a notebook without Jupyter's interface: a kernel and a client.
NOTEBOOK_RUNNER = ("nbclient==0.11.0", "nbformat==5.11.1", "ipykernel==7.4.0")
TIMEOUT = 1800  # seconds: an install of TensorFlow from the package index included

#: Run in the reader's environment: execute a notebook (its first ``cells`` only, if given),
#: and report what each code cell printed and how long it took.
RUN_NOTEBOOK = """
import json, sys, nbclient, nbformat
path, cells = sys.argv[1], sys.argv[2]
notebook = nbformat.read(path, as_version=4)
if cells != "all":
    notebook.cells = notebook.cells[: int(cells)]
client = nbclient.NotebookClient(notebook, timeout=1800, kernel_name="python3")
report = {"error": None, "outputs": [], "seconds": [], "images": 0}
try:
    client.execute(cwd=str(__import__("pathlib").Path(path).parent))
except nbclient.exceptions.CellExecutionError as err:
    report["error"] = str(err)[-3000:]
for cell in notebook.cells:
    if cell.cell_type != "code":
        continue
    outputs = cell.get("outputs", [])
    report["outputs"].append("".join(o.get("text", "") or o.get("evalue", "") for o in outputs))
    report["images"] += sum("image/png" in o.get("data", {}) for o in outputs)
    timing = cell.metadata.get("execution", {})
    report["seconds"].append([timing.get("iopub.execute_input"), timing.get("shell.execute_reply")])
print("REPORT" + json.dumps(report))
"""


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _link(page_url: str, ending: str) -> str:
    """The absolute URL of the link of a page whose address ends with ``ending``."""
    with urllib.request.urlopen(page_url) as response:
        parser = _Links()
        parser.feed(response.read().decode("utf-8"))
    (href,) = {h for h in parser.hrefs if h.endswith(ending)}
    return urllib.parse.urljoin(page_url, href)


def _fetch(url: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(url) as response:
        target.write_bytes(response.read())
    return target


def _env(home: Path, mnist_dir: Path, **extra: str) -> dict[str, str]:
    """The variables of a reader's shell: nothing of the project's environment."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        AE_GALLERY_MNIST_DIR=str(mnist_dir),  # offline machines; a reader's Keras downloads
        AE_GALLERY_CACHE=str(home / "model-cache"),
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


def _pip(python: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "pip", *args], env=env, capture_output=True, text=True, timeout=TIMEOUT
    )


def _has(python: Path, module: str, env) -> bool:
    """Whether the environment can import ``module`` (asked from its own folder: Python puts
    the working folder on the path, and the repository's would hold ``ae_gallery``)."""
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return (
        subprocess.run([str(python), "-c", probe], env=env, cwd=python.parents[1]).returncode == 0
    )


def _run(python: Path, notebook: Path, env, cells: str = "all") -> dict:
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


def _seconds(report: dict, index: int) -> float:
    start, end = report["seconds"][index]
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def _with_first_cell(notebook: Path, target: Path, site: str | None = None) -> Path:
    """A copy of ``notebook`` whose first cell takes the wheel from ``site`` instead."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    cell = "".join(content["cells"][0]["source"])
    if site is not None:
        cell = re.sub(
            r'^SITE, WHEEL, SHA256 = "[^"]*"', f'SITE, WHEEL, SHA256 = "{site}"', cell, flags=re.M
        )
    content["cells"][0]["source"] = cell
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(content), encoding="utf-8")
    return target


def _published_port() -> int:
    """The port of the address the site was built for, when that is this machine (CI builds
    it for http://127.0.0.1:<port>/, so that its notebooks install the wheel from this
    server as a reader's install it from the published site); else any free port."""
    url = urllib.parse.urlsplit(os.environ.get("AE_GALLERY_SITE_URL", ""))
    return (url.port or 0) if url.hostname == "127.0.0.1" else 0


@pytest.fixture(scope="module")
def server(site):
    """The built site, served at the address it was built for (see above). `nox -s site`
    runs a module's tests in one pytest-xdist worker (``--dist loadfile``): one server."""
    with served(site, _published_port()) as url:
        yield url


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, mnist_dir):
    """A reader's home outside the repository, with a fresh environment holding only what
    runs a notebook; one per starting state (the tests below share them, in order)."""

    def make(name: str) -> tuple[Path, Path, dict[str, str]]:
        home = tmp_path_factory.mktemp(name)
        assert REPO not in home.parents, "the reader's folder must be outside the repository"
        env = _env(home, mnist_dir)
        subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, env=env)
        python = home / "venv" / "bin" / "python"
        done = _pip(python, env, "install", "--quiet", *NOTEBOOK_RUNNER)
        assert done.returncode == 0, done.stderr[-2000:]
        assert not _has(python, "ae_gallery", env) and not _has(python, "tensorflow", env)
        return home, python, env

    return functools.cache(make)


def _lesson_notebook(server: str, lesson: str, home: Path, lang: str = "en") -> Path:
    page = f"{server}{lang}/auto_examples/{lesson}.html"
    return _fetch(_link(page, f"{lesson}.ipynb"), home / f"{lesson}.ipynb")


def _built_for(notebook: Path, server: str) -> None:
    first = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"])
    match = re.search(r'^SITE, WHEEL, SHA256 = "([^"]*)"', first, flags=re.M)
    assert match, first
    if match.group(1) != server:
        message = (
            f"the site was built for {match.group(1)!r}, not for this server ({server}): build "
            f"it with AE_GALLERY_SITE_URL={server} (as .ci/run does)"
        )
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


@pytest.mark.fault(
    "A notebook's first cell cannot install the library: the site moved, the wheel is not the "
    "one the notebook was made with, or the package index cannot be reached (offline)",
    "The cell stops the notebook there (SystemExit): it says which, and what to do; nothing is "
    "installed, and no later cell runs.",
)
@pytest.mark.parametrize("fault", ["site moved", "sha256 mismatch", "offline"])
def test_the_first_cell_stops_with_what_to_do(site, server, fresh, fault):
    home, python, env = fresh("nothing-installed")
    notebook = _lesson_notebook(server, "plot_2_linear_autoencoder", home)
    _built_for(notebook, server)
    with contextlib.ExitStack() as stack:  # the other site's server, if one
        run_env, case = env, home / fault.replace(" ", "-")
        if fault == "site moved":  # nothing answers at the address the notebook was built for
            copy = _with_first_cell(notebook, case / notebook.name, "http://127.0.0.1:9/")
            says = "offline, or has the site moved?"
        elif fault == "sha256 mismatch":  # a site that serves another wheel under its name
            (wheel,) = site.glob("ae_gallery-*.whl")
            other = case / "other-site"
            other.mkdir(parents=True)
            (other / wheel.name).write_bytes(wheel.read_bytes() + b"\0")
            other_site = stack.enter_context(served(other))
            copy = _with_first_cell(notebook, case / notebook.name, other_site)
            says = "is not the wheel this notebook was made with"
        else:  # the wheel comes from the site, but the package index cannot be reached
            copy = _with_first_cell(notebook, case / notebook.name)
            run_env = {**env, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0"}
            says = "pip could not install"
        report = _run(python, copy, run_env, cells="2")
    error = report["error"] or ""
    assert "SystemExit" in error and says in error, error
    assert report["outputs"][1:] == [] or report["outputs"][1] == "", "a later cell ran"
    assert not _has(python, "ae_gallery", env), "something was installed"
    FIGURES.append(f"first cell, {fault}: {error.strip().splitlines()[-1][:160]}")
    COUNTS["first-cell faults stopped with what to do"] += 1


def test_a_reader_changes_the_model_and_every_cell_runs(site, server, fresh):
    """Lesson 3's deep autoencoder with hidden layers of 32 instead of 64: the first cell
    installs the library and TensorFlow; the changed model misses the published weights and
    trains under the quick profile, with progress and an estimate; the lesson's unchanged
    model (the linear one) still loads the published weights in seconds."""
    home, python, env = fresh("nothing-installed")
    notebook = _lesson_notebook(server, "plot_3_deep_autoencoder", home)
    _built_for(notebook, server)
    content = json.loads(notebook.read_text(encoding="utf-8"))
    edited = [c for c in content["cells"] if "def deep_ae():" in "".join(c["source"])]
    assert len(edited) == 1
    source = "".join(edited[0]["source"])
    edited[0]["source"] = source.replace("Dense(64,", "Dense(32,")
    assert edited[0]["source"] != source
    notebook.write_text(json.dumps(content), encoding="utf-8")
    started = time.perf_counter()
    report = _run(python, notebook, env)  # the default profile, as a reader runs it
    assert report["error"] is None, report["error"]
    printed = "\n".join(report["outputs"])
    assert (
        "deep_ae: no published weights match this model (it differs from the published "
        "model in the layers)" in printed
    )
    assert re.search(r"deep_ae: trained 200 epochs of batch 30 in .*; final loss ", printed)
    assert (
        "[ae_gallery] deep_ae: epoch 1 of 200 took" in printed
        and "the whole training: about" in printed
    )
    loaded = "linear_ae: the published weights loaded"
    linear = [i for i, text in enumerate(report["outputs"]) if loaded in text]
    assert linear, printed
    assert _seconds(report, linear[0]) < 30, "the unchanged model did not load in seconds"
    assert report["images"] > 0
    FIGURES.append(
        f"a reader's change (lesson 3, widths 64 -> 32), notebook over HTTP in a fresh "
        f"environment: first cell (install) {_seconds(report, 0):.0f} s, whole notebook "
        f"{time.perf_counter() - started:.0f} s; the unchanged linear_ae loaded in "
        f"{_seconds(report, linear[0]):.1f} s"
    )
    COUNTS["notebooks changed by a reader, run in a fresh environment"] += 1


@pytest.mark.fault(
    "A Russian lesson's notebook run on a machine whose locale is English (LANG=C.UTF-8)",
    "It prints and draws the library's words in Russian: the lesson chooses the language.",
)
def test_a_russian_notebook_speaks_russian_on_an_english_machine(site, server, fresh):
    """Fetched over HTTP from the Russian page, run where the last test left the library and
    TensorFlow installed (its first cell installs nothing), with an English locale."""
    home, python, env = fresh("nothing-installed")
    notebook = _lesson_notebook(server, "plot_2_linear_autoencoder", home / "ru", lang="ru")
    _built_for(notebook, server)
    report = _run(python, notebook, {**env, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    assert report["error"] is None, report["error"]
    printed = "\n".join(report["outputs"])
    assert "linear_ae: опубликованные веса загружены (15 эпох с батчами по 30)" in printed
    assert "published" not in printed and "epochs" not in printed, printed
    assert report["images"] > 0
    line = next(line for line in printed.splitlines() if line.startswith("linear_ae:"))
    FIGURES.append(f"Russian notebook over HTTP, LANG=C.UTF-8: {line[:110]}")
    COUNTS["Russian notebooks run in a fresh environment"] += 1


def test_a_notebook_of_the_zip_installs_the_wheel_beside_it(site, server, fresh):
    home, python, env = fresh("nothing-installed")
    assert _has(python, "tensorflow", env), "runs after the reader's notebook installed it"
    _pip(python, env, "uninstall", "--yes", "ae-gallery")
    archive = _fetch(
        _link(f"{server}en/lessons.html", "auto_examples_jupyter.zip"), home / "jupyter.zip"
    )
    folder = home / "notebooks"
    zipfile.ZipFile(archive).extractall(folder)
    report = _run(python, folder / "plot_2_linear_autoencoder.ipynb", {**env, "PIP_NO_INDEX": "1"})
    assert report["error"] is None, report["error"]
    assert _has(python, "ae_gallery", env)
    FIGURES.append(
        f"notebook of the zip: the wheel beside it installed in {_seconds(report, 0):.0f} s"
    )
    COUNTS["zips followed in a fresh environment"] += 1


@pytest.mark.fault(
    "The zips of all lessons in a fresh environment",
    "Following the scripts zip's README literally installs its wheel and runs a lesson; a "
    "notebook of the notebooks zip installs the wheel beside it (sha256 checked) and runs.",
)
def test_the_scripts_zip_readme_works_literally(site, server, fresh):
    home, _, env = fresh("nothing-installed")
    scripts = home / "scripts"
    archive = _fetch(
        _link(f"{server}en/lessons.html", "auto_examples_python.zip"), home / "python.zip"
    )
    zipfile.ZipFile(archive).extractall(scripts)
    readme = (scripts / "README.txt").read_text(encoding="utf-8")
    commands = [line.strip()[2:] for line in readme.splitlines() if line.strip().startswith("$ ")]
    assert any('pip install "./ae_gallery-' in c for c in commands), readme
    assert any(c.endswith(".py") and "pip" not in c for c in commands), readme
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
    FIGURES.append(
        f"scripts zip, its README followed literally: {time.perf_counter() - started:.0f} s"
    )
    COUNTS["zips followed in a fresh environment"] += 1


def test_binder_installs_the_wheel_and_tensorflow_and_a_lesson_runs(site, server, fresh):
    home, python, env = fresh("tensorflow-installed")
    requirements = _fetch(f"{server}binder/requirements.txt", home / "requirements.txt")
    wanted = f"ae-gallery[tensorflow] @ {server}ae_gallery-"
    assert wanted in requirements.read_text() and "#sha256=" in requirements.read_text(), (
        f"Binder's requirements should install the wheel from this server: {wanted}...; "
        f"build the site with AE_GALLERY_SITE_URL={server} (as .ci/run does)"
    )
    assert (
        _fetch(f"{server}binder/runtime.txt", home / "runtime.txt").read_text().strip()
        == "python-3.11"
    )
    started = time.perf_counter()
    done = _pip(python, env, "install", "--quiet", "-r", str(requirements))
    assert done.returncode == 0, done.stderr[-3000:]
    install = time.perf_counter() - started
    notebook = _lesson_notebook(server, "plot_2_linear_autoencoder", home)
    report = _run(python, notebook, env)
    assert report["error"] is None, report["error"]
    assert report["outputs"][0] == "", "the first cell installed something where Binder had"
    FIGURES.append(f"Binder's requirements in a fresh environment: {install:.0f} s; the lesson ran")
    COUNTS["Binder environments built"] += 1


def test_where_tensorflow_is_installed_the_first_cell_installs_only_the_wheel(site, server, fresh):
    """As in Colab: TensorFlow (and Keras) installed already, the library not."""
    home, python, env = fresh("tensorflow-installed")

    def version() -> str:
        return _pip(python, env, "show", "tensorflow").stdout

    before = version()
    assert "Version:" in before, "runs after Binder's test installed TensorFlow"
    _pip(python, env, "uninstall", "--yes", "ae-gallery")
    assert not _has(python, "ae_gallery", env)
    notebook = _lesson_notebook(server, "plot_2_linear_autoencoder", home / "colab")
    report = _run(python, notebook, env)
    assert report["error"] is None, report["error"]
    assert _has(python, "ae_gallery", env) and version() == before
    location = re.search(r"Location: (.*)", before)[1]
    untouched = Path(location, "tensorflow", "__init__.py").stat().st_mtime < started_at(report)
    assert untouched, "TensorFlow was installed again"
    FIGURES.append(
        "TensorFlow installed already: the first cell installed the wheel in "
        f"{_seconds(report, 0):.0f} s"
    )
    COUNTS["notebooks run where TensorFlow was installed"] += 1


def started_at(report: dict) -> float:
    return datetime.fromisoformat(report["seconds"][0][0]).timestamp()
