"""What every Sphinx-side module asks of a build: its language, folders and catalogs.

The catalogs are read once per process: a page's transform, the downloads and the theme
labels all ask for the output catalog, and reading it takes longer than using it.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder

from .catalogs import OUTPUT_DOMAIN, SOURCE_LANGUAGE, read_catalog
from .output import OutputTranslator

__all__ = [
    "SOURCE_LANGUAGE",
    "STATE",
    "examples_dir",
    "is_gettext",
    "locale_dir",
    "output_translator",
    "translating",
]


def locale_dir(app: Sphinx) -> Path:
    """``docs/locale/<language>/LC_MESSAGES``: the catalogs of the build's language."""
    language = app.config.language or SOURCE_LANGUAGE
    return Path(app.srcdir, app.config.locale_dirs[0], language, "LC_MESSAGES")


def examples_dir(app: Sphinx) -> Path:
    """The lessons' source folder (``examples/``)."""
    return Path(app.config.sphinx_gallery_conf["examples_dirs"])


def is_gettext(app: Sphinx) -> bool:
    """Whether this build extracts messages (``nox -s gettext``) rather than translating."""
    return isinstance(app.builder, MessageCatalogBuilder)


def translating(app: Sphinx) -> bool:
    """Whether this build writes a translation: a language but English, and no gettext."""
    language = app.config.language or SOURCE_LANGUAGE
    return language != SOURCE_LANGUAGE and not is_gettext(app)


class BuildState:
    """Per-process caches: catalogs, the output translator, the thumbnails' texts."""

    def __init__(self) -> None:
        self.catalogs: dict[Path, Catalog | None] = {}
        self.translator: OutputTranslator | None = None
        self.thumbnails: dict[str, str] | None = None

    def catalog(self, path: Path) -> Catalog | None:
        """The catalog at ``path`` (None when there is none), read on first use."""
        if path not in self.catalogs:
            self.catalogs[path] = read_catalog(path)
        return self.catalogs[path]


STATE = BuildState()


def output_translator(app: Sphinx) -> OutputTranslator:
    """The translator of printed output, comments and widget words, for this language."""
    if STATE.translator is None:
        path = locale_dir(app) / f"{OUTPUT_DOMAIN}.po"
        STATE.translator = OutputTranslator.for_examples(STATE.catalog(path), examples_dir(app))
    return STATE.translator
