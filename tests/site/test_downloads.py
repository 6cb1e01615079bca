"""The downloads run: each English lesson's notebook executes top to bottom in a fresh kernel,
from a folder outside the repository, as a reader who installed ``ae_gallery`` runs it (at
the default profile: the published weights load). A lesson's script is the program of its
notebook, in each language (its code compared, comments aside); the languages' lessons are
one program in other words (tests/test_lesson_translations.py), and a Russian notebook runs
on a reader's machine in test_reader.py, so no lesson runs more often than that."""

from __future__ import annotations

import io
import json
import sys
import tokenize
from pathlib import Path

import pytest
from sitekit import COUNTS, site_languages, site_root

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.stem for p in (REPO / "examples" / "en").glob("plot_*.py"))
TIMEOUT = 900  # seconds per notebook


def _download(lang: str, name: str, suffix: str) -> Path:
    (path,) = (site_root() / lang / "_downloads").glob(f"*/{name}{suffix}")
    return path


def _code(text: str) -> list[str]:
    """Python code without its comments and blank lines (what runs), line by line."""
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            kept.append(token)
    lines = tokenize.untokenize(kept).splitlines()
    return [line.rstrip() for line in lines if line.strip()]


def _notebook_code(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return _code("\n".join("".join(c["source"]) for c in cells[1:] if c["cell_type"] == "code"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_lessons_script_is_its_notebooks_program(site, languages, name):
    for lang in site_languages():
        reference = _notebook_code(_download(lang, name, ".ipynb"))
        script = _download(lang, name, ".py").read_text(encoding="utf-8")
        compile(script, name, "exec")
        script_code = _code(script)
        assert all(line in script_code for line in reference), (lang, name)
        COUNTS["downloads compared with the notebook that runs"] += 2


@pytest.mark.fault(
    "A downloaded notebook run where ``ae_gallery`` is installed",
    "It runs top to bottom from a folder outside the repository; its first cell installs nothing.",
)
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_lessons_notebook_runs(site, languages, tmp_path, monkeypatch, mnist_dir, name):
    nbformat = pytest.importorskip("nbformat", reason="`nox -s site` installs it")
    nbclient = pytest.importorskip("nbclient", reason="`nox -s site` installs it")
    assert REPO not in tmp_path.parents, "the run must happen outside the repository"
    for variable, value in {
        "AE_GALLERY_MNIST_DIR": str(mnist_dir),
        "AE_GALLERY_CACHE": str(tmp_path / "cache"),
        "PIP_NO_INDEX": "1",  # anything that tried to install would fail, not reach out
    }.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("AE_GALLERY_PROFILE", raising=False)
    notebook = nbformat.read(_download("en", name, ".ipynb"), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import sys; print('PROBE', sys.prefix)"))
    client = nbclient.NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on failure
    assert notebook.cells[0].outputs == [], "the first cell did something where ae_gallery is"
    assert f"PROBE {sys.prefix}" in notebook.cells[-1].outputs[0]["text"]
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    if "training.fit(" in "".join(c.source for c in notebook.cells):
        printed = "".join(o.get("text", "") for o in outputs)
        assert "published weights" in printed, "a lesson did not load the published weights"
    assert any("image/png" in o.get("data", {}) for o in outputs), "it drew no figure"
    COUNTS["lesson notebooks run (fresh kernel)"] += 1
