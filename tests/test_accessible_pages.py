"""The accessibility fixes every built page gets (docs/_ext/accessible_pages.py)."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

import accessible_pages  # noqa: E402


def test_the_fixes_in_the_docstring_hold():
    failed, tried = doctest.testmod(accessible_pages)
    assert tried >= 3 and failed == 0


def test_a_page_is_fixed_once_and_cards_get_their_title_as_name():
    card = (
        '<p><a class="reference internal" href="plot_1.html"><span class="doc">Manifold'
        ' learning</span></a></p>\n  <div class="sphx-glr-thumbnail-title">'
    )
    page = '<aside class="toc-drawer">' + card + '<div class="highlight"><pre>x</pre></div>'
    fixed = accessible_pages.accessible(page)
    assert 'aria-label="Contents of this page"' in fixed
    assert 'href="plot_1.html" aria-label="Manifold learning"' in fixed
    assert accessible_pages.accessible(fixed) == fixed
