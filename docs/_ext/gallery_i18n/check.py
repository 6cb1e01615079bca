"""The check: is every entry of a translated page translated? And the report of what is not.

A *translation problem* is an entry that a translated page shows in English: an entry of a
page's catalog that is untranslated, fuzzy or missing (the English changed), a printed line
that no template matches, an untranslated comment, label or download. A maintainer meets
one after every change of English prose, so locally it never stops the build: the entry
shows in English, and the build ends with their count, their list and the next step. With
:data:`STRICT` set (``nox -s docs -- --strict-translations``, as on CI) each one is also a
Sphinx warning, of type ``i18n.untranslated``, which ``-W`` turns into an error.

Problems found while a page is read are kept in the environment, per page, so the list is
complete after an incremental build too; those found over the whole build (downloads, site
strings) are kept in :data:`PROBLEMS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

from .catalogs import entry_state, read_catalog
from .context import locale_dir, translating

__all__ = ["PROBLEMS", "STRICT", "check_entries", "problem", "setup"]

#: The configuration value that makes translation problems warnings (``-D``, 0 or 1).
STRICT = "gallery_i18n_strict"
#: Problems of the whole build, not of one page: cleared when a build starts.
PROBLEMS: list[str] = []

logger = logging.getLogger(__name__)


def problem(app: Sphinx, text: str, location: nodes.Node | None = None) -> None:
    """Note one translation problem; a warning too when the build is strict.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The build.
    text : str
        What is untranslated, and in which catalog.
    location : docutils.nodes.Node, optional
        The node of the page it was found in: the problem is then the page's, and is kept
        with the page in the environment; without one it is the build's.
    """
    if getattr(app.config, STRICT):
        logger.warning(text, location=location, type="i18n", subtype="untranslated")
    if location is None:
        PROBLEMS.append(text)
        return
    docname = app.env.docname
    problems = getattr(app.env, "i18n_problems", {})
    problems.setdefault(docname, []).append(text)
    app.env.i18n_problems = problems


def _is_api_detail(node: nodes.Node) -> bool:
    """An entry of an object's description past its summary (its first paragraph)."""
    parent = node
    while parent is not None:
        if isinstance(parent, addnodes.desc_content):
            first = next(iter(parent.findall(nodes.paragraph)), None)
            return first is not node
        parent = parent.parent
    return False


def check_entries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Every entry of the page translated, except an object's details on the API pages.

    Counts the page's entries for the report: required, of which translated; details, of
    which translated.
    """
    catalog_path = locale_dir(app) / f"{docname}.po"
    catalog = None
    counts = [0, 0, 0, 0]
    for node, msg in extract_messages(doctree):
        exempt = _is_api_detail(node)
        counts[2 * exempt] += 1
        done = node.get("translated")
        if not done:
            # Sphinx marks nodes it translated, except a few (a toctree's caption): ask the
            # catalog about those.
            if catalog is None:
                catalog = read_catalog(catalog_path)
            state = entry_state(catalog, " ".join(msg.split("\n")))
            done = state == "translated"
        if done:
            counts[2 * exempt + 1] += 1
            continue
        if not exempt:
            relative = catalog_path.relative_to(Path(app.srcdir))
            problem(app, f"{state} entry in {relative}: {shorten(msg)!r}", node)
    app.env.i18n_counts = getattr(app.env, "i18n_counts", {}) | {docname: counts}


def shorten(text: str, width: int = 70) -> str:
    """An entry on one line, cut to ``width`` characters: enough to find it in the catalog."""
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 3] + "..."


def _shares(counts: dict[str, list[int]]) -> tuple[list[str], list[int]]:
    """The table of translated entries per page, and the totals of its four columns."""
    width = max([len(d) for d in counts] + [4])
    row = "{:<" + str(width) + "}  {:>9}  {:>8}  {:>13}"
    lines = [row.format("page", "required", "share", "API details")]
    total = [0, 0, 0, 0]
    for docname in sorted(counts):
        c = counts[docname]
        total = [a + b for a, b in zip(total, c, strict=True)]
        share = f"{100 * c[1] / c[0]:.1f}%" if c[0] else "-"
        details = f"{c[3]}/{c[2]}" if c[2] else ""
        lines.append(row.format(docname, f"{c[1]}/{c[0]}", share, details))
    share = f"{100 * total[1] / total[0]:.1f}%" if total[0] else "-"
    lines.append(row.format("all", f"{total[1]}/{total[0]}", share, f"{total[3]}/{total[2]}"))
    return lines, total


def all_problems(env: BuildEnvironment) -> list[str]:
    """Every problem of the last build, each once: the pages', then the build's."""
    found: list[str] = []
    for docname, texts in sorted(getattr(env, "i18n_problems", {}).items()):
        found += [f"{docname}: {text}" for text in texts]
    found += PROBLEMS
    return list(dict.fromkeys(found))


def summary(language: str, problems: Iterable[str], listing: Path, strict: bool) -> str:
    """What the end of a build says about its translation problems."""
    problems = list(problems)
    lines = [
        f"{len(problems)} untranslated entries ({language}), shown in English on the "
        f"{language} pages:",
        *(f"  {text}" for text in problems),
        f"The list is in {listing}.",
        f"Next: run `nox -s gettext`, then translate them in the catalogs of "
        f"docs/locale/{language}/LC_MESSAGES (docs/translation.rst).",
    ]
    if not strict:
        lines.append("(Not an error here; with `--strict-translations`, as on CI, it is.)")
    return "\n".join(lines)


def _start(app: Sphinx) -> None:
    PROBLEMS.clear()
    listing = Path(app.outdir).parent / f"untranslated-{app.config.language}.txt"
    listing.unlink(missing_ok=True)


def _write_report(app: Sphinx, exception: Exception | None) -> None:
    """The share of translated entries per page, and the list of what is untranslated."""
    if exception is not None or not translating(app):
        return
    language = app.config.language
    counts = getattr(app.env, "i18n_counts", {})
    report = Path(app.outdir).parent / f"translation-{language}.txt"
    lines, total = _shares(counts)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    share = f"{100 * total[1] / total[0]:.1f}%" if total[0] else "-"
    logger.info(
        f"translated entries ({language}): required {total[1]}/{total[0]} ({share}), "
        f"API details {total[3]}/{total[2]}; per page in {report}"
    )
    problems = all_problems(app.env)
    if problems:
        listing = report.with_name(f"untranslated-{language}.txt")
        listing.write_text("\n".join(problems) + "\n", encoding="utf-8")
        # The build's last words: a warning under strict, and the list already went by.
        logger.info(
            summary(language, problems, listing, getattr(app.config, STRICT)), color="darkred"
        )


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "i18n_problems", {}).pop(docname, None)
    getattr(env, "i18n_counts", {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for name in ("i18n_problems", "i18n_counts"):
        mine = getattr(env, name, {})
        mine.update({d: v for d, v in getattr(other, name, {}).items() if d in docnames})
        setattr(env, name, mine)


def _outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages that had a problem are read again, so that a strict build warns again."""
    if not translating(app):
        return []
    return sorted(set(getattr(env, "i18n_problems", {})) - set(removed))


def setup(app: Sphinx) -> None:
    """Register the option, the environment's bookkeeping and the report."""
    # A different option leaves the pages as they are: rebuild="" (no page is read again,
    # but the pages with a problem, by _outdated).
    app.add_config_value(STRICT, False, "", types=frozenset({bool}))
    app.connect("builder-inited", _start, priority=1)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    # After the downloads and the site's strings, which find problems of their own.
    app.connect("build-finished", _write_report, priority=900)
