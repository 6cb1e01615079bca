"""Each translated lesson is its English lesson's program, in other words (``examples/<lang>/``).

Two texts of one code: the syntax trees of a lesson and of its translation are compared,
docstrings and comments left out, and only the words a reader reads may differ: what is
printed (``print``, f-strings), what a figure shows (the arguments of ``plotting``), the
labels of a table (a dict's keys, the first of each pair in a list of pairs) and the
language the lesson chooses (``i18n.set_language``). Every other string (a layer's
activation, a loss, a model's name, a key looked up) must be the same. And each translation
records the sha256 of the English lesson it translates, which must be the English lesson
as it is now (``lesson_languages.behind_english``).
"""

from __future__ import annotations

import ast
import copy
import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import lesson_languages
import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "examples" / "en"
TRANSLATIONS = sorted(
    (folder.name, lesson.stem)
    for folder in (ROOT / "examples").iterdir()
    if folder.is_dir() and folder.name != "en"
    for lesson in folder.glob("plot_*.py")
)
WORDS = ast.Constant("…")


class _ReadersWords(ast.NodeTransformer):
    """The words a reader reads, each made ``…``; an f-string keeps its computed values."""

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # An f-string is shown: its text, and the strings it formats ({'λ = 0':>16}), are words.
        values = [part.value for part in node.values if isinstance(part, ast.FormattedValue)]
        values = [WORDS if _is_text(value) else self.visit(value) for value in values]
        return ast.Tuple(elts=values, ctx=ast.Load())

    def visit_Call(self, node: ast.Call) -> ast.AST:
        name = ast.unparse(node.func)
        if name in ("print", "i18n.set_language") or name.startswith("plotting."):
            return _AllStrings().visit(node)
        return self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        node.keys = [WORDS if _is_text(key) else key for key in node.keys]
        return self.generic_visit(node)

    def _pairs(self, node: ast.List | ast.Tuple) -> ast.AST:
        for pair in node.elts:  # [("label", value), ...]: a table's labels
            if isinstance(pair, ast.Tuple) and pair.elts and _is_text(pair.elts[0]):
                pair.elts[0] = WORDS
        return self.generic_visit(node)

    visit_List = visit_Tuple = _pairs


class _AllStrings(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return WORDS if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return _ReadersWords().visit_JoinedStr(node)


def _is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _without_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if _is_text(body[0].value):
                node.body = body[1:] or [ast.Pass()]
    return tree


def statements(source: str) -> Iterator[tuple[int, str]]:
    """Each statement of ``source``, in order, as compared: its line, and its syntax tree
    (without the statements it holds) with the reader's words made ``…``."""
    tree = _ReadersWords().visit(_without_docstrings(ast.parse(source)))

    def walk(body: list[ast.stmt]) -> Iterator[tuple[int, str]]:
        for statement in body:
            own = copy.copy(statement)
            inner = []
            for field in ("body", "orelse", "finalbody", "handlers"):
                if isinstance(getattr(own, field, None), list):
                    inner += getattr(own, field)
                    setattr(own, field, [])
            yield statement.lineno, ast.dump(own)
            yield from walk([node for node in inner if isinstance(node, ast.stmt)])
            for handler in (node for node in inner if isinstance(node, ast.excepthandler)):
                yield from walk(handler.body)

    yield from walk(tree.body)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if ROOT in path.parents else path)


def first_difference(english: Path, translated: Path) -> str | None:
    """Where ``translated`` stops being ``english``'s code, in words; None if it never does."""
    ours = list(statements(english.read_text(encoding="utf-8")))
    theirs = list(statements(translated.read_text(encoding="utf-8")))
    english_lines = english.read_text(encoding="utf-8").splitlines()
    translated_lines = translated.read_text(encoding="utf-8").splitlines()
    for index in range(max(len(ours), len(theirs))):
        if index < len(ours) and index < len(theirs) and ours[index][1] == theirs[index][1]:
            continue
        there = theirs[index][0] if index < len(theirs) else len(translated_lines)
        here = ours[index][0] if index < len(ours) else len(english_lines)
        return (
            f"{_shown(translated)}, line {there}, is not the code of {_shown(english)}, line "
            f"{here}:\n"
            f"  {translated_lines[there - 1].strip()}\n  {english_lines[here - 1].strip()}\n"
            "Only printed words, a figure's words and a table's labels may differ."
        )
    return None


