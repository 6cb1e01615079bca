"""The lessons' models as code on their pages (docs/_ext/model_source.py)."""

from __future__ import annotations

import ast
import doctest
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import model_source  # noqa: E402

from ae_gallery import models  # noqa: E402


def test_the_examples_in_the_docstrings_hold():
    failed, tried = doctest.testmod(model_source)
    assert tried >= 4 and failed == 0


def test_every_model_function_is_shown_whole_without_its_docstring():
    names = model_source.model_functions()
    assert {"linear_ae", "deep_ae", "deep_conv_ae", "deep_sparse_ae"} <= set(names)
    assert "ActivityL1" not in names and "AutoencoderParts" not in names
    for name in names:
        code = model_source.function_code(name)
        function = ast.parse(code).body[0]
        assert isinstance(function, ast.FunctionDef) and function.name == name
        assert ast.get_docstring(function) is None
        assert getattr(models, name).__doc__.strip().splitlines()[0] not in code
        assert code.rstrip().splitlines()[-1].lstrip().startswith("return ")


def test_a_lesson_page_gets_each_model_before_the_first_block_that_calls_it():
    block = ".. code-block:: Python\n\n\n    {}\n\n"
    page = (
        "Intro.\n\n"
        + block.format("x = 1")
        + "Text.\n\n"
        + block.format("parts = models.deep_conv_ae()")
        + block.format("again = models.deep_conv_ae()")
    )
    placed = model_source.with_model_sources(page, model_source.model_functions())
    assert placed.count(".. ae-gallery-model-source::") == 1
    assert placed.index(".. ae-gallery-model-source:: deep_conv_ae") < placed.index(
        "parts = models"
    )
    assert placed.index("x = 1") < placed.index(".. ae-gallery-model-source::")
    assert model_source.with_model_sources(placed, model_source.model_functions()) == placed
