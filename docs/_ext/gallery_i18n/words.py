"""The fixed English that the site shows outside its pages' prose, listed once.

Each list is an entry kind of the output catalog (``gallery-output.po``) or of
``sphinx.po``: ``nox -s gettext`` writes them into the templates, and a translated build
finds their translations there. They are the words of the tools the site is built with
(Keras, matplotlib, furo, Sphinx, sphinx-gallery), which change only with those tools.
"""

from __future__ import annotations

from ae_gallery.messages import NUMBER

__all__ = [
    "BOILERPLATE_TEMPLATES",
    "EXPLORER_WORDS",
    "FIGURE_ALT",
    "KERAS_TEMPLATES",
    "KERAS_TERMS",
    "THEME_LABELS",
    "THEME_WORDS",
    "WIDGET_WORDS",
]

#: The words of Keras' ``model.summary()``: its header cells.
KERAS_TERMS = ("Layer (type)", "Output Shape", "Param #")
#: The lines of Keras' ``model.summary()`` with words: its title and closing lines.
KERAS_TEMPLATES: tuple[tuple[str, dict[str, str]], ...] = (
    ('Model: "{name}"', {}),
    ("Total params: {count} ({size})", {"count": NUMBER}),
    ("Trainable params: {count} ({size})", {"count": NUMBER}),
    ("Non-trainable params: {count} ({size})", {"count": NUMBER}),
)

#: The alt text of the lessons' figures: the page's title and the figure's number.
FIGURE_ALT = "{title}, figure {number}"

#: The words of matplotlib's JavaScript animation widget (button titles, loop modes).
WIDGET_WORDS = (
    "Decrease speed",
    "First frame",
    "Previous frame",
    "Play backwards",
    "Pause",
    "Play",
    "Next frame",
    "Last frame",
    "Increase speed",
    "Repetition mode",
    "Once",
    "Loop",
    "Reflect",
    "Frame",
)

#: The words of the lessons' live explorers (docs/_ext/explorers, docs/_static/explorers.js).
#: ``{name}`` fields are filled in by the page.
EXPLORER_WORDS = (
    "Explorer: the code of the sine curve",
    "Explorer: paths between digits",
    "Explorer: sixteen latent variables",
    "This explorer runs in your browser and needs JavaScript, which is off; the figures on "
    "this page show the same models.",
    "Code",
    "Decoded point",
    "Inside the codes of the data",
    "Beyond the codes of the data: the decoder continues the curve where no data taught it",
    "Codes of the data",
    "From",
    "To",
    "Position on the path, t",
    "Pixel space: the blend of the two images",
    "Code space: the decoded blend of the two codes",
    "a {digit}, test image {index}",
    "Test digit",
    "Back to the digit's code",
    "Without the penalty (λ = 0)",
    "Sparse (λ = 1e-5)",
    "Decoded digit",
    "Latent variable {name}",
    "from {low} to {high} on the test digits",
    "Each slider spans its variable's values in the codes of the test digits.",
)

#: Labels that furo writes into every page without passing them through gettext (screen
#: readers read them; the last one shows when the keyboard reaches it).
THEME_LABELS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Toggle navigation of {name}",
    "Skip to content",
    # Added by docs/_ext/accessible_pages.py: the names of furo's two sidebars.
    "Site navigation",
    "Contents of this page",
    # The titles of furo's icons (a tooltip over the theme switch, for example).
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)

#: The theme's words that Sphinx's own catalogs lack (furo's templates, and the message of
#: the search page, whose Russian in Sphinx's catalog is empty). ``nox -s gettext`` adds
#: them to ``sphinx.pot``, the catalog of the templates' words, so that they are translated
#: in ``sphinx.po`` like the rest. A pair is a message with a plural.
THEME_WORDS: tuple[str | tuple[str, str], ...] = (
    "On this page",
    "Next",
    "Previous",
    "Back to top",
    "Home",
    "Error",
    "Made with ",
    '<a href="https://www.sphinx-doc.org/">Sphinx</a> and ',
    "Please activate JavaScript to enable the search functionality.",
    "Edit this page",
    "View this page",
    "Copyright &#169; %(copyright)s",
    '<a href="%(path)s">Copyright</a> &#169; %(copyright)s',
    (
        "Search finished, found one page matching the search query.",
        "Search finished, found ${resultCount} pages matching the search query.",
    ),
)

#: sphinx-gallery's own sentences on the pages, as templates: ``fill`` translates every
#: page's copy of them from the output catalog, so a new lesson needs no translator for them.
BOILERPLATE_TEMPLATES: tuple[tuple[str, dict[str, str]], ...] = (
    (":ref:`Go to the end <{target}>` to download the full example code.", {}),
    (":download:`Download Jupyter notebook: {file} <{target}>`", {}),
    (":download:`Download Python source code: {file} <{target}>`", {}),
    (":download:`Download zipped: {file} <{target}>`", {}),
    (":download:`Download all examples in Python source code: {file} <{target}>`", {}),
    (":download:`Download all examples in Jupyter notebooks: {file} <{target}>`", {}),
    ("`Gallery generated by Sphinx-Gallery <{url}>`_", {}),
    ("Examples using ``{name}``", {}),
)
