"""The addresses the site's pages link to (docs/_ext/site_addresses.py): each lesson's Colab
and Binder buttons open its notebook in the page's language, as the published branch holds
it; view and edit links lead into the repository; without a GitHub address, no button."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import site_addresses

REPO = "https://github.com/org/ae-gallery"
LESSON = "plot_3_deep_autoencoder"
# Sphinx's record of a page's downloads: source file -> (documents, path under _downloads/).
DLFILES = {
    f"/src/docs/auto_examples/{LESSON}.ipynb": ({"x"}, f"0a1b/{LESSON}.ipynb"),
    f"/src/docs/auto_examples/{LESSON}.py": ({"x"}, f"2c3d/{LESSON}.py"),
}


def _links(
    monkeypatch, language: str, repo: str | None, pagename: str, suffix: str = ".rst"
) -> dict:
    monkeypatch.delenv("AE_GALLERY_PAGES_BRANCH", raising=False)
    monkeypatch.delenv("AE_GALLERY_REPO_BRANCH", raising=False)
    if repo is None:
        monkeypatch.delenv("AE_GALLERY_REPO_URL", raising=False)
    else:
        monkeypatch.setenv("AE_GALLERY_REPO_URL", repo)
    app = SimpleNamespace(
        config=SimpleNamespace(language=language), env=SimpleNamespace(dlfiles=DLFILES)
    )
    context = {"page_source_suffix": suffix}
    site_addresses._page_links(app, pagename, "page.html", context, None)
    return context


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("repo", [REPO, REPO + ".git", REPO + "/"])
def test_a_lesson_opens_its_own_languages_notebook_in_colab_and_binder(monkeypatch, language, repo):
    context = _links(monkeypatch, language, repo, f"auto_examples/{LESSON}")
    notebook = f"{language}/_downloads/0a1b/{LESSON}.ipynb"
    assert context["hosted_links"] == {
        "colab": f"https://colab.research.google.com/github/org/ae-gallery/blob/gh-pages/{notebook}",
        "binder": f"https://mybinder.org/v2/gh/org/ae-gallery/gh-pages?urlpath=lab/tree/{notebook}",
    }


@pytest.mark.parametrize(
    "language, view",
    [
        ("en", f"{REPO}/blob/main/examples/en/{LESSON}.py"),
        ("ru", f"{REPO}/blob/main/examples/ru/{LESSON}.py"),
    ],
)
def test_view_and_edit_lead_to_the_lesson_in_the_pages_language(monkeypatch, language, view):
    context = _links(monkeypatch, language, REPO, f"auto_examples/{LESSON}")
    assert context["theme_source_view_link"] == view
    assert context["theme_source_edit_link"] == view.replace("/blob/", "/edit/")


def test_a_translated_pages_edit_link_opens_its_catalog(monkeypatch):
    context = _links(monkeypatch, "ru", REPO, "run_yourself")
    assert context["theme_source_view_link"] == f"{REPO}/blob/main/docs/run_yourself.rst"
    edit = f"{REPO}/edit/main/docs/locale/ru/LC_MESSAGES/run_yourself.po"
    assert context["theme_source_edit_link"] == edit


def test_the_pages_branch_is_a_setting(monkeypatch):
    monkeypatch.setenv("AE_GALLERY_REPO_URL", REPO)
    monkeypatch.setenv("AE_GALLERY_PAGES_BRANCH", "site")
    assert "/blob/site/{path}" in site_addresses.hosted_notebooks()["colab"]


@pytest.mark.fault(
    "repository not on GitHub, or not set", "no Colab or Binder button; the build says so"
)
@pytest.mark.parametrize("repo", ["https://gitlab.com/org/ae-gallery", None])
def test_without_a_github_repository_there_is_no_button(monkeypatch, repo):
    context = _links(monkeypatch, "en", repo, f"auto_examples/{LESSON}")
    assert "hosted_links" not in context


def test_pages_that_are_no_lesson_have_no_button(monkeypatch):
    for page in ("index", "lessons", "api/generated/ae_gallery.training"):
        assert "hosted_links" not in _links(monkeypatch, "en", REPO, page)
    context = _links(monkeypatch, "en", REPO, "api/generated/ae_gallery.training")
    assert context["page_source_suffix"] == ""  # made from the code: no view/edit link
