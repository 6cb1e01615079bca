"""The library speaks the lesson's language (ae_gallery/i18n.py): every sentence it prints,
draws or raises has its translation, counted nouns take their plural forms, numbers are
written the language's way, and it does so from a checkout and from the wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ae_gallery import budgets, data, device, i18n, plotting, progress
from ae_gallery.figure_text import description

ROOT = Path(__file__).resolve().parents[1]
COUNTS = (1, 2, 5, 11, 21, 22)
#: Which of Russian's three forms each count takes: 1 эпоха, 2 эпохи, 5 эпох, 11 эпох...
RUSSIAN_FORMS = (0, 1, 2, 2, 0, 1)


@pytest.fixture
def russian():
    i18n.set_language("ru")
    yield
    i18n.set_language("en")


def _catalog(language: str):
    with (i18n.LOCALE / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as po:
        return read_po(po, locale=language)


def _sentences() -> set:
    """Every sentence of the library's source, as gettext's extraction finds it."""
    keywords = {"_": None, "ngettext": (1, 2)}
    return {
        message if isinstance(message, str) else tuple(message)
        for _, _, message, _, _ in extract_from_dir(ROOT / "ae_gallery", keywords=keywords)
    }


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^{}]*\}", text.replace("{{", "").replace("}}", "")))


@pytest.mark.parametrize("language", i18n.LANGUAGES[1:])
def test_every_sentence_is_translated_with_its_placeholders(language):
    catalog = _catalog(language)
    missing = []
    for sentence in sorted(_sentences(), key=str):
        message = catalog.get(sentence if isinstance(sentence, str) else sentence[0])
        forms = () if message is None or message.fuzzy else message.string
        forms = (forms,) if isinstance(forms, str) else forms
        if not forms or not all(forms):
            missing.append(sentence)
            continue
        english = _fields(sentence if isinstance(sentence, str) else sentence[-1])
        for form in forms:
            assert _fields(form) == english, f"{sentence!r}: {form!r} has other placeholders"
    assert not missing, f"not translated in {language}: {missing} (nox -s gettext, then translate)"


def test_each_counted_noun_takes_its_russian_form(russian):
    plurals = [s for s in _sentences() if isinstance(s, tuple)]
    assert len(plurals) == 3, plurals  # epochs, epochs with batches, cores
    budgets_in_words = [budgets.Budget(n, 30).describe() for n in COUNTS]
    assert budgets_in_words == [
        "1 эпоха с батчами по 30",
        "2 эпохи с батчами по 30",
        "5 эпох с батчами по 30",
        "11 эпох с батчами по 30",
        "21 эпоха с батчами по 30",
        "22 эпохи с батчами по 30",
    ]
    steps = [budgets.Budget(n, 64, steps_per_epoch=60).describe().split(" из ")[0] for n in COUNTS]
    assert steps == ["1 эпоха", "2 эпохи", "5 эпох", "11 эпох", "21 эпоха", "22 эпохи"]
    cores = [device.describe_device({"cpu": "X", "cores": n}) for n in COUNTS]
    assert cores == [
        f"CPU (X, {n} {w})"
        for n, w in zip(COUNTS, ["ядро", "ядра", "ядер", "ядер", "ядро", "ядра"], strict=True)
    ]
    for singular, plural in plurals:
        forms = _catalog("ru").get(singular).string
        chosen = [i18n.ngettext(singular, plural, n) for n in COUNTS]
        assert chosen == [forms[i] for i in RUSSIAN_FORMS], singular


def test_numbers_and_durations_are_written_the_russian_way(russian):
    assert i18n.number(6400) == "6\u00a0400"
    assert i18n.number(0.00812, ".4f") == "0,0081"
    assert i18n.number(2.5e-05, ".4g") == "2,5e-05"
    assert progress.format_seconds(6.78) == "6,8\u00a0с"
    assert progress.format_seconds(476) == "7\u00a0мин 56\u00a0с"
    assert budgets.Budget(1500, 30).describe() == "1\u00a0500 эпох с батчами по 30"


def test_the_published_device_is_data_worded_when_printed(russian):
    from ae_gallery import published

    entry = published.read_manifest()["deep_ae"]
    assert entry["device"] == {"cpu": "AMD EPYC", "cores": 2, "precision": "float32"}
    assert entry["budget"] == {"epochs": 200, "batch_size": 30, "steps_per_epoch": None}
    words = published.trained_on({**entry["device"], "keras": "3.15.1", "backend": "jax 0.9"})
    assert words == "CPU (AMD EPYC, 2 ядра), Keras 3.15.1 на jax 0.9"
    i18n.set_language("en")
    words = published.trained_on({**entry["device"], "keras": "3.15.1", "backend": "jax 0.9"})
    assert words == "CPU (AMD EPYC, 2 cores) with Keras 3.15.1 on jax 0.9"


def test_a_figure_is_drawn_and_described_in_russian(russian):
    fig = plotting.plot_training_curves({"deep_ae": {"loss": [0.5, 0.2], "val_loss": [0.6, 0.3]}})
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("эпоха", "потери")
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["потери", "потери на тесте"]
    assert description(fig).startswith("Функция потерь по эпохам (логарифмическая шкала)")


def test_an_error_is_raised_in_russian(russian):
    with pytest.raises(ValueError, match="make_sine_data нужны n_points >= 2"):
        data.make_sine_data(n_points=1)
    with pytest.raises(ValueError, match="Неизвестное значение 'fast' \\(профиль обучения"):
        budgets.requested_profile("fast")


@pytest.mark.fault(
    "A language the library has no catalog for",
    "``ValueError`` naming the languages it speaks.",
)
def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="choose one of: en, ru"):
        i18n.set_language("de")
    assert i18n.language() == "en"


#: What a Russian lesson's first lines do, and a printed line of the library's.
SPEAKS = (
    "from ae_gallery import budgets, i18n; i18n.set_language('ru'); "
    "print(budgets.Budget(5, 30).describe()); print(i18n.__file__)"
)
#: A machine whose locale is English, or none at all.
ENGLISH_MACHINE = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "en"}


def _speaks(env: dict[str, str], cwd: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SPEAKS],
        env={**os.environ, **ENGLISH_MACHINE, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_the_checkout_speaks_russian_on_an_english_machine(tmp_path):
    """The editable install (``pip install -e .``, as the test sessions have it)."""
    said, module = _speaks({}, tmp_path)
    assert said == "5 эпох с батчами по 30"
    assert Path(module).is_relative_to(ROOT / "ae_gallery"), module


def test_the_wheel_speaks_russian_on_an_english_machine(tmp_path):
    """The wheel carries the catalog (``pyproject.toml``'s package data): built from this
    checkout, unpacked where nothing else is, it speaks Russian."""
    build = (
        "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", build, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"},
    )
    wheel = tmp_path / done.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        assert "ae_gallery/locale/ru/LC_MESSAGES/ae_gallery.po" in archive.namelist()
        archive.extractall(tmp_path / "site")
    said, module = _speaks({"PYTHONPATH": str(tmp_path / "site")}, tmp_path)
    assert said == "5 эпох с батчами по 30"
    assert Path(module).is_relative_to(tmp_path / "site"), module
