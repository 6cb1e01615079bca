"""The site in other languages: what Sphinx's gettext does not translate by itself.

Sphinx translates every page's prose from the catalogs in ``docs/locale/<lang>/``; the
templates' words come from ``sphinx.po``. A sphinx-gallery page shows more than prose, and
no tool translates the rest: what a program printed, the comments of code, the figures'
alt text, matplotlib's animation widget and the downloads (``docs/translation.rst`` tells
the whole story). Its modules, one job each:

* :mod:`.text`: templates, what counts as prose, numbers and plurals a language's way;
* :mod:`.source`: what the lessons print and say in comments, read from their source;
* :mod:`.catalogs`: reading and writing ``.po`` files, the state of an entry;
* :mod:`.output`: printed lines rewritten from their templates' translations;
* :mod:`.prose`: a lesson's reST text translated and wrapped again, for the downloads;
* :mod:`.pages`: a translated page's doctree, and the check that everything is translated;
* :mod:`.downloads`: the translated ``.py`` and ``.ipynb`` files (``gallery_build``
  writes them);
* :mod:`.site`: the search page's words, and the template words' check;
* :mod:`.extract`, :mod:`.fill` and ``python -m gallery_i18n``: what ``nox -s gettext``
  does besides Sphinx and sphinx-intl.

Only :mod:`.pages`, :mod:`.downloads`, :mod:`.site` and :mod:`.extract`'s collection need a
Sphinx build; the rest are plain functions of text and catalogs, tested without one.
"""

from __future__ import annotations

from . import pages, site
from .catalogs import SOURCE_LANGUAGE
from .extract import collect_comments, write_collected

__all__ = ["SOURCE_LANGUAGE", "setup"]


def setup(app) -> dict[str, bool]:
    """The Sphinx extension: register every part (see the module's docstring)."""
    pages.setup(app)
    site.setup(app)
    app.connect("doctree-read", collect_comments)
    app.connect("build-finished", write_collected)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
