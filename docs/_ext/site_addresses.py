"""The site's two public addresses, each one setting, and what hangs on them.

``AE_GALLERY_REPO_URL`` (the repository, e.g. ``https://github.com/org/ae-gallery``)
    furo's "view source" and "edit" links: a lesson's page links to its lesson in the
    page's language (``examples/<language>/``), a translated page's "edit" to its catalog,
    pages made from the code to nothing. When it is a GitHub repository, each lesson page
    gets "Run in Google Colab" and "Launch Binder" buttons that open the page's notebook,
    in its language, as the site's branch (``AE_GALLERY_PAGES_BRANCH``, default
    ``gh-pages``) holds it.
``AE_GALLERY_SITE_URL`` (where the site is published)
    Sphinx's ``html_baseurl``, social cards and a sitemap of both languages (``conf.py``).

furo's own ``source_repository`` options link every page to ``docs/<page>.rst``, which
for a generated page does not exist. Without a setting the build says what it skipped,
and no page carries a made-up address.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
#: A lesson's gallery thumbnail, as a page links to it: its file name, the lesson's name.
THUMBNAIL = re.compile(r"sphx_glr_(plot_\w+)_thumb\.png$")


def _setting(name: str) -> str:
    return os.environ.get(name, "").strip()


def site_url() -> str | None:
    """The site's public address with a trailing slash, or None when it is not set."""
    url = _setting("AE_GALLERY_SITE_URL").rstrip("/")
    return url + "/" if url else None


def repository() -> tuple[str, str] | None:
    """``(repository URL, branch)``, or None when the repository is not set."""
    url = _setting("AE_GALLERY_REPO_URL").rstrip("/")
    return (url, _setting("AE_GALLERY_REPO_BRANCH") or "main") if url else None


def hosted_notebooks() -> dict[str, str] | None:
    """Templates of the Colab and Binder addresses of a notebook (``{path}``: its path in
    the site's branch), or None when the repository is not on GitHub.

    Examples
    --------
    >>> os.environ["AE_GALLERY_REPO_URL"] = "https://github.com/org/ae-gallery"
    >>> hosted_notebooks()["colab"]
    'https://colab.research.google.com/github/org/ae-gallery/blob/gh-pages/{path}'
    >>> del os.environ["AE_GALLERY_REPO_URL"]
    """
    found = re.fullmatch(
        r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", _setting("AE_GALLERY_REPO_URL")
    )
    if found is None:
        return None
    org, repo = found.groups()
    branch = _setting("AE_GALLERY_PAGES_BRANCH") or "gh-pages"
    return {
        "colab": f"https://colab.research.google.com/github/{org}/{repo}/blob/{branch}/{{path}}",
        "binder": f"https://mybinder.org/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/{{path}}",
    }


def _source_paths(pagename: str, suffix: str, language: str) -> tuple[str, str] | None:
    """The repository paths a page is made from, to view and to edit (a translated page's
    text is in its catalog); None for pages made from the code."""
    if pagename.startswith("auto_examples/"):
        lesson = f"examples/{language}/{pagename.removeprefix('auto_examples/')}.py"
        return lesson, lesson
    if pagename.startswith(("api/generated/", "_modules/")) or not suffix:
        return None
    page = f"docs/{pagename}{suffix}"
    return page, page if language == "en" else f"docs/locale/{language}/LC_MESSAGES/{pagename}.po"


def _page_links(app, pagename, templatename, context, doctree) -> None:
    suffix, language = context.get("page_source_suffix") or "", app.config.language or "en"
    repo, paths = repository(), _source_paths(pagename, suffix, language)
    if repo is None or paths is None:
        context["page_source_suffix"] = ""  # furo shows no view/edit link then
    else:
        url, branch = repo
        context["theme_source_view_link"] = f"{url}/blob/{branch}/{paths[0]}"
        context["theme_source_edit_link"] = f"{url}/edit/{branch}/{paths[1]}"
    hosted = hosted_notebooks()
    notebook = next(
        (
            dest
            for source, (_, dest) in app.env.dlfiles.items()
            if Path(source).name == f"{Path(pagename).name}.ipynb"
        ),
        None,
    )
    if hosted and notebook and pagename.startswith("auto_examples/plot_"):
        path = f"{app.config.language}/_downloads/{notebook}"
        context["hosted_links"] = {kind: url.format(path=path) for kind, url in hosted.items()}


def _language_addresses(app, config) -> None:
    """Pages live under ``<site>/<language>/``: canonical links and cards point there."""
    site = site_url()
    if site is not None:
        config.html_baseurl = config.ogp_site_url = f"{site}{config.language}/"
        config.site_url = site


def _thumbnail_alt(app, doctree) -> None:
    """Note what a lesson's gallery thumbnail shows: its card's alt text, which the build
    recorded when the lesson drew it (gallery_build.checked_matplotlib_scraper)."""
    docname = app.env.docname
    if not docname.startswith("auto_examples/plot_") or app.builder.format != "html":
        return  # gettext's build runs no lesson: no card
    name = docname.removeprefix("auto_examples/")
    record = Path(app.srcdir, "auto_examples", f"{name}.figure-text.json")
    alt = json.loads(record.read_text()).get("card", {}).get("alt") if record.is_file() else None
    if not alt:
        logger.warning(
            f"{name}: no card (a figure labelled 'card') for its thumbnail", location=docname
        )
    app.env.thumbnail_alts = {**getattr(app.env, "thumbnail_alts", {}), name: alt or ""}


def _thumbnail_card(app, pagename, templatename, context, doctree) -> None:
    """A lesson's social card shows its thumbnail (its figures are no plain images, so
    sphinxext-opengraph would not find them), and so does a page whose first image is one
    (decorative there, beside the lesson's title): each says what the thumbnail shows."""
    site, alts = site_url(), getattr(app.env, "thumbnail_alts", {})
    if site is None or doctree is None:
        return
    name = pagename.removeprefix("auto_examples/")
    if name not in alts:
        first = doctree.next_node(nodes.image)
        name = (found := first and THUMBNAIL.search(first["uri"])) and found[1]
    if name in alts:
        # Own copy: sphinxext-opengraph takes its fields out of the page's metadata.
        context["meta"] = {
            **(context.get("meta") or {}),
            "og:image": f"{site}{app.config.language}/_images/sphx_glr_{name}_thumb.png",
            "og:image:alt": alts[name],
        }


def _merge_thumbnail_alts(app, env, docnames, other) -> None:
    env.thumbnail_alts = {
        **getattr(env, "thumbnail_alts", {}),
        **getattr(other, "thumbnail_alts", {}),
    }


def _report(app) -> None:
    if repository() is None:
        logger.info("site_addresses: no view/edit links (AE_GALLERY_REPO_URL is not set)")
    if hosted_notebooks() is None:
        logger.info("site_addresses: no Colab or Binder buttons (no GitHub AE_GALLERY_REPO_URL)")
    if site_url() is None:
        logger.info("site_addresses: no social cards or sitemap (AE_GALLERY_SITE_URL is not set)")


def setup(app):
    app.connect("config-inited", _language_addresses)
    app.connect("doctree-read", _thumbnail_alt)
    app.connect("builder-inited", _report)
    app.connect("html-page-context", _page_links)
    # Before sphinxext-opengraph's, which reads the card's fields.
    app.connect("html-page-context", _thumbnail_card, priority=400)
    app.connect("env-merge-info", _merge_thumbnail_alts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
