"""What the site tests share: where the site is, its languages and pages, and the counts."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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

#: Where the site is served in the tests.
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

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


#: Figures for the closing summary (measured times, differences), one line each.
FIGURES: list[str] = []


@dataclass
class PageLog:
    """What a page did while it loaded."""

    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request off localhost: {url}" for url in self.external]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught JavaScript error: {text}" for text in self.page_errors]
            + [f"HTTP error: {text}" for text in self.bad_responses]
        )


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    # A page opened from disk (file://) loads the site's own files.
    if parts.scheme in ("data", "blob", "about", "file"):
        return True
    return parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS


@contextlib.contextmanager
def opened(context, url: str):
    """Open ``url`` in a new page of ``context``; yield the page and what it did.

    Every request the page makes is recorded; one for anything off localhost is a problem.
    """
    log = PageLog()
    page = context.new_page()
    page.on("request", lambda r: _is_local(r.url) or log.external.append(r.url))
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and log.console_errors.append(f"{msg.text} ({msg.location.get('url') or 'page'})")
        ),
    )
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and log.bad_responses.append(f"{response.status} {response.url}")
        ),
    )
    try:
        page.goto(url, wait_until="load")
        yield page, log
    finally:
        page.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class' name
        pass


@contextlib.contextmanager
def served(site: Path, port: int = 0):
    """Serve ``site`` on localhost (``port`` 0: any free one); yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
