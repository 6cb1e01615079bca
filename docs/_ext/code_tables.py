"""Tables of the maintainers' page, made from the code at build time, so they never drift.

``.. recipe-budgets::``
    Each recipe's budget under every profile, and why its ``quick`` budget is what it is
    (:mod:`ae_gallery.recipes`).
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

ROOT = Path(__file__).resolve().parents[2]


def _list_table(header: list[str], rows: list[list[str]], widths: str) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        for i, cell in enumerate(row):
            lines.append(("   * - " if i == 0 else "     - ") + cell)
    return lines


def budget_rows() -> list[list[str]]:
    """One row per recipe: its name, its three budgets, and the reason for ``quick``."""
    from ae_gallery import recipes
    from ae_gallery.budgets import PROFILES

    return [
        [f"``{r.name}``", *(r.budgets[p].describe() for p in PROFILES), r.quick_reason]
        for r in recipes.RECIPES.values()
    ]


def _marker_args(decorator: ast.expr) -> list[str] | None:
    """The string arguments of ``@pytest.mark.fault(...)``, else None."""
    if not isinstance(decorator, ast.Call):
        return None
    name = ast.unparse(decorator.func)
    if name != "pytest.mark.fault":
        return None
    return [arg.value for arg in decorator.args if isinstance(arg, ast.Constant)]


def fault_rows(test_files: list[Path]) -> list[list[str]]:
    """One row per fault case: the case, what happens, and the tests that try it."""
    cases: dict[str, dict] = {}
    for path in test_files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                args = _marker_args(decorator)
                if not args:
                    continue
                row = cases.setdefault(args[0], {"outcome": None, "tests": []})
                if len(args) > 1:
                    row["outcome"] = args[1]
                row["tests"].append(f"``{path.relative_to(ROOT).as_posix()}::{node.name}``")
    missing = [case for case, row in cases.items() if row["outcome"] is None]
    if missing:
        raise ValueError(f"fault cases without an outcome in any marker: {missing}")
    return [[case, row["outcome"], ", ".join(row["tests"])] for case, row in cases.items()]


class _TableDirective(SphinxDirective):
    def _render(self, lines: list[str]) -> list[nodes.Node]:
        holder = nodes.container()
        source = self.get_source_info()[0]
        nested_parse_with_titles(self.state, StringList(lines, source=source), holder)
        return holder.children


class RecipeBudgets(_TableDirective):
    def run(self):
        for module in ("recipes", "budgets"):
            self.env.note_dependency(str(ROOT / "ae_gallery" / f"{module}.py"))
        header = ["model", "full (the article)", "quick", "smoke", "why the quick budget"]
        return self._render(_list_table(header, budget_rows(), "16 18 18 14 34"))


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
    app.add_directive("fault-table", FaultTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
