"""Printed lines rewritten from their templates' translations (gallery_i18n.output)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from ae_gallery import messages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

from gallery_i18n.catalogs import (  # noqa: E402
    CTX_COMMENT,
    CTX_KERAS,
    CTX_OUTPUT,
    CTX_TERM,
    CTX_WIDGET,
)
from gallery_i18n.numbers import localized_numbers  # noqa: E402
from gallery_i18n.output import OutputTranslator, library_templates  # noqa: E402
from gallery_i18n.templates import Template  # noqa: E402


@pytest.fixture
def translator() -> OutputTranslator:
    catalog = Catalog(locale="ru")
    for msgid, msgstr, context in [
        (messages.BUDGET_ARTICLE, "Профиль {profile}: {budget}, бюджет статьи.", CTX_OUTPUT),
        (messages.EPOCHS, "{epochs} эпох с батчем {batch}", CTX_OUTPUT),
        ("mean distance to the curve: {0}", "среднее расстояние до кривой: {0}", CTX_OUTPUT),
        ("{0}: dCor {1}", "{0}: dCor {1}", CTX_OUTPUT),
        ("pixel space", "пиксели", CTX_TERM),
        ("code", "код", CTX_TERM),
        ("Output Shape", "Форма выхода", CTX_KERAS),
        ("Total params: {count} ({size})", "Всего параметров: {count} ({size})", CTX_KERAS),
        ("the answer", "ответ", CTX_COMMENT),
        ("Play", "Пуск", CTX_WIDGET),
    ]:
        catalog.add(msgid, msgstr, context=context)
    # An untranslated template: found, but its line stays English.
    catalog.add("untranslated {0}", "", context=CTX_OUTPUT)
    lessons = [
        Template("mean distance to the curve: {0}"),
        Template("{0}: dCor {1}"),
        Template("untranslated {0}"),
        Template("{0}"),  # no words: never a template
    ]
    return OutputTranslator(catalog, [*lessons, *library_templates()], ["pixel space", "code"])


def test_library_templates_are_the_librarys_sentences():
    texts = [template.text for template in library_templates()]
    assert texts == [text for text, _ in messages.TEMPLATES]
    assert messages.BUDGET_ARTICLE in texts


def test_a_library_line_is_translated_with_its_values_translated_too(translator):
    problems: list[str] = []
    line = messages.BUDGET_ARTICLE.format(
        profile="smoke", budget=messages.EPOCHS.format(epochs=15, batch=30)
    )
    assert translator.line(line, problems) == "Профиль smoke: 15 эпох с батчем 30, бюджет статьи."
    assert problems == []


def test_a_lesson_line_keeps_its_indentation(translator):
    problems: list[str] = []
    assert (
        translator.line("   mean distance to the curve: 0.031", problems)
        == "   среднее расстояние до кривой: 0.031"
    )


def test_terms_are_translated_in_place_keeping_their_column(translator):
    problems: list[str] = []
    assert translator.line("pixel space: dCor 0.52", problems) == "пиксели: dCor 0.52"
    # A right-aligned label stays right-aligned, a left-aligned one left-aligned.
    assert translator.line("       code: 0.91", problems) == "        код: 0.91"
    assert translator.line("code   | 0.91", problems) == "код    | 0.91"
    assert problems == []


def test_output_block_reports_what_it_cannot_translate(translator):
    block = "\n".join(
        [
            "something new here 3",
            "untranslated 5",
            "12 34",  # no words: nothing to translate, nothing to report
            "",
            'Model: "linear_ae"',
            "┃ Layer (type)            ┃ Output Shape           ┃ Param # ┃",
            " Total params: 1,234 (4.82 KB)",
            " Non-trainable params: 0 (0.00 B)",
        ]
    )
    text, problems = translator.output_block(block)
    assert text.split("\n") == [
        "something new here 3",
        "untranslated 5",
        "12 34",
        "",
        'Model: "linear_ae"',
        "┃ Layer (type)            ┃ Форма выхода           ┃ Param # ┃",
        " Всего параметров: 1,234 (4.82 KB)",
        " Non-trainable params: 0 (0.00 B)",
    ]
    assert problems == [
        "printed line matches no template: 'something new here 3'",
        "untranslated printed template 'untranslated {0}'",
        "missing Keras line 'Model: \"{name}\"'",
        "missing 'Layer (type)'",
        "missing 'Param #'",
        "missing Keras line 'Non-trainable params: {count} ({size})'",
    ]


def test_the_template_that_says_most_wins():
    # Without patterns, the shorter template would match the longer line too ({1} would
    # take "30, 200 batches each"): the longer literal is tried first.
    short, long = Template("{0} epochs of batch {1}"), Template(messages.EPOCHS_STEPS)
    catalog = Catalog(locale="ru")
    catalog.add(short.text, "{0} эпох, батч {1}", context=CTX_OUTPUT)
    catalog.add(long.text, "{epochs} эпох, батч {batch}, шагов {steps}", context=CTX_OUTPUT)
    translator = OutputTranslator(catalog, [short, long], [])
    line = messages.EPOCHS_STEPS.format(epochs=3, batch=30, steps=200)
    assert translator.line(line, []) == "3 эпох, батч 30, шагов 200"


def test_comments_and_widget_words(translator):
    assert translator.comment("the answer") == "ответ"
    assert translator.comment("unknown comment") is None
    problems: list[str] = []
    raw = '<button title="Play" aria-label="Pause"></button><button title="Other"></button>'
    assert translator.widget(raw, problems) == (
        '<button title="Пуск" aria-label="Pause"></button><button title="Other"></button>'
    )
    assert problems == ["missing widget word 'Pause'"]


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("9,596 steps", "9\u00a0596 steps"),
        ("1,330,000 steps", "1\u00a0330\u00a0000 steps"),
        ("6.8 s", "6,8 s"),
        ("loss 0.07305, val_loss 0.07273", "loss 0,07305, val_loss 0,07273"),
        ("Keras 3.15.1 on tensorflow 2.21.0", "Keras 3.15.1 on tensorflow 2.21.0"),
        ("py3.11, 1e-5, 2 cores", "py3.11, 1e-5, 2 cores"),
    ],
)
def test_numbers_in_code_made_tables_are_written_the_russian_way(english, russian):
    assert localized_numbers(english, "ru") == russian
    assert localized_numbers(english, "en") == english
