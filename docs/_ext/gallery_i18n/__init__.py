"""The site in other languages: what Sphinx's gettext does not translate by itself.

Sphinx translates the prose of every page from the catalogs in ``docs/locale/<lang>/``. A
sphinx-gallery page shows more than prose, and this extension handles the rest in every
build whose ``language`` is not English (``docs/translation.rst`` tells the whole story).
Its modules, one job each:

* :mod:`.templates`: sentences with their values left out, and what counts as prose;
* :mod:`.source`: what the lessons print and say in comments, read from their source;
* :mod:`.output`: printed lines rewritten from their templates' translations;
* :mod:`.words`: the fixed English of the tools (Keras, furo, sphinx-gallery);
* :mod:`.catalogs`: reading and writing ``.po`` files, the state of an entry;
* :mod:`.prose`: a lesson's reST text translated and wrapped again, for the downloads;
* :mod:`.pages`: a translated page's doctree (output, comments, thumbnails, alt text);
* :mod:`.downloads`: the translated ``.py``, ``.ipynb`` and ``.zip`` files;
* :mod:`.site`: the theme's labels, the copyright line and the search page's words;
* :mod:`.check`: the translation check, its report, and the strict option;
* :mod:`.extract` and :mod:`.fill`, and ``python -m gallery_i18n``: what ``nox -s
  gettext`` does besides Sphinx and sphinx-intl.

Only :mod:`.context`, :mod:`.pages`, :mod:`.check`, :mod:`.site` and :mod:`.downloads`
need Sphinx; the rest are plain functions of text and catalogs, tested without a build.
"""

from __future__ import annotations

from .catalogs import SOURCE_LANGUAGE

__all__ = ["SOURCE_LANGUAGE", "setup"]


def setup(app) -> dict[str, bool]:
    """The Sphinx extension: register every part (see the module's docstring)."""
    from . import check, downloads, site
    from .extract import write_collected
    from .pages import PageTranslation, require_current_lessons

    app.add_transform(PageTranslation)
    check.setup(app)
    site.setup(app)
    downloads.setup(app)
    app.connect("build-finished", write_collected)
    # Before sphinx-gallery's own builder-inited, which would run the lessons.
    app.connect("builder-inited", require_current_lessons, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
