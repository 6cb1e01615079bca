"""axe-core, an accessibility checker nobody here wrote, on every page of every language.

A module of its own: `nox -s site` runs each module in one pytest-xdist worker, and these
checks are the longest of the site's (one test per language: one worker each, or in turn).
"""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from sitekit import COUNTS, KNOWN_LANGUAGES, html_pages, site_languages
from sitekit import FIGURES as MEASURED

PAGES = [f"{lang}/{page}" for lang in site_languages() for page in html_pages(lang)]

#: axe-core, from the npm registry (`nox -s site` installs it and names its file here).
AXE_ENV_VAR = "AE_GALLERY_AXE"
#: The impacts no page may have.
AXE_FORBIDDEN = ("serious", "critical")
#: Every rule runs; only the elements that violate one are listed in full.
AXE_OPTIONS = {"resultTypes": ["violations"]}
#: Pages checked at once: each in a renderer process of its own, one per core.
AXE_PAGES_AT_ONCE = 2


@pytest.mark.parametrize("lang", KNOWN_LANGUAGES)
def test_axe_finds_nothing_serious_on_any_page(light, server, languages, lang):
    """axe-core, a checker nobody here wrote, on every page of a language: no violation
    of impact serious or critical. Prints the checks run and the violations by impact.

    Only violations are reported in full (axe's ``resultTypes``; a rule that passed still
    counts once), and two pages are checked at a time: each page is a renderer process of
    its own, so two cores check two pages."""
    if lang not in languages:
        pytest.skip(f"no {lang} site built (and {lang} not required)")
    axe_file = os.environ.get(AXE_ENV_VAR)
    if not axe_file:
        pytest.skip(f"{AXE_ENV_VAR} names no axe-core (`nox -s site` installs it)")
    axe = Path(axe_file).read_text(encoding="utf-8")
    checks, impacts = 0, collections.Counter()
    found, allowed = [], []

    def start(path):
        page = light.new_page()
        page.goto(server + quote(path), wait_until="load")
        page.add_script_tag(content=axe)
        # Not awaited: the page checks itself while the next one loads.
        page.evaluate(
            f"() => {{ window.axeResult = axe.run(document, {json.dumps(AXE_OPTIONS)}); }}"
        )
        return path, page

    def finish(path, page):
        nonlocal checks
        result = page.evaluate("async () => await window.axeResult")
        page.close()
        checks += sum(len(result[k]) for k in ("passes", "violations", "incomplete"))
        for violation in result["violations"]:
            impacts[violation["impact"]] += len(violation["nodes"])
            where = violation["nodes"][0]["html"][:120]
            seen = f"{path}: {violation['id']} ({violation['impact']}) at {where}"
            (found if violation["impact"] in AXE_FORBIDDEN else allowed).append(seen)

    pages = [path for path in PAGES if path.split("/")[0] == lang]
    in_flight = collections.deque()
    for path in pages:
        in_flight.append(start(path))
        if len(in_flight) == AXE_PAGES_AT_ONCE:
            finish(*in_flight.popleft())
    while in_flight:
        finish(*in_flight.popleft())
    # One entry, with the allowed violations under it: the summary sorts its lines.
    MEASURED.append(
        f"axe-core, {lang}: {len(pages)} pages, {checks} rules applied; violations (elements) "
        f"by impact: {dict(impacts) or 'none'}" + "".join(f"\n  {seen}" for seen in allowed[:5])
    )
    COUNTS["pages checked by axe-core"] += len(pages)
    assert not found, "\n".join(found[:20])
