"""The search page's words, and where Sphinx looks for them: fixes no Sphinx option makes.

Sphinx's search page takes its words from ``_static/translations.js``, which it copies from a
``sphinx.js`` found in the locale folders before its own. Some of its Russian entries are
empty (the message after a search), so :func:`write_sphinx_js` writes
``docs/locale/<lang>/LC_MESSAGES/sphinx.js``: Sphinx's own, with the project's ``sphinx.po``
translations over it. Like a ``.mo`` file, it is made by the build.
"""

from __future__ import annotations

from pathlib import Path

import sphinx
from sphinx.application import Sphinx

from .catalogs import js_catalog, read_catalog
from .pages import locale_dir, problem, translating

__all__ = ["setup", "write_sphinx_js"]


def write_sphinx_js(app: Sphinx) -> None:
    """Write ``sphinx.js`` into the language's locale folder, where Sphinx looks first."""
    if not translating(app) or app.builder.format != "html":
        return
    own = Path(sphinx.package_dir, "locale", app.config.language, "LC_MESSAGES", "sphinx.js")
    if not own.is_file():
        return  # Sphinx has no script catalog for this language: there is nothing to fix
    target = locale_dir(app) / "sphinx.js"
    original = own.read_text(encoding="utf-8")
    text = js_catalog(original, read_catalog(locale_dir(app) / "sphinx.po"))
    if text == original:
        target.unlink(missing_ok=True)
    elif not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def check_template_words(app: Sphinx) -> None:
    """Every word of the templates (``sphinx.po``: ours and the theme's) translated."""
    if not translating(app):
        return
    for message in read_catalog(locale_dir(app) / "sphinx.po") or ():
        if message.id and (message.fuzzy or not message.string or not all(message.string)):
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            problem(app, f"untranslated template word in sphinx.po: {key!r}")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", write_sphinx_js)
    app.connect("builder-inited", check_template_words)
