"""Tables of the maintainers' page, made from the code at build time, so they never drift.

``.. recipe-budgets::``
    Each model's budget under every profile (its lesson's, then :mod:`ae_gallery.recipes`),
    and why its ``quick`` budget is what it is.
``.. published-weights::``
    Each model's published weights (``ae_gallery/published/manifest.json``): the budget,
    where and in how long it trained, its final losses and the size of its files.

Budgets, devices, durations and numbers are worded by the library in the page's language
(:mod:`ae_gallery.i18n`); only the reasons are prose, translated with the page.
``.. fault-table::``
    Every bad input and fault the tests try: the tests that carry
    ``@pytest.mark.fault(case, outcome)``, read from the test files named in the
    directive's content (in that order). Tests that share a case share a row; the row's
    outcome is the one a marker gives.
"""

from __future__ import annotations

import ast
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from ae_gallery import i18n, published, recipes
from ae_gallery.budgets import Budget
from ae_gallery.progress import format_seconds

ROOT = Path(__file__).resolve().parents[2]


def _list_table(header: list[str], rows: list[list[str]], widths: str) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        for i, cell in enumerate(row):
            lines.append(("   * - " if i == 0 else "     - ") + cell)
    return lines


def budget_rows(language: str = "en") -> list[list[str]]:
    """One row per model: the budget its lesson asks for, its shorter ones, and why."""
    manifest = published.read_manifest()
    rows = []
    with i18n.speaking(language):
        for name, recipe in recipes.RECIPES.items():
            full = Budget(**manifest[name]["budget"]).describe() if name in manifest else ""
            budgets = [full, recipe.quick.describe(), recipe.smoke.describe()]
            rows.append([f"``{name}``", *budgets, recipe.quick_reason])
    return rows


def published_rows(language: str = "en") -> list[list[str]]:
    """One row per published model, from the manifest, in ``language``."""
    rows = []
    with i18n.speaking(language):
        for name, entry in published.read_manifest().items():
            size = sum(f["bytes"] for f in entry["files"].values())
            device = {**entry["device"], "keras": entry["keras"], "backend": entry["backend"]}
            losses = ", ".join(
                f"``{k}`` {i18n.number(v, '.4g')}" for k, v in entry["final"].items()
            )
            rows.append(
                [
                    f"``{name}``",
                    Budget(**entry["budget"]).describe(),
                    published.trained_on(device),
                    format_seconds(entry["seconds"]),
                    losses,
                    i18n.number(round(size / 1000)),
                ]
            )
    return rows


def _marker_args(node: ast.AST, constants: dict[str, str]) -> list[str] | None:
    """The arguments of a ``pytest.mark.fault(...)`` call, else None.

    An argument is a string, or the name of a string constant of the test module.
    """
    if not isinstance(node, ast.Call) or ast.unparse(node.func) != "pytest.mark.fault":
        return None
    return [
        constants[arg.id] if isinstance(arg, ast.Name) else ast.literal_eval(arg)
        for arg in node.args
    ]


def _faults_of(
    node: ast.FunctionDef, prefix: str, constants: dict[str, str]
) -> list[tuple[str, list[str]]]:
    """``(test id, marker arguments)`` of each fault marker of a test or of its parameters."""
    found = []
    for decorator in node.decorator_list:
        if args := _marker_args(decorator, constants):
            found.append((f"{prefix}{node.name}", args))
        for call in ast.walk(decorator):
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "pytest.param":
                keywords = {k.arg: k.value for k in call.keywords}
                param_id = ast.literal_eval(keywords["id"]) if "id" in keywords else "..."
                for mark in ast.walk(keywords.get("marks", ast.Constant(None))):
                    if args := _marker_args(mark, constants):
                        found.append((f"{prefix}{node.name}[{param_id}]", args))
    return found


def fault_rows(test_files: list[Path]) -> list[list[str]]:
    """One row per fault case: the case, what happens, and the tests that try it.

    A marker counts on a test's decorators, or in the ``marks`` of one of its parameters.
    """
    cases: dict[str, dict] = {}
    for path in test_files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            node.targets[0].id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        }
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            prefix = f"{path.relative_to(ROOT).as_posix()}::"
            for test, args in _faults_of(node, prefix, constants):
                row = cases.setdefault(args[0], {"outcome": None, "tests": []})
                if len(args) > 1:
                    row["outcome"] = args[1]
                row["tests"].append(f"``{test}``")
    missing = [case for case, row in cases.items() if row["outcome"] is None]
    if missing:
        raise ValueError(f"fault cases without an outcome in any marker: {missing}")
    return [[case, row["outcome"], ", ".join(row["tests"])] for case, row in cases.items()]


def _note_library_words(env) -> None:
    """A table worded by the library is read again when the library's catalogs change."""
    for catalog in sorted((ROOT / "ae_gallery" / "locale").glob("*/LC_MESSAGES/*.po")):
        env.note_dependency(str(catalog))


class _TableDirective(SphinxDirective):
    def _render(self, lines: list[str], worded: int = 0) -> list[nodes.Node]:
        """The table's nodes; the first ``worded`` columns of its rows are in the page's
        language already (the library's words): no catalog entries."""
        holder = nodes.container()
        source = self.get_source_info()[0]
        nested_parse_with_titles(self.state, StringList(lines, source=source), holder)
        for row in (r for node in holder.children for r in node.findall(nodes.row)):
            if isinstance(row.parent, nodes.tbody):
                for cell in row.children[:worded]:
                    for paragraph in cell.findall(nodes.paragraph):
                        paragraph["translatable"] = False
        return holder.children


class RecipeBudgets(_TableDirective):
    def run(self):
        for path in ("recipes.py", "budgets.py", "published/manifest.json"):
            self.env.note_dependency(str(ROOT / "ae_gallery" / path))
        _note_library_words(self.env)
        header = ["model", "full (the lesson's)", "quick", "smoke", "why the quick budget"]
        rows = budget_rows(self.env.config.language or "en")
        return self._render(_list_table(header, rows, "16 18 18 14 34"), worded=4)


class PublishedWeights(_TableDirective):
    def run(self):
        self.env.note_dependency(str(ROOT / "ae_gallery" / "published" / "manifest.json"))
        _note_library_words(self.env)
        header = ["model", "budget", "trained on", "time", "final losses", "files (kB)"]
        rows = published_rows(self.env.config.language or "en")
        # The rows change with every publication: no catalog entries (worded above).
        return self._render(_list_table(header, rows, "14 18 30 10 18 10"), worded=6)


class FaultTable(_TableDirective):
    has_content = True

    def run(self):
        files = [ROOT / line.strip() for line in self.content if line.strip()]
        for path in files:
            self.env.note_dependency(str(path))
        header = ["case", "what happens", "test"]
        return self._render(_list_table(header, fault_rows(files), "26 44 30"))


def setup(app):
    app.add_directive("recipe-budgets", RecipeBudgets)
    app.add_directive("published-weights", PublishedWeights)
    app.add_directive("fault-table", FaultTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
