"""The translation extension's templates (docs/_ext/gallery_i18n/templates.py): no Sphinx."""

from __future__ import annotations

import pytest
from gallery_i18n.text import Template, fill_template, has_prose

NUMBER = r"[0-9][0-9.,e+-]*"


def test_regex_captures_named_and_numbered_values():
    template = Template("{epochs} epochs of batch {batch}, {0} left", {"epochs": NUMBER})
    match = template.regex().fullmatch("1,000 epochs of batch 30, two days left")
    assert match is not None
    assert template.values(match) == {"epochs": "1,000", "batch": "30", "0": "two days"}
    assert template.fields() == ["epochs", "batch", "0"]
    assert template.literal == " epochs of batch ,  left"


def test_regex_honours_a_placeholders_pattern():
    template = Template("{epochs} epochs of batch {batch}", {"epochs": NUMBER, "batch": NUMBER})
    assert template.regex().fullmatch("many epochs of batch 30") is None
    assert template.regex().fullmatch("15 epochs of batch 30") is not None


def test_regex_ignores_leading_spaces_and_escapes_the_rest():
    template = Template("  a.b (c) {{x}}: {0}")
    assert template.regex().fullmatch("a.b (c) {x}: 5") is not None
    assert template.regex().fullmatch("a-b (c) {x}: 5") is None  # "." is no wildcard


def test_templates_are_equal_by_text_alone():
    assert Template("loss {0}", {"0": NUMBER}) == Template("loss {0}")
    assert len({Template("loss {0}", {"0": NUMBER}), Template("loss {0}")}) == 1


def test_fill_template_keeps_unknown_placeholders_and_braces():
    assert fill_template("{a} и {b}, {{c}}", {"a": "1"}) == "1 и {b}, {c}"
    assert fill_template("потери {0}", {"0": "0.5"}) == "потери 0.5"


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("mean distance to the curve", True),
        ("loss {0}", True),
        (":doc:`the lessons <index>`", True),  # a link's own title is text
        ("dCor", True),
        ("linear_ae", False),  # an identifier
        ("keras.layers", False),
        (":func:`train`", False),  # a role's target alone
        ("``full``", False),
        ("plot_2_linear_autoencoder.py", False),
        ("x", False),  # one letter is a symbol
        ("Z1", False),
        ("{0}: {1}", False),
        ("", False),
    ],
)
def test_has_prose(text, prose):
    assert has_prose(text) is prose
