"""The words of every page that no page's catalog holds: theme labels, copyright, search.

* furo writes some labels for screen readers straight into its templates, past gettext:
  they are rewritten in the built pages from the output catalog (:func:`_rewrite_labels`).
* The copyright line comes from ``conf.py``: its translation is put into each page's
  context (:func:`_translate_copyright`).
* Sphinx's search page takes its words from ``_static/translations.js``, which Sphinx
  copies from a ``sphinx.js`` found in the locale folders, before its own. Some of its
  Russian entries are empty (the message after a search), so :func:`write_sphinx_js`
  writes ``docs/locale/<lang>/LC_MESSAGES/sphinx.js``: Sphinx's own, with the project's
  ``sphinx.po`` translations over it. Like a ``.mo`` file, it is made by the build.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import sphinx
from sphinx.application import Sphinx
from sphinx.config import Config

from .catalogs import CTX_SITE, CTX_THEME, OUTPUT_DOMAIN, entry_state, js_catalog, read_catalog
from .check import problem
from .context import locale_dir, output_translator, translating
from .templates import Template, fill_template
from .words import THEME_LABELS

__all__ = ["setup", "write_sphinx_js"]

#: The theme's places that hold a label: an aria-label, the skip link, an icon's title.
_LABEL = re.compile(
    r'(aria-label="|<a class="skip-to-content[^>]*>\s*|<symbol [^>]*>\s*<title>)'
    r'([^"<]*?)(\s*"|\s*</a>|</title>)'
)


def _check_site_strings(app: Sphinx) -> None:
    """The copyright and the theme's labels must be translated: every page shows them."""
    if not translating(app):
        return
    translator = output_translator(app)
    wanted = [(app.config.copyright, CTX_SITE)] + [(label, CTX_THEME) for label in THEME_LABELS]
    for msgid, context in wanted:
        if not translator.get(msgid, context):
            state = entry_state(translator.catalog, msgid, context)
            problem(app, f"{state} {context} in {OUTPUT_DOMAIN}.po: {msgid!r}")


def _translate_copyright(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if translating(app) and context.get("copyright"):
        translated = output_translator(app).get(app.config.copyright, CTX_SITE)
        if translated:
            context["copyright"] = translated


def _rewrite_labels(app: Sphinx, exception: Exception | None) -> None:
    """furo's hard-coded labels, in the page's language, in every built page."""
    if exception is not None or not translating(app) or app.builder.format != "html":
        return
    translator = output_translator(app)
    labels = [(Template(label), translator.get(label, CTX_THEME)) for label in THEME_LABELS]
    regexes = [(template, template.regex(), msgstr) for template, msgstr in labels]

    def translate(match: re.Match[str]) -> str:
        value = html.unescape(match.group(2))
        for template, regex, msgstr in regexes:
            found = regex.fullmatch(value)
            if found and msgstr:
                value = html.escape(fill_template(msgstr, template.values(found)))
                return match.group(1) + value + match.group(3)
        return match.group(0)

    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _LABEL.sub(translate, text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def write_sphinx_js(app: Sphinx) -> None:
    """Write ``sphinx.js`` into the language's locale folder, where Sphinx looks first."""
    if not translating(app) or app.builder.format != "html":
        return
    language = app.config.language
    own = Path(sphinx.package_dir, "locale", language, "LC_MESSAGES", "sphinx.js")
    target = locale_dir(app) / "sphinx.js"
    if not own.is_file():
        return  # Sphinx has no script catalog for this language: there is nothing to fix
    original = own.read_text(encoding="utf-8")
    text = js_catalog(original, read_catalog(locale_dir(app) / "sphinx.po"))
    if text == original:
        target.unlink(missing_ok=True)
    elif not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def _absolute_locale_dirs(app: Sphinx, config: Config) -> None:
    """The locale folders as absolute paths.

    Sphinx finds the catalogs relative to the source folder, but looks for ``sphinx.js``
    relative to the working directory (``_get_translations_js`` in Sphinx 9.0), and nox
    runs Sphinx from the repository's root: made absolute, both find the same folder.
    Done when the configuration is read, before the environment compares it with its last
    build's: every build sets the same value, so no page is read again for it.
    """
    config.locale_dirs = [str(Path(app.srcdir, folder)) for folder in config.locale_dirs]


def setup(app: Sphinx) -> None:
    """Register the site strings' check and translation, and ``sphinx.js``."""
    app.connect("config-inited", _absolute_locale_dirs)
    app.connect("builder-inited", _check_site_strings)
    app.connect("builder-inited", write_sphinx_js)
    app.connect("html-page-context", _translate_copyright)
    app.connect("build-finished", _rewrite_labels)
