"""What a figure's text says, and whether it can be read.

Each figure of :mod:`ae_gallery.plotting` carries a sentence saying what it shows
(:func:`description`: the site's alt text); :func:`text_faults` finds the texts of any
figure that are cut at its edge or printed over one another. The site's build checks every
lesson's figures with both.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text

from .i18n import _

__all__ = ["describe", "description", "text_faults"]

#: The attribute of a figure that holds what it shows (read it with :func:`description`).
_DESCRIPTION = "ae_gallery_description"


def describe(fig: Figure, text: str) -> Figure:
    """``fig``, carrying ``text`` as what it shows (read back by :func:`description`)."""
    setattr(fig, _DESCRIPTION, text)
    return fig


def description(fig: Figure) -> str | None:
    """What a figure of this module shows, in a sentence (its alt text); None for others.

    Examples
    --------
    >>> from ae_gallery.data import make_sine_data
    >>> from ae_gallery.plotting import plot_sine_data
    >>> description(plot_sine_data(make_sine_data()))
    'Noisy blue points along a sine curve; the true curve is drawn in red.'
    """
    return getattr(fig, _DESCRIPTION, None)


def _drawn_tick_labels(axis) -> list:
    """The tick labels matplotlib draws: those of ticks inside the axis' view."""
    low, high = sorted(axis.get_view_interval())
    span = (high - low) * 1e-9
    labels = []
    for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
        if low - span <= tick.get_loc() <= high + span:
            labels += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return labels


def text_faults(fig: Figure) -> list[str]:
    """The texts of ``fig`` that are cut at its edge, or run into one another.

    Every text matplotlib draws (titles, axis and tick labels, legends, captions) is
    measured as drawn (:meth:`~matplotlib.text.Text.get_window_extent`). One that reaches
    past the image's edge by more than a pixel is cut in the saved image; two whose boxes
    share more than a pixel's width are printed over each other. The site's build checks
    every lesson's figures with it, and the tests every figure function's.

    Returns
    -------
    list of str
        A sentence per fault, naming the text(s) and where (pixels); empty when none.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3, 2))
    >>> _ = ax.set_xlabel("x")
    >>> text_faults(fig)[0]
    "'x' is cut at the image's edge (150, -21, 158, -7 in pixels; image 300×200)"
    >>> fig.tight_layout()
    >>> text_faults(fig)
    []
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = [*axis.get_major_ticks(), *axis.get_minor_ticks()]
            every = {label for tick in ticks for label in (tick.label1, tick.label2)}
            undrawn |= every - set(_drawn_tick_labels(axis))
    texts = [
        text
        for text in fig.findobj(Text)
        if text.get_visible()
        and text.get_text().strip()
        and text not in undrawn
        and (text.axes is None or text.axes.get_visible())
    ]
    boxes = [text.get_window_extent(renderer) for text in texts]
    width, height = fig.bbox.width, fig.bbox.height
    faults = []
    for text, box in zip(texts, boxes, strict=True):
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            faults.append(
                _(
                    "{text!r} is cut at the image's edge ({x0:.0f}, {y0:.0f}, {x1:.0f}, "
                    "{y1:.0f} in pixels; image {width:.0f}×{height:.0f})"
                ).format(
                    text=text.get_text(),
                    x0=box.x0,
                    y0=box.y0,
                    x1=box.x1,
                    y1=box.y1,
                    width=width,
                    height=height,
                )
            )
    for a in range(len(texts)):
        for b in range(a + 1, len(texts)):
            overlap_x = min(boxes[a].x1, boxes[b].x1) - max(boxes[a].x0, boxes[b].x0)
            overlap_y = min(boxes[a].y1, boxes[b].y1) - max(boxes[a].y0, boxes[b].y0)
            if overlap_x > 1 and overlap_y > 1:
                faults.append(
                    _("{a!r} and {b!r} run into each other at ({x:.0f}, {y:.0f}) in pixels").format(
                        a=texts[a].get_text(), b=texts[b].get_text(), x=boxes[a].x0, y=boxes[a].y0
                    )
                )
    return faults
