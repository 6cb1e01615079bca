"""Sphinx configuration of the ae-gallery site (English source, Russian translation)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

import gallery_hooks  # noqa: E402  (docs/_ext, on the path just above)
import gallery_i18n  # noqa: E402  (docs/_ext)
import inventories  # noqa: E402  (docs/_ext)
import site_addresses  # noqa: E402  (docs/_ext)

import ae_gallery  # noqa: E402
from ae_gallery.budgets import requested_profile  # noqa: E402
from ae_gallery.published import use_published  # noqa: E402

project = "ae-gallery"
author = "ae-gallery developers"
copyright = "2026, ae-gallery developers; article text after the Habr series Autoencoders in Keras"
release = ae_gallery.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",
    # MathJax from the site itself: reading a page sends no request anywhere.
    "sphinx-mathjax-offline",
    "gallery_hooks",
    # Translated builds: printed output, thumbnails, alt text, downloads, and the check
    # that every entry is translated (docs/translation.rst).
    "gallery_i18n",
    # The maintainers' tables of budgets and faults, made from the recipes and the tests.
    "code_tables",
    # What the themes' templates leave out for screen readers and keyboards (axe-core).
    "accessible_pages",
    # Names of numpy, matplotlib, seaborn and scikit-learn link to their documentation,
    # from the inventories kept in docs/_intersphinx (no network; nox -s inventories).
    "sphinx.ext.intersphinx",
    # The library's source as pages of the site, linked from the API pages ("[source]").
    "sphinx.ext.viewcode",
    # A copy button on every code block; it copies code without prompts or output.
    "sphinx_copybutton",
    # The lessons' live explorers: their trained decoders run in the reader's browser.
    "explorers",
    # The lessons' models as code on their pages, read from ae_gallery.models.
    "model_source",
    # View/edit links to the repository, from one setting (AE_GALLERY_REPO_URL).
    "site_addresses",
]

intersphinx_mapping = inventories.intersphinx_mapping()

# The site's public address (AE_GALLERY_SITE_URL): canonical links, social cards and a
# sitemap of both languages. Without it they are skipped, and the build says so.
SITE_URL = site_addresses.site_url()
if SITE_URL:
    html_baseurl = SITE_URL
    extensions += ["sphinxext.opengraph", "sphinx_sitemap"]
    ogp_site_url = SITE_URL
    ogp_site_name = "ae-gallery"
    # A page's card shows its first figure (a lesson's own picture); pages without one
    # show the site's icon.
    ogp_use_first_image = True
    ogp_image = "_static/favicon.png"
    ogp_enable_meta_description = True
    # Pages live under <site>/<language>/; each language's sitemap lists both.
    sitemap_url_scheme = "{lang}{link}"
    sitemap_locales = [
        gallery_i18n.SOURCE_LANGUAGE,
        *sorted(p.name for p in (DOCS / "locale").iterdir() if p.is_dir()),
    ]
    sitemap_excludes = ["search.html", "genindex.html", "py-modindex.html"]

# The library's wheel, built by `nox -s docs` and published at the site's root: the pages
# name it, the notebooks install it, the zips hold it.
WHEEL = gallery_hooks.wheel_of_build() or (f"ae_gallery-{release}-py3-none-any.whl", "")
html_context = {"ae_gallery_site": SITE_URL}
rst_epilog = f"""
.. |wheel_name| replace:: {WHEEL[0]}
.. |wheel_link| replace:: `{WHEEL[0]} <../{WHEEL[0]}>`__
.. |wheel_sha256| replace:: ``{WHEEL[1] or "(built by nox -s docs)"}``
"""

copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = False

# The source language; `nox -s docs` builds each language with `-D language=...`.
language = gallery_i18n.SOURCE_LANGUAGE
locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "sg_execution_times.rst",
]

html_theme = "furo"
html_title = "ae-gallery"
html_static_path = ["_static"]
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
html_theme_options = {
    "navigation_with_keys": True,
}
html_show_sourcelink = False

autosummary_generate = True
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

mathjax3_config = {"tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]}}

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # The lessons follow the article: sort by file name (plot_1_..., plot_2_...).
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("ae_gallery",),
    "backreferences_dir": "api/generated/backreferences",
    "reset_modules": ("matplotlib", "seaborn", "gallery_hooks.reset_keras"),
    "matplotlib_animations": (True, "jshtml"),
    # matplotlib's scraper, after a check that no label of a figure is cut at its edge.
    "image_scrapers": ("gallery_hooks.checked_matplotlib_scraper",),
    # Any example that fails fails the build (also the default; said here on purpose).
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    # Timings change on every run: as page text they could never stay translated.
    "min_reported_time": float("inf"),
    "write_computation_times": False,
    "show_memory": False,
    "download_all_examples": True,
    # The notebooks install the site's own wheel if need be (never a name from the index).
    "first_notebook_cell": gallery_hooks.first_notebook_cell(release),
    "remove_config_comments": True,
    # Lessons print what they want shown; the repr of a returned figure is noise.
    "capture_repr": (),
    "image_srcset": [],
}

# What the examples train under: `nox -s docs -- --profile ...` sets AE_GALLERY_PROFILE.
# `nox -s gettext` (AE_GALLERY_GETTEXT) reads the lessons' prose only, which depends on the
# example files alone: it leaves the stamp, and so the next HTML build, alone.
if not os.environ.get("AE_GALLERY_GETTEXT"):
    gallery_hooks.rerun_examples_when_library_changes(
        DOCS / "auto_examples",
        ROOT / "ae_gallery",
        ROOT / "examples",
        # The profile the lessons will train under, as asked (None: each model's default),
        # and whether published weights may be loaded.
        profile=f"{requested_profile()} published={use_published()}",
        # The notebooks' first cell names this build's wheel: a new wheel, new notebooks.
        extra=sphinx_gallery_conf["first_notebook_cell"],
    )
