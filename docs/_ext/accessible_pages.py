"""What the themes' templates leave out for screen readers and keyboards, added to every page.

axe-core (``nox -s site``) found the same few faults on every page of the site, all from
templates, not from our text; each is fixed here once, in the written HTML:

* Sphinx writes a toctree's caption as ``<p class="caption" role="heading">``; a heading
  needs a level (``aria-level``).
* furo's two sidebars are both ``<aside>`` landmarks; a name tells them apart.
* sphinx-gallery's cards hide their link's text from screen readers; the link gets the
  lesson's title as its name.
* A code block or a table that scrolls sideways must be reachable by keyboard
  (``tabindex="0"``).

The names are English here; the translated builds rewrite them with furo's other labels
(``gallery_i18n``: ``THEME_LABELS``).
"""

from __future__ import annotations

import re
from pathlib import Path

#: The landmarks' names: (the tag as furo writes it, its name).
SIDEBARS = (
    ('<aside class="sidebar-drawer">', "Site navigation"),
    ('<aside class="toc-drawer">', "Contents of this page"),
)

_CARD_LINK = re.compile(
    r'<a class="reference internal" href="([^"]*)"><span class="doc">([^<]*)</span></a></p>'
    r'(\s*<div class="sphx-glr-thumbnail-title">)'
)
_CODE = re.compile(r'(<div class="highlight"><pre)(?![^>]*tabindex)')
_TABLE = re.compile(r'<div class="table-wrapper(?![^>]*tabindex)')


def accessible(page: str) -> str:
    """A page's HTML with the fixes above.

    Examples
    --------
    >>> accessible('<p class="caption" role="heading"><span>Lessons</span></p>')
    '<p class="caption" role="heading" aria-level="2"><span>Lessons</span></p>'
    >>> accessible('<div class="highlight"><pre><span>x</span></pre></div>')
    '<div class="highlight"><pre tabindex="0"><span>x</span></pre></div>'
    >>> accessible('<div class="table-wrapper docutils container"><table></table></div>')
    '<div tabindex="0" class="table-wrapper docutils container"><table></table></div>'
    """
    page = page.replace(
        '<p class="caption" role="heading">', '<p class="caption" role="heading" aria-level="2">'
    )
    for tag, name in SIDEBARS:
        page = page.replace(tag, f'{tag[:-1]} aria-label="{name}">')
    page = _CARD_LINK.sub(
        r'<a class="reference internal" href="\1" aria-label="\2"><span class="doc">\2</span>'
        r"</a></p>\3",
        page,
    )
    page = _TABLE.sub('<div tabindex="0" class="table-wrapper', page)
    return _CODE.sub(r'\1 tabindex="0"', page)


def _fix_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        fixed = accessible(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app):
    # Before the translated builds rewrite furo's labels (gallery_i18n, priority 500).
    app.connect("build-finished", _fix_pages, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
