"""Each language's own lessons: sphinx-gallery knows one gallery, in one language.

* :func:`choose_lessons` gives the build the lessons of its language (``examples/<language>/``)
  and their first notebook cell, and keeps each language's gallery output apart:
  ``docs/auto_examples`` (the pages' address in every language) links to
  ``docs/_build/gallery/<language>``, so that a rebuild runs only what changed in its own
  language. (``nox -s gettext`` runs no lesson: sphinx-gallery then leaves a lesson that
  ran as it is, and marks none it wrote without running as run.)
* :func:`behind_english`: the translated lessons that no longer translate their English
  lesson (each records the sha256 of the one it translates), which the build lists
  (:mod:`page_translations`).
* :class:`GalleryWords` writes sphinx-gallery's own sentences on a lesson's page ("Go to the
  end...", "Download Jupyter notebook: ...") in the page's language, from ``sphinx.po``;
  :class:`EnglishSectionIds` gives a translated lesson's sections the ids of its English
  lesson's (docutils makes an id of a title's Latin letters, and a Russian title has none),
  so that the language switch, or a link, lands on the same section in every language.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_gallery.py_source_parser import extract_file_config, split_code_and_text_blocks

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
SOURCE_LANGUAGE = "en"
#: The key of a translated lesson's in-file setting that records what it translates.
TRANSLATES = "english_sha256"


def lessons_of(language: str) -> Path:
    """The folder of a language's lessons."""
    return ROOT / "examples" / language


def around(name: str, language: str) -> str:
    """One of the texts around a language's lessons in their downloads
    (``examples/<language>/*.txt``: a notebook's first cell, a script's header, the zips'
    README)."""
    return (lessons_of(language) / name).read_text(encoding="utf-8").rstrip("\n")


def choose_lessons(app, config) -> None:
    """The build's language's lessons and gallery folder (before sphinx-gallery reads its
    configuration, at config-inited priority 10)."""
    language = config.language or SOURCE_LANGUAGE
    lessons = lessons_of(language)
    if not lessons.is_dir():
        raise ValueError(f"No lessons in {language!r}: {lessons} does not exist.")
    conf = config.sphinx_gallery_conf
    conf["examples_dirs"] = str(lessons)
    # The wheel's address and sha256 are filled in at the end of the build (gallery_build).
    first_cell = around("notebook_first_cell.txt", language)
    conf["first_notebook_cell"] = first_cell.format(version=config.release, site="", sha256="")
    gallery = Path(app.srcdir, "_build", "gallery", language)
    gallery.mkdir(parents=True, exist_ok=True)
    link = Path(app.srcdir, conf["gallery_dirs"])
    target = os.path.relpath(gallery, link.parent)
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)  # build output of a checkout from before the languages' folders
    link.symlink_to(target, target_is_directory=True)


def behind_english(language: str) -> list[str]:
    """The lessons of ``language`` that do not translate their English lesson as it is now
    (or are missing), each with what to do."""
    found = []
    for english in sorted(lessons_of(SOURCE_LANGUAGE).glob("plot_*.py")):
        translated = lessons_of(language) / english.name
        relative = english.relative_to(ROOT).as_posix()
        if not translated.is_file():
            found.append(f"{relative} has no translation: write {translated.relative_to(ROOT)}")
            continue
        recorded = extract_file_config(translated.read_text(encoding="utf-8")).get(TRANSLATES)
        now = hashlib.sha256(english.read_bytes()).hexdigest()
        if recorded == now:
            continue
        # git has the version translated, by its sha256: shallow checkouts need no history.
        see = (
            f"git log --format=%H -- {relative} | while read c; do git show $c:{relative} | "
            f"sha256sum | grep -q ^{recorded} && git diff $c -- {relative} && break; done"
        )
        found.append(
            f"{translated.relative_to(ROOT)} translates another version of {relative}. See "
            f"what changed: {see}; then bring the translation up to date and record "
            f'# sphinx_gallery_{TRANSLATES} = "{now}" in it.'
        )
    return found


#: sphinx-gallery's download links, by the class of their container, and their words.
DOWNLOADS = {
    "sphx-glr-download-jupyter": "Download Jupyter notebook: {file}",
    "sphx-glr-download-python": "Download Python source code: {file}",
    "sphx-glr-download-zip": "Download zipped: {file}",
}


class GalleryWords(SphinxTransform):
    """sphinx-gallery's sentences on a lesson's page, in the page's language: it writes
    them in English (``sphinx.po`` holds their translations; theme-words.html lists them)."""

    default_priority = 400  # any time after the page is parsed

    def apply(self, **kwargs) -> None:
        if (self.config.language or SOURCE_LANGUAGE) == SOURCE_LANGUAGE:
            return
        for container in self.document.findall(nodes.container):
            words = next((DOWNLOADS[c] for c in container["classes"] if c in DOWNLOADS), None)
            for link in container.findall(addnodes.download_reference) if words else ():
                link[:] = [nodes.literal("", _(words).format(file=link["reftarget"]))]
        for note in self.document.findall(nodes.note):
            if "sphx-glr-download-link-note" not in note["classes"]:
                continue
            paragraph = note.next_node(nodes.paragraph)
            ref = paragraph.next_node(addnodes.pending_xref)
            ref[:] = [nodes.inline("", _("Go to the end"))]
            before, after = _("{link} to download the full example code.").split("{link}")
            paragraph[:] = [nodes.Text(before), ref, nodes.Text(after)]
        for paragraph in self.document.findall(nodes.paragraph):
            if "sphx-glr-signature" in paragraph["classes"]:
                link = paragraph.next_node(nodes.reference)
                link[:] = [nodes.Text(_("Gallery generated by Sphinx-Gallery"))]


#: A section's title in a lesson's reST text: a line, and an underline as long.
TITLE = re.compile(r"^(\S.*)\n([=\-~^\"'`#*+])\2{2,} *$", re.M)


@functools.cache
def section_ids(lesson: Path) -> list[str]:
    """The ids of a lesson's sections, in order, as docutils makes them from its titles."""
    _, blocks = split_code_and_text_blocks(str(lesson))
    text = "\n\n".join(block.content for block in blocks if block.type == "text")
    return [nodes.make_id(title) for title, _ in TITLE.findall(text)]


class EnglishSectionIds(SphinxTransform):
    """A translated lesson's sections, in order, get the ids of its English lesson's first."""

    default_priority = 400  # before Sphinx collects the page's table of contents

    def apply(self, **kwargs) -> None:
        gallery = f"{self.config.sphinx_gallery_conf['gallery_dirs']}/"
        language = self.config.language or SOURCE_LANGUAGE
        if language == SOURCE_LANGUAGE or not self.env.docname.startswith(gallery):
            return
        english = lessons_of(SOURCE_LANGUAGE) / f"{self.env.docname.removeprefix(gallery)}.py"
        sections = list(self.document.findall(nodes.section))
        ids = section_ids(english) if english.is_file() else []
        if len(ids) != len(sections):
            logger.warning(
                f"{len(sections)} sections, {len(ids)} in {english.relative_to(ROOT)}: give the "
                "translated lesson the same sections, or the language switch loses its place",
                location=self.env.docname,
            )
            return
        for section, english_id in zip(sections, ids, strict=True):
            if english_id not in section["ids"]:
                section["ids"].insert(0, english_id)
                self.document.ids[english_id] = section


def setup(app):
    # Before sphinx-gallery fills its configuration from ours (its config-inited, at 10).
    app.connect("config-inited", choose_lessons, priority=5)
    app.add_transform(GalleryWords)
    app.add_transform(EnglishSectionIds)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
