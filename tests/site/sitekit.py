"""What the site tests share: where the site is, its languages and pages, and the counts."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

SITE_ENV = "AE_GALLERY_SITE"
LANGUAGES_ENV = "AE_GALLERY_SITE_LANGUAGES"
KNOWN_LANGUAGES = ("en", "ru")
CHROMIUM = os.environ.get("AE_GALLERY_CHROMIUM", "/usr/bin/chromium")
#: What this closed network needs to keep a headless chromium quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Counts for the closing summary (pages, images, notebooks... checked in this run).
COUNTS: Counter = Counter()


def site_root() -> Path | None:
    value = os.environ.get(SITE_ENV)
    return Path(value).resolve() if value else None


def required_languages() -> list[str]:
    value = os.environ.get(LANGUAGES_ENV)
    if value:
        return [lang.strip() for lang in value.split(",") if lang.strip()]
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        return list(KNOWN_LANGUAGES)
    return []


def site_languages() -> list[str]:
    """The languages to test: those required, and any other built one."""
    root = site_root()
    if root is None:
        return []
    built = [lang for lang in KNOWN_LANGUAGES if (root / lang / "index.html").is_file()]
    return sorted(set(built) | set(required_languages()), key=_language_order)


def _language_order(lang: str) -> tuple[int, str]:
    return (KNOWN_LANGUAGES.index(lang) if lang in KNOWN_LANGUAGES else 99, lang)


def html_pages(lang: str) -> list[str]:
    """Every HTML page of one language, as paths relative to the language folder."""
    root = site_root()
    folder = root / lang if root else None
    if folder is None or not folder.is_dir():
        return []
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.html")
        if not p.relative_to(folder).parts[0].startswith("_")  # _static, _sources, _images
    )
