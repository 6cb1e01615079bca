"""What the lessons print and say in comments, read from their source (gallery_i18n.source)."""

from __future__ import annotations

import ast

from gallery_i18n.source import (
    code_comments,
    example_messages,
    literal_comments,
    print_template,
    shell_comments,
    translate_comments,
)

LESSON = """
distances = {"pixel space": 1.0, "linear_ae": 2.0}
for name in ("first code", "z"):
    print(f"{name:>12}: mean distance {distance:.3f}", "of", total, "{x}")
print(f"{'mean Z1':>8} | {value!r}")
print(*values)
print("two\\nlines", count)
pairs = [("code space", 1), ("x_y", 2)]
"""


def _print_calls(source: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
    ]


def test_print_template_numbers_values_and_keeps_constants():
    (call,) = _print_calls('print(f"loss {loss:.3f} after {n} epochs", "of", total, "{x}")')
    assert print_template(call) == "loss {0} after {1} epochs of {2} {{x}}"


def test_print_template_formats_constant_fields():
    (call,) = _print_calls("print(f\"{'mean Z1':>8} | {value!r}\")")
    assert print_template(call) == " mean Z1 | {0}"


def test_print_template_gives_up_on_starred_arguments():
    (call,) = _print_calls("print(*values)")
    assert print_template(call) is None


def test_example_messages_templates_by_line_and_terms_with_words():
    templates, terms = example_messages(LESSON)
    assert templates == [
        " mean Z1 | {0}",
        "two",
        "lines {0}",
        "{0}: mean distance {1} of {2} {{x}}",
    ]
    # Dict keys, the strings a loop walks, the labels of (label, value) pairs; no names.
    assert sorted(terms) == ["code space", "first code", "pixel space"]


def test_code_comments_skip_strings_and_tool_directives():
    code = 'x = 1  # the answer\n# a whole line\ny = "# no comment"  # noqa: E501\n'
    assert code_comments(code) == [(1, 7, "the answer"), (2, 0, "a whole line")]


def test_code_comments_read_ipython_magics_line_by_line():
    cell = "# install it\ntry:\n    import x\nexcept ImportError:\n    %pip install x\n"
    assert code_comments(cell) == [(1, 0, "install it")]
    # Code that does not tokenize: each comment still found once.
    assert code_comments("# open\nx = (\n") == [(1, 0, "open")]


def test_shell_comments_need_a_space_before_the_hash():
    code = "nox -s docs  # build the site\n# alone\nhttps://example.invalid/#anchor"
    assert shell_comments(code) == [(1, 13, "build the site"), (2, 0, "alone")]
    assert literal_comments("a  # b", "bash") == [(1, 3, "b")]
    assert literal_comments("a  # b", "Python") == [(1, 3, "b")]


def test_translate_comments_replaces_known_comments_only():
    code = 'x = 1  # the answer\n    # indented\ny = "# no comment"  # unknown\n'
    table = {"the answer": "ответ", "indented": "с отступом"}
    assert translate_comments(code, table.get) == (
        'x = 1  # ответ\n    # с отступом\ny = "# no comment"  # unknown\n'
    )
