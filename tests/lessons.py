"""The lessons' own model code, for the tests: each model as its lesson builds it.

The lessons are the only place the article's models are written (``examples/``); a test
takes a model function from a lesson's source, with the lesson's imports, and runs it.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import keras
import pytest

from ae_gallery import published, training

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "en"

#: Each model of the site: its lesson, the function that builds it, and its arguments.
MODELS = {
    "linear_ae": ("plot_2_linear_autoencoder", "linear_ae", ()),
    "deep_ae": ("plot_3_deep_autoencoder", "deep_ae", ()),
    "overfit_ae": ("plot_5_overfitting", "deep_ae", ()),
    "conv_ae": ("plot_4_mnist_homotopy", "create_deep_conv_ae", ()),
    "digit_classifier": ("plot_4_mnist_homotopy", "digit_classifier", ()),
    "sparse_ae": ("plot_6_latent_variables", "create_deep_sparse_ae", (0.0,)),
    "sparse_ae_l1": ("plot_6_latent_variables", "create_deep_sparse_ae", (0.00001,)),
    "plane_ae": ("plot_7_manifold_learners", "create_plane_ae", ()),
}


def lesson_function(lesson: str, name: str):
    """The function ``name`` of ``examples/en/<lesson>.py``, with the lesson's imports."""
    path = EXAMPLES / f"{lesson}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kept = [
        node
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        or (isinstance(node, ast.FunctionDef) and node.name == name)
    ]
    assert any(isinstance(n, ast.FunctionDef) for n in kept), f"{path} has no {name}()"
    namespace: dict = {}
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(path), "exec"), namespace)
    return namespace[name]


def lesson_model(name: str) -> keras.Model:
    """The model the lesson trains under ``name`` (the autoencoder of encoder/decoder parts)."""
    lesson, function, args = MODELS[name]
    built = lesson_function(lesson, function)(*args)
    return built[-1] if isinstance(built, tuple) else built


def published_run(name: str) -> training.TrainingRun:
    """The model ``name`` with its committed weights; fail if they are not the published ones
    (never train the full budget in a test)."""
    if name not in published.read_manifest():
        pytest.fail(f"{name} is not published")
    with warnings.catch_warnings():
        # A refused file must fail the test, not train.
        warnings.filterwarnings("error", message=".*published weights not used")
        run = training.train(name, profile="full", use_published=True, verbose=False)
    assert run.published, f"{name}: the published weights were not loaded"
    return run
