"""Sphinx configuration of the ae-gallery site: English and Russian, each from its own lessons."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import gallery_build  # noqa: E402  (docs/_ext, on the path just above)
import inventories  # noqa: E402
import lesson_live  # noqa: E402
import site_addresses  # noqa: E402

import ae_gallery  # noqa: E402

project = "ae-gallery"
author = "ae-gallery developers"
copyright = "2026, ae-gallery developers; article text after the Habr series Autoencoders in Keras"
release = version = ae_gallery.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",
    # MathJax from the site itself: reading a page sends no request anywhere.
    "sphinx-mathjax-offline",
    # Names of numpy, matplotlib, seaborn and scikit-learn link to their documentation,
    # from the inventories kept (and checked) in docs/_intersphinx: no network.
    "sphinx.ext.intersphinx",
    # The library's source as pages of the site, behind the API pages' "[source]" links.
    "sphinx.ext.viewcode",
    # A copy button on every code block; it copies code without prompts or output.
    "sphinx_copybutton",
    # Our own, each for what no option of these does (its docstring says what):
    "lesson_languages",  # each language's own lessons, and sphinx-gallery's words in it
    "gallery_build",  # lessons rerun with the library, checked figures, downloads
    "page_translations",  # the pages' catalogs all translated, and the search page's words
    "lesson_live",  # the lessons' explorers and trainers, in the reader's browser
    "code_tables",  # the maintainers' tables, made from the code and the tests
    "site_addresses",  # the repository's and the site's addresses, and what hangs on them
]

# Our extensions shape every page, and Sphinx tracks no extension's code: a change to it
# reads every page again, as a changed setting does (an incremental build would keep the
# pages as the old code made them).
extensions_code = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted((DOCS / "_ext").rglob("*.py")))
).hexdigest()


def setup(app):
    app.add_config_value("extensions_code", "", "env", types=frozenset({str}))


intersphinx_mapping = inventories.intersphinx_mapping()

# The site's public address (AE_GALLERY_SITE_URL): canonical links, social cards and a
# sitemap of both languages. Without it they are skipped, and the build says so.
SITE_URL = site_addresses.site_url()
if SITE_URL:
    html_baseurl = SITE_URL
    extensions += ["sphinxext.opengraph", "sphinx_sitemap"]
    ogp_site_url = SITE_URL
    ogp_site_name = "ae-gallery"
    ogp_use_first_image = True
    ogp_image = "_static/favicon.png"
    ogp_enable_meta_description = True
    sitemap_url_scheme = "{lang}{link}"  # pages live under <site>/<language>/
    sitemap_locales = ["en", *sorted(p.name for p in (DOCS / "locale").iterdir() if p.is_dir())]
    # The source pages are for readers who follow a "[source]" link; viewcode also writes
    # only the changed ones, so an incremental build would list some of them.
    sitemap_excludes = ["search.html", "genindex.html", "py-modindex.html", "_modules/*"]

# The library's wheel, built by `nox -s docs` and published at the site's root: the pages
# name it, the notebooks install it, the zips hold it.
WHEEL = gallery_build.wheel_of_build()
WHEEL_NAME = WHEEL[0].name if WHEEL else f"ae_gallery-{release}-py3-none-any.whl"
html_context = {"ae_gallery_site": SITE_URL}
rst_epilog = f"""
.. |wheel_name| replace:: {WHEEL_NAME}
.. |wheel_link| replace:: `{WHEEL_NAME} <../{WHEEL_NAME}>`__
.. |wheel_sha256| replace:: ``{WHEEL[1] if WHEEL else "(built by nox -s docs)"}``
"""

copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = False

# `nox -s docs` builds each language with `-D language=...`: its pages from the catalogs
# below, its lessons from examples/<language>/ (docs/_ext/lesson_languages.py).
language = "en"
# Absolute: Sphinx finds the catalogs relative to the source folder but the search page's
# sphinx.js relative to the working directory (nox runs Sphinx from the repository's root).
locale_dirs = [str(DOCS / "locale")]
gettext_compact = False
gettext_uuid = False
gettext_location = False
# A page's code blocks are entries too, so that their comments are translated (the lessons'
# are files of their own language: examples/<language>/).
gettext_additional_targets = ["literal-block"]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    # sphinx-gallery's index of the lessons: the site's own, lessons.rst, shows them.
    "auto_examples/index.rst",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "sg_execution_times.rst",
]

html_theme = "furo"
html_title = "ae-gallery"
# The lessons' live data, one copy for every language, written while they run.
html_static_path = ["_static", lesson_live.STATIC]
html_favicon = "_static/favicon.png"
html_css_files = ["ae-gallery.css"]
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/language-switch.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_theme_options = {"navigation_with_keys": True}
html_show_sourcelink = False

autosummary_generate = True
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

mathjax3_config = {"tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]}}

sphinx_gallery_conf = {
    # The build's language's lessons, and their first notebook cell, are set for it before
    # sphinx-gallery reads this (docs/_ext/lesson_languages.py): English's, by default.
    "examples_dirs": str(ROOT / "examples" / "en"),
    "gallery_dirs": "auto_examples",
    # The lessons follow the article: sort by file name (plot_1_..., plot_2_...).
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("ae_gallery",),
    # Each language's, with its lessons: the API pages' mini-galleries show their titles.
    "backreferences_dir": "auto_examples/backreferences",
    # Around every lesson: a fresh Keras session; after it, its stamp and its live data.
    "reset_modules": ("matplotlib", "seaborn", "gallery_build.lesson_hook"),
    "reset_modules_order": "both",
    "matplotlib_animations": (True, "jshtml"),
    # matplotlib's scraper, after a check that no label of a figure is cut or overlaps.
    "image_scrapers": ("gallery_build.checked_matplotlib_scraper",),
    # Timings change on every run: as page text they could never stay translated.
    "min_reported_time": float("inf"),
    "write_computation_times": False,
    "show_memory": False,
    "download_all_examples": True,
    "remove_config_comments": True,
    # Lessons print what they want shown; the repr of a returned figure is noise.
    "capture_repr": (),
    "image_srcset": [],
}