@pytest.mark.parametrize("language, lesson", TRANSLATIONS)
def test_a_translated_lesson_is_its_english_lessons_code(language, lesson):
    english = ENGLISH / f"{lesson}.py"
    assert english.is_file(), f"examples/{language}/{lesson}.py translates no English lesson"
    assert first_difference(english, ROOT / "examples" / language / f"{lesson}.py") is None


@pytest.mark.parametrize("language, lesson", TRANSLATIONS)
def test_a_translated_lesson_has_its_english_lessons_sections_and_live_parts(language, lesson):
    """The same sections, whose English ids its page takes (so that the language switch keeps
    the reader's place), and the same marks of its live parts (``.. _live-...:``)."""
    english, translated = ENGLISH / f"{lesson}.py", ROOT / "examples" / language / f"{lesson}.py"
    sections = lesson_languages.section_ids
    assert len(sections(translated)) == len(sections(english))
    marks = [
        re.findall(r"^# \.\. _(live-[\w-]+):$", path.read_text(), re.M)
        for path in (english, translated)
    ]
    assert marks[0] == marks[1]


def test_every_english_lesson_has_its_translations():
    lessons = {lesson.stem for lesson in ENGLISH.glob("plot_*.py")}
    assert {lesson for _, lesson in TRANSLATIONS if _ == "ru"} == lessons


@pytest.mark.fault(
    "A translated lesson whose code is not its English lesson's",
    "The test names the lesson and its first line that differs (a model's setting, a key); "
    "printed words, a figure's words and a table's labels may differ.",
)
def test_a_changed_setting_is_found_and_printed_words_are_not(tmp_path):
    source = (ROOT / "examples" / "ru" / "plot_3_deep_autoencoder.py").read_text(encoding="utf-8")
    english = ENGLISH / "plot_3_deep_autoencoder.py"
    worded = tmp_path / "worded.py"
    worded.write_text(source.replace("кривая глубокого автоэнкодера", "другие слова"))
    assert first_difference(english, worded) is None
    changed = tmp_path / "changed.py"
    changed.write_text(
        source.replace('Dense(64, activation="elu")(x)', 'Dense(64, activation="relu")(x)', 1)
    )
    line = changed.read_text().splitlines().index('    x = Dense(64, activation="relu")(x)') + 1
    found = first_difference(english, changed)
    assert found and found.startswith(f"{changed}, line {line}, is not the code of ")
    assert "examples/en/plot_3_deep_autoencoder.py, line" in found
    assert 'activation="relu"' in found and 'activation="elu"' in found


@pytest.mark.parametrize("language", sorted({language for language, _ in TRANSLATIONS}))
def test_each_translation_translates_the_english_lesson_as_it_is_now(language):
    assert lesson_languages.behind_english(language) == []


@pytest.mark.fault(
    "An English lesson changed after its translation",
    "The translated build lists the translation as behind, with the git command that shows the "
    "change and the sha256 to record; under --strict-translations (CI) the build fails.",
)
def test_a_changed_english_lesson_puts_its_translation_behind(tmp_path, monkeypatch):
    for folder in ("en", "ru"):
        shutil.copytree(ROOT / "examples" / folder, tmp_path / "examples" / folder)
    monkeypatch.setattr(lesson_languages, "ROOT", tmp_path)
    english = tmp_path / "examples" / "en" / "plot_2_linear_autoencoder.py"
    english.write_text(english.read_text().replace("15 epochs in batches of 30", "15 epochs"))
    (tmp_path / "examples" / "ru" / "plot_6_latent_variables.py").unlink()
    (behind, missing) = lesson_languages.behind_english("ru")
    assert behind.startswith("examples/ru/plot_2_linear_autoencoder.py translates another")
    now = hashlib.sha256(english.read_bytes()).hexdigest()
    assert f'# sphinx_gallery_english_sha256 = "{now}"' in behind
    assert "git log --format=%H -- examples/en/plot_2_linear_autoencoder.py" in behind
    assert missing.startswith("examples/en/plot_6_latent_variables.py has no translation")
