"""Sphinx configuration of the ae-gallery site (English source, Russian translation)."""

from __future__ import annotations

import hashlib
import os
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
from ae_gallery.budgets import requested_profile  # noqa: E402
from ae_gallery.published import use_published  # noqa: E402

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
    "gallery_build",  # lessons rerun with the library, checked figures, downloads
    "gallery_i18n",  # printed output, comments, alt text and downloads in Russian
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

# English is the source; `nox -s docs` builds each language with `-D language=...`.
language = "en"
# Absolute: Sphinx finds the catalogs relative to the source folder but the search page's
# sphinx.js relative to the working directory (nox runs Sphinx from the repository's root).
locale_dirs = [str(DOCS / "locale")]
gettext_compact = False
gettext_uuid = False
gettext_location = False

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
# The lessons' live data is written there while they run, before Sphinx copies the static
# files of each language's site; the folder must exist now.
(DOCS / lesson_live.STATIC).mkdir(parents=True, exist_ok=True)
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

# The profile the lessons train under (`nox -s docs -- --profile ...` sets it; by default
# each model's own), and whether published weights may be loaded: with the library, what
# the lessons' pages depend on beyond their own files. `nox -s gettext` reads prose only.
PROFILE = f"{requested_profile()} published={use_published()}"
RERUN = not os.environ.get("AE_GALLERY_GETTEXT") and gallery_build.library_changed(
    DOCS / "auto_examples", ROOT / "ae_gallery", PROFILE
)

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # The lessons follow the article: sort by file name (plot_1_..., plot_2_...).
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("ae_gallery",),
    "backreferences_dir": "api/generated/backreferences",
    # Around every lesson: a fresh Keras session; after it, its stamp and its live data.
    "reset_modules": ("matplotlib", "seaborn", "gallery_build.lesson_hook"),
    "reset_modules_order": "both",
    # The library changed since the lessons last ran: run them again.
    "run_stale_examples": RERUN,
    "matplotlib_animations": (True, "jshtml"),
    # matplotlib's scraper, after a check that no label of a figure is cut or overlaps.
    "image_scrapers": ("gallery_build.checked_matplotlib_scraper",),
    # Timings change on every run: as page text they could never stay translated.
    "min_reported_time": float("inf"),
    "write_computation_times": False,
    "show_memory": False,
    "download_all_examples": True,
    # The notebooks install the site's own wheel if need be (never a name from the index).
    "first_notebook_cell": gallery_build.first_notebook_cell(release),
    "remove_config_comments": True,
    # Lessons print what they want shown; the repr of a returned figure is noise.
    "capture_repr": (),
    "image_srcset": [],
}
