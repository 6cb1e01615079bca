"""The site's two public addresses, each one setting, and what hangs on them.

``AE_GALLERY_REPO_URL`` (the project's repository, e.g. ``https://github.com/org/ae-gallery``)
    Furo's "view source" and "edit" links on every page. A lesson's page links to its
    example in ``examples/``, not to the page sphinx-gallery generated from it; a translated
    page's "edit" link opens its catalog in ``docs/locale``; pages generated from the code
    (the API's) link to nothing, since their source is the library's docstrings, which the
    "[source]" links show. ``AE_GALLERY_REPO_BRANCH`` names the branch (default ``main``).
``AE_GALLERY_SITE_URL`` (where the site is published, e.g. ``https://org.github.io/ae-gallery/``)
    Sphinx's ``html_baseurl``, social cards (sphinxext-opengraph) and a sitemap of both
    languages (sphinx-sitemap); see ``docs/conf.py``.

Without a setting the build says what it skipped, and no page carries a made-up address.
"""

from __future__ import annotations

import os

from sphinx.util import logging

logger = logging.getLogger(__name__)

REPO_ENV_VAR = "AE_GALLERY_REPO_URL"
BRANCH_ENV_VAR = "AE_GALLERY_REPO_BRANCH"
SITE_ENV_VAR = "AE_GALLERY_SITE_URL"


def site_url() -> str | None:
    """The site's public address with a trailing slash, or None when it is not set."""
    url = os.environ.get(SITE_ENV_VAR, "").strip()
    return url.rstrip("/") + "/" if url else None


def repository() -> tuple[str, str] | None:
    """``(repository URL, branch)``, or None when the repository is not set."""
    url = os.environ.get(REPO_ENV_VAR, "").strip().rstrip("/")
    if not url:
        return None
    return url, os.environ.get(BRANCH_ENV_VAR, "").strip() or "main"


def _source_path(pagename: str, suffix: str) -> str | None:
    """The repository path a page is made from; None for pages made from the code."""
    if pagename.startswith("auto_examples/"):
        name = pagename.removeprefix("auto_examples/")
        return "examples/GALLERY_HEADER.rst" if name == "index" else f"examples/{name}.py"
    if pagename.startswith(("api/generated/", "_modules/")) or not suffix:
        return None
    return f"docs/{pagename}{suffix}"


def _links(app, pagename, templatename, context, doctree) -> None:
    repo = repository()
    path = _source_path(pagename, context.get("page_source_suffix") or "")
    if repo is None or path is None:
        context["page_source_suffix"] = ""  # furo shows no view/edit link then
        return
    url, branch = repo
    edit = path
    if app.config.language != "en":  # a translation is edited in its catalog
        edit = f"docs/locale/{app.config.language}/LC_MESSAGES/{pagename}.po"
    context["theme_source_view_link"] = f"{url}/blob/{branch}/{path}"
    context["theme_source_edit_link"] = f"{url}/edit/{branch}/{edit}"


def _language_addresses(app, config) -> None:
    """Pages live under ``<site>/<language>/``: canonical links and cards point there; the
    sitemap (``site_url``) starts from the root and lists both languages."""
    site = site_url()
    if site is None:
        return
    config.html_baseurl = f"{site}{config.language}/"
    config.ogp_site_url = config.html_baseurl
    config.site_url = site


def _lesson_card_image(app, doctree) -> None:
    """A lesson's social card shows its gallery thumbnail (its figures are not plain images,
    so sphinxext-opengraph would not find them)."""
    site, docname = site_url(), app.env.docname
    if site is None or not docname.startswith("auto_examples/plot_"):
        return
    name = docname.removeprefix("auto_examples/")
    metadata = app.env.metadata[docname]
    metadata["og:image"] = f"{site}{app.config.language}/_images/sphx_glr_{name}_thumb.png"


def _report(app) -> None:
    if repository() is None:
        logger.info(f"site_addresses: no view/edit links ({REPO_ENV_VAR} is not set)")
    if site_url() is None:
        logger.info(f"site_addresses: social cards and sitemap skipped ({SITE_ENV_VAR} is not set)")


def setup(app):
    app.connect("config-inited", _language_addresses)
    app.connect("doctree-read", _lesson_card_image)
    app.connect("builder-inited", _report)
    app.connect("html-page-context", _links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
