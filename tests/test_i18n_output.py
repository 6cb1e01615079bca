"""Printed lines rewritten from their templates' translations (gallery_i18n.output)."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from gallery_i18n.catalogs import (
    CTX_COMMENT,
    CTX_KERAS,
    CTX_OUTPUT,
    CTX_TERM,
    CTX_WIDGET,
)
from gallery_i18n.output import OutputTranslator, library_templates
from gallery_i18n.text import Template, localized_numbers

from ae_gallery import messages


@pytest.fixture
def translator() -> OutputTranslator:
    catalog = Catalog(locale="ru")
    for msgid, msgstr, context in [
        (messages.PUBLISHED_DEVICE, "{device} с Keras {keras} на {backend}", CTX_OUTPUT),
        (messages.CPU, "процессор ({name}, ядер: {cores})", CTX_OUTPUT),
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
    catalog.add(
        (messages.EPOCH, messages.EPOCHS),
        (
            "{epochs} эпоха с батчем {batch}",
            "{epochs} эпохи с батчем {batch}",
            "{epochs} эпох с батчем {batch}",
        ),
        context=CTX_OUTPUT,
    )
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
    assert messages.TRAINED in texts


def test_a_line_writes_its_numbers_the_russian_way_and_its_values_are_translated(translator):
    problems: list[str] = []
    line = messages.PUBLISHED_DEVICE.format(
        device=messages.CPU.format(name="AMD EPYC", cores=2), keras="3.15.1", backend="jax 0.9.2"
    )
    assert translator.line(line, problems) == (
        "процессор (AMD EPYC, ядер: 2) с Keras 3.15.1 на jax 0.9.2"
    )
    assert translator.line("mean distance to the curve: 1,234.5", problems) == (
        "среднее расстояние до кривой: 1\u00a0234,5"
    )
    assert problems == []


def test_a_training_line_with_its_optional_clause_is_translated_whole():
    """TRAINED's {profile} is one word, and {shorter} the optional SHORTER clause, which keeps
    its leading space once translated."""
    catalog = Catalog(locale="ru")
    catalog.add(messages.TRAINED, "{name}: обучена ({budget}) за {time} на {device}; профиль "
                "{profile}{shorter}; итог: {losses}.", context=CTX_OUTPUT)  # fmt: skip
    catalog.add(messages.SHORTER, " (в вызове fit задано {asked})", context=CTX_OUTPUT)
    translator = OutputTranslator(catalog, library_templates(), [])
    clause = messages.SHORTER.format(asked="5 days")
    for profile, shorter, russian in [("quick", clause, " (в вызове fit задано 5 days)"),
                                      ("full", "", "")]:  # fmt: skip
        line = messages.TRAINED.format(
            name="m", budget="b", time="t", device="d", profile=profile, shorter=shorter,
            losses="loss 0.5",
        )  # fmt: skip
        problems: list[str] = []
        assert translator.line(line, problems) == (
            f"m: обучена (b) за t на d; профиль {profile}{russian}; итог: loss 0,5."
        )
        assert problems == []


@pytest.mark.parametrize(
    ("epochs", "russian"),
    [(1, "1 эпоха"), (2, "2 эпохи"), (5, "5 эпох"), (21, "21 эпоха"), (200, "200 эпох")],
)
def test_a_sentence_with_a_plural_takes_the_form_of_its_number(translator, epochs, russian):
    template = messages.EPOCH if epochs == 1 else messages.EPOCHS
    line = template.format(epochs=epochs, batch=30)
    assert translator.line(line, []) == f"{russian} с батчем 30"


def test_a_lesson_line_keeps_its_indentation(translator):
    problems: list[str] = []
    assert (
        translator.line("   mean distance to the curve: 0.031", problems)
        == "   среднее расстояние до кривой: 0,031"
    )


def test_terms_are_translated_in_place_keeping_their_column(translator):
    problems: list[str] = []
    assert translator.line("pixel space: dCor 0.52", problems) == "пиксели: dCor 0,52"
    # A right-aligned label stays right-aligned, a left-aligned one left-aligned.
    assert translator.line("       code: 0.91", problems) == "        код: 0,91"
    assert translator.line("code   | 0.91", problems) == "код    | 0,91"
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
            "│ conv2d (Conv2D)         │ (None, 28, 28, 128)    │   6,400 │",
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
        "│ conv2d (Conv2D)         │ (None, 28, 28, 128)    │   6\u00a0400 │",
        " Всего параметров: 1\u00a0234 (4,82\u00a0КБ)",
        " Non-trainable params: 0 (0.00 B)",
    ]
    assert problems == [
        "printed line matches no template: 'something new here 3'",
        "untranslated printed template 'untranslated {0}'",
        "missing Keras line 'Model: \"{name}\"'",
        "missing Keras word 'Layer (type)'",
        "missing Keras word 'Param #'",
        "missing Keras line 'Non-trainable params: {count} ({size})'",
    ]


def test_the_template_that_says_most_wins():
    # Without patterns, the shorter template would match the longer line too ({1} would
    # take "30, 200 batches each"): the longer literal is tried first.
    short, long = Template("{0} epochs of batch {1}"), Template(messages.EPOCHS_STEPS)
    catalog = Catalog(locale="ru")
    catalog.add(short.text, "{0} эпох, батч {1}", context=CTX_OUTPUT)
    catalog.add(
        (messages.EPOCH_STEPS, messages.EPOCHS_STEPS),
        tuple(
            f"{{epochs}} {word}, батч {{batch}}, шагов {{steps}}"
            for word in ("эпоха", "эпохи", "эпох")
        ),
        context=CTX_OUTPUT,
    )
    translator = OutputTranslator(catalog, [short, long], [])
    line = messages.EPOCHS_STEPS.format(epochs=3, batch=30, steps=200)
    assert translator.line(line, []) == "3 эпохи, батч 30, шагов 200"


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
        ("accuracy 99.24%", "accuracy 99,24\u00a0%"),
        ("Keras 3.15.1 on tensorflow 2.21.0", "Keras 3.15.1 on tensorflow 2.21.0"),
        ("py3.11, 1e-5, 2 cores", "py3.11, 1e-5, 2 cores"),
    ],
)
def test_numbers_are_written_the_russian_way(english, russian):
    assert localized_numbers(english, "ru") == russian
    assert localized_numbers(english, "en") == english
