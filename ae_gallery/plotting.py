"""The article's figures, as functions that return a matplotlib Figure.

The figures carry little text: what they show is said in the text around them. Axis labels
are symbols (x, y, Z1) or words in the library's language (:mod:`ae_gallery.i18n`), as is
the sentence each figure carries to say what it shows
(:func:`ae_gallery.figure_text.description`: the site's alt text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib import animation
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._checks import as_array
from .data import SineData
from .figure_text import describe
from .i18n import _

__all__ = [
    "MARKER_COLORS", "animate_frames", "plot_codes_along_curve", "plot_code_joint",
    "plot_digit_maps", "plot_digits", "plot_glance", "plot_manifold", "plot_sine_data",
    "plot_training_curves",
]  # fmt: skip

#: The article's colours of the marked points, cycled.
MARKER_COLORS = ["r", "g", "c", "y", "m"]

# The article's figures were drawn under seaborn's old default style (grey axes), which is
# what makes its thick white line visible.
_STYLE = "darkgrid"


def _sine_axes(
    data: SineData, figsize: tuple[float, float], show_data: bool = True
) -> tuple[Figure, plt.Axes]:
    if not isinstance(data, SineData):
        raise TypeError(
            _("data must be the SineData of ae_gallery.data.make_sine_data(); got {kind}.").format(
                kind=type(data).__name__
            )
        )
    with sns.axes_style(_STYLE):
        fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(-2.5, 2.5)
    if show_data:
        ax.scatter(data.dots[:, 0], data.dots[:, 1], zorder=1)
    ax.plot(data.curve[:, 0], data.curve[:, 1], color="red", linewidth=4, zorder=10)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.grid(False)
    return fig, ax


def plot_sine_data(data: SineData, figsize: tuple[float, float] = (9, 7.5)) -> Figure:
    """The data (blue points) and the curve they come from (red): the article's first figure.

    Examples
    --------
    >>> from ae_gallery.data import make_sine_data
    >>> fig = plot_sine_data(make_sine_data())
    >>> len(fig.axes)
    1
    """
    fig, _axes = _sine_axes(data, figsize)
    fig.tight_layout()
    return describe(fig, _("Noisy blue points along a sine curve; the true curve is drawn in red."))


def plot_manifold(
    data: SineData,
    reconstruction,
    pca_reconstruction=None,
    line_width: float = 12,
    figsize: tuple[float, float] = (9, 7.5),
    show_data: bool = True,
) -> Figure:
    """The article's manifold figure.

    Blue points: the data. Red: the true curve. White: the autoencoder's image of the data,
    the manifold it found. Orange: PCA's image of the data. Coloured circles: a few data
    points; stars of the same colours: their images under the autoencoder.

    Parameters
    ----------
    data : SineData
    reconstruction : array_like of shape (N, 2)
        The autoencoder's output for ``data.dots``.
    pca_reconstruction : array_like of shape (N, 2), optional
        PCA's reconstruction of ``data.dots`` with one component.
    line_width : float
        Width of the white line (the article uses 12, and 6 for the overfit model).
    show_data : bool
        Draw the data's points. Without them the curves stand out (a lesson's thumbnail).

    Examples
    --------
    >>> from ae_gallery.data import make_sine_data
    >>> data = make_sine_data()
    >>> fig = plot_manifold(data, data.dots, data.dots)
    >>> len(fig.axes[0].lines), len(fig.axes[0].collections)
    (3, 3)
    """
    n = len(data.dots)
    reconstruction = as_array(reconstruction, "reconstruction", ndim=2, width=2)
    if len(reconstruction) != n:
        raise ValueError(
            _("reconstruction has {rows} points; the data has {n}.").format(
                rows=len(reconstruction), n=n
            )
        )
    fig, ax = _sine_axes(data, figsize, show_data)
    ax.plot(
        reconstruction[:, 0],
        reconstruction[:, 1],
        color="white",
        linewidth=line_width,
        # Without the data the learnt curve is the subject: over the true one, not under.
        zorder=3 if show_data else 11,
    )
    if pca_reconstruction is not None:
        pca_reconstruction = as_array(pca_reconstruction, "pca_reconstruction", ndim=2, width=2)
        if len(pca_reconstruction) != n:
            raise ValueError(
                _("pca_reconstruction has {rows} points; the data has {n}.").format(
                    rows=len(pca_reconstruction), n=n
                )
            )
        ax.plot(
            pca_reconstruction[:, 0],
            pca_reconstruction[:, 1],
            color="orange",
            linewidth=4,
            # Thinner than the white line and above it, as in the article: inside it where
            # the two lines agree.
            zorder=4 if show_data else 12,
        )
    colors = [MARKER_COLORS[k % len(MARKER_COLORS)] for k in range(len(data.markers))]
    images = reconstruction[data.markers]
    above = 0 if show_data else 10  # the marked points stay above the curves
    ax.scatter(images[:, 0], images[:, 1], color=colors, marker="*", s=150, zorder=5 + above)
    dots = data.marker_dots
    ax.scatter(dots[:, 0], dots[:, 1], color=colors, s=150, zorder=6 + above)
    fig.tight_layout()
    if show_data:
        text = _(
            "The noisy blue points and the true sine curve in red, with the curve the "
            "autoencoder maps them to in white; {markers} points are drawn as coloured dots, "
            "and stars of the same colours mark where the autoencoder puts them."
        )
    else:
        text = _(
            "Without the data points: the true sine curve in red and the curve the autoencoder "
            "maps the data to in white; {markers} points are drawn as coloured dots, and stars "
            "of the same colours mark where the autoencoder puts them."
        )
    text = text.format(markers=len(data.markers))
    if pca_reconstruction is not None:
        text = _("{manifold} The orange line is where PCA with one component puts them.").format(
            manifold=text
        )
    return describe(fig, text)


def _as_images(rows: Sequence, name: str) -> list[np.ndarray]:
    images = []
    for k, row in enumerate(rows):
        array = as_array(row, f"{name}[{k}]")
        array = array.reshape(array.shape[0], *[d for d in array.shape[1:] if d != 1])
        if array.ndim != 3:
            raise ValueError(
                _(
                    "{name}[{k}] must be a batch of 2-D images, shape (N, height, width) or "
                    "(N, height, width, 1); got shape {shape}."
                ).format(name=name, k=k, shape=np.shape(row))
            )
        images.append(array)
    return images


def plot_digits(
    *rows,
    captions: Sequence[Sequence[str]] | None = None,
    description: str | None = None,
    size: float = 1.5,
) -> Figure:
    """Rows of images side by side, as the article's ``plot_digits``.

    Parameters
    ----------
    *rows : array_like of shape (N, 28, 28) or (N, 28, 28, 1)
        Each argument is a row; the number of columns is the shortest row's length.
    captions : list of lists of str, optional
        A short caption under each image (numbers, not prose), row by row.
    description : str, optional
        What the rows show, in a sentence, for readers who cannot see them (the figure's
        alt text); by default, the grid's size.
    size : float
        Inches per image.

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_digits(np.zeros((5, 28, 28)), np.ones((5, 28, 28, 1)))
    >>> len(fig.axes)
    10
    """
    if not rows:
        raise ValueError(_("plot_digits needs at least one row of images."))
    images = _as_images(rows, "rows")
    n = min(len(row) for row in images)
    fig, axes = plt.subplots(
        len(images),
        n,
        figsize=(size * n, size * len(images) + (0.45 * len(images) if captions else 0)),
        squeeze=False,
    )
    for i, row in enumerate(images):
        for j in range(n):
            ax = axes[i, j]
            ax.imshow(row[j], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if captions is not None:
                ax.set_xlabel(captions[i][j], fontsize=14)
    fig.tight_layout(pad=0.3)
    if description is not None:
        return describe(fig, description)
    text = _("Images of digits, a grid of {rows} by {columns}.").format(rows=len(images), columns=n)
    if captions is not None:
        text = _("{digits} Under each image, a number.").format(digits=text)
    return describe(fig, text)


def plot_code_joint(codes, i: int = 1, j: int = 3, height: float = 6) -> Figure:
    """The joint distribution of code dimensions ``i`` and ``j`` (:func:`seaborn.jointplot`).

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_code_joint(np.random.default_rng(0).normal(size=(500, 4)))
    >>> len(fig.axes)
    3
    """
    codes = as_array(codes, "codes", ndim=2)
    for index in (i, j):
        if not 0 <= index < codes.shape[1]:
            raise ValueError(
                _("code dimension {index} does not exist: codes have {n} dimensions.").format(
                    index=index, n=codes.shape[1]
                )
            )
    with sns.axes_style("white"):
        grid = sns.jointplot(
            x=codes[:, i],
            y=codes[:, j],
            height=height,
            joint_kws={"s": 8, "alpha": 0.4, "edgecolor": "none"},
        )
    grid.set_axis_labels(f"$Z_{{{i}}}$", f"$Z_{{{j}}}$")
    for axis in (grid.ax_joint.xaxis, grid.ax_joint.yaxis):  # few ticks: none run together
        axis.set_major_locator(MaxNLocator(5))
    # seaborn lays the grid out before the labels exist: lay it out again, or they are cut.
    grid.figure.tight_layout()
    text = _(
        "Scatter plot of the code variables Z{i} and Z{j}, with the histogram of each on the "
        "top and right edges."
    )
    return describe(grid.figure, text.format(i=i, j=j))


def _panels(count: int, columns: int, size: float) -> tuple[Figure, list[plt.Axes]]:
    rows = -(-count // columns)
    columns = min(columns, count)
    with sns.axes_style("white"):
        fig, axes = plt.subplots(
            rows, columns, figsize=(size * columns, size * rows), squeeze=False
        )
    for ax in axes.flat[count:]:
        ax.set_axis_off()
    return fig, list(axes.flat[:count])


def plot_codes_along_curve(data: SineData, codes: Mapping[str, np.ndarray]) -> Figure:
    """Each method's one-number code of the sine data against the points' ``x``, a panel per
    method; the marked points in the article's colours.

    Examples
    --------
    >>> from ae_gallery.data import make_sine_data
    >>> sine = make_sine_data()
    >>> len(plot_codes_along_curve(sine, {"x itself": sine.x, "-x": -sine.x}).axes)
    2
    """
    if not isinstance(data, SineData):
        raise TypeError(_("data must be a SineData; got {kind}.").format(kind=type(data).__name__))
    fig, axes = _panels(len(codes), 3, 3.2)
    colours = [MARKER_COLORS[i % len(MARKER_COLORS)] for i in range(len(data.markers))]
    for ax, (name, code) in zip(axes, codes.items(), strict=True):
        code = as_array(code, f"codes[{name!r}]", ndim=1)
        ax.scatter(data.x, code, s=4, color="0.55", zorder=1)
        ax.scatter(data.x[data.markers], code[data.markers], s=30, c=colours, zorder=2)
        ax.set_title(name)
        ax.set_xlabel("$x$")
        ax.set_ylabel(_("code"))
        ax.yaxis.set_major_locator(MaxNLocator(4))
    fig.tight_layout()
    text = _(
        "The code of each point of the sine data against its x, one panel per method: {methods}."
    )
    return describe(fig, text.format(methods=", ".join(codes)))


def plot_digit_maps(
    maps: Mapping[str, np.ndarray],
    labels,
    titles: Mapping[str, str] | None = None,
    columns: int = 3,
) -> Figure:
    """Maps of digits on a plane, a panel per method, each digit a dot in its digit's colour.

    Parameters
    ----------
    maps : mapping of str to array_like of shape (N, 2)
        Each method's two-number codes of the same N digits.
    labels : array_like of shape (N,)
        The digit each image shows (0 to 9): its colour, in a legend beside the panels.
    titles : mapping of str to str, optional
        A panel's title (its scores), by method; by default the method's name.
    columns : int
        Panels per row.

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.random.default_rng(0).normal(size=(50, 2))
    >>> len(plot_digit_maps({"a": codes, "b": -codes}, np.arange(50) % 10).axes)
    2
    """
    labels = as_array(labels, "labels", ndim=1).astype(int)
    fig, axes = _panels(len(maps), columns, 3.6)
    palette = sns.color_palette("tab10", 10)
    for ax, (name, codes) in zip(axes, maps.items(), strict=True):
        codes = as_array(codes, f"maps[{name!r}]", ndim=2, width=2)
        if len(codes) != len(labels):
            raise ValueError(
                _("maps[{name!r}] has {n} codes for {m} labels: give one label per code.").format(
                    name=name, n=len(codes), m=len(labels)
                )
            )
        ax.scatter(codes[:, 0], codes[:, 1], s=7, c=[palette[d] for d in labels], linewidths=0)
        ax.set_title((titles or {}).get(name, name))
        ax.set_xticks([])
        ax.set_yticks([])
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color=palette[d], label=str(d))
        for d in range(10)
    ]
    fig.tight_layout(rect=(0, 0, 0.92, 1))
    fig.legend(handles=handles, title=_("digit"), loc="center right", frameon=False)
    text = _(
        "Test digits placed on a plane by each method, one panel per method ({methods}), each "
        "digit a dot coloured by the digit it shows."
    )
    return describe(fig, text.format(methods=", ".join(maps)))


def plot_training_curves(
    histories: Mapping[str, Mapping[str, Sequence[float]]],
    log_scale: bool = True,
    figsize: tuple[float, float] = (7, 4),
) -> Figure:
    """Loss per epoch of one or more trained models.

    Parameters
    ----------
    histories : mapping
        ``{label: history}``, where each history is ``{"loss": [...], "val_loss": [...]}``
        (a :class:`ae_gallery.training.TrainingRun`'s ``history``). Labels are names, not
        prose. The loss of each epoch is drawn with markers; when the history also holds
        ``"step_loss"``, the loss of the steps is drawn as a thin line of the same colour.
    log_scale : bool
        Plot the loss on a logarithmic axis.

    Examples
    --------
    >>> fig = plot_training_curves({"linear_ae": {"loss": [1.0, 0.5, 0.2]}})
    >>> fig.axes[0].get_xlabel()
    'epoch'
    """
    if not histories:
        raise ValueError(_("plot_training_curves needs at least one history."))
    fig, ax = plt.subplots(figsize=figsize)
    # Keras' names of the losses, in words of the library's language.
    words = {"loss": _("loss"), "val_loss": _("val_loss"), "step_loss": _("loss of each step")}
    for label, history in histories.items():
        if "loss" not in history:
            raise ValueError(
                _(
                    "history {label!r} has no 'loss' key: give a Keras-style history, "
                    "{{'loss': [...], 'val_loss': [...]}}."
                ).format(label=label)
            )
        epochs = len(history["loss"])
        color = None
        for key, style in (("loss", "-"), ("val_loss", "--")):
            values = history.get(key)
            if values is None or len(values) == 0:
                continue
            marker = "o" if len(values) < 30 else None
            (line,) = ax.plot(
                np.arange(1, len(values) + 1),
                values,
                style,
                marker=marker,
                markersize=4,
                color=color,
                label=f"{label}: {words[key]}" if len(histories) > 1 else words[key],
            )
            color = line.get_color()
        steps = history.get("step_loss")
        if steps is not None and len(steps) > epochs:
            # Step losses, evenly spaced over the training: step k of K ends at epoch k/K.
            where = np.arange(1, len(steps) + 1) / len(steps) * epochs
            each = words["step_loss"] if len(histories) == 1 else f"{label}: {words['step_loss']}"
            ax.plot(where, steps, "-", color=color, linewidth=0.8, alpha=0.45, label=each)
    if log_scale:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("epoch"))
    ax.set_ylabel(_("loss"))
    ax.legend()
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    if log_scale:
        text = _("The loss per epoch (logarithmic scale) of {labels}.")
    else:
        text = _("The loss per epoch (linear scale) of {labels}.")
    text = text.format(labels=", ".join(histories))
    if any(len(history.get("val_loss", ())) for history in histories.values()):
        text = _("{curves} Solid lines: training data; dashed: test data.").format(curves=text)
    return describe(fig, text)


def animate_frames(
    frames, interval: int = 120, size: float = 3.0, captions: Sequence[str] | None = None
) -> animation.FuncAnimation:
    """An animation that shows images one after the other (a path, frame by frame).

    Examples
    --------
    >>> import numpy as np
    >>> anim = animate_frames(np.zeros((3, 28, 28)))
    >>> type(anim).__name__
    'FuncAnimation'
    """
    (images,) = _as_images([frames], "frames")
    fig, ax = plt.subplots(figsize=(size, size + (0.3 if captions else 0)))
    shown = ax.imshow(images[0], cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    caption = ax.set_xlabel(captions[0] if captions else "")

    def update(k: int):
        shown.set_data(images[k])
        if captions:
            caption.set_text(captions[k])
        return (shown, caption)

    fig.tight_layout(pad=0.3)
    fig.set_label("animation")  # the site shows it as a player, not as an image
    text = _("An animation of {frames} images, one after the other.")
    describe(fig, text.format(frames=len(images)))
    return animation.FuncAnimation(fig, update, frames=len(images), interval=interval, blit=False)


def plot_glance(data: SineData, reconstruction=None, training_points: bool = False) -> Figure:
    """A lesson's point on the sine curve in one small picture (its card on the site).

    Drawn to be read at a few hundred pixels: no ticks; the data as grey points (only the
    marked ones, large and orange, when ``training_points``); the true curve thin in red;
    the curve the autoencoder maps the data to thick in dark blue.

    Examples
    --------
    >>> from ae_gallery.data import make_sine_data
    >>> len(plot_glance(make_sine_data()).axes[0].lines)
    1
    """
    if not isinstance(data, SineData):
        raise TypeError(_("data must be a SineData; got {kind}.").format(kind=type(data).__name__))
    fig, ax = plt.subplots(figsize=(5, 3.5))
    if training_points:
        dots = data.marker_dots
        ax.scatter(dots[:, 0], dots[:, 1], s=130, color="#e67e22", zorder=5)
    else:
        ax.scatter(data.dots[:, 0], data.dots[:, 1], s=6, color="0.7", zorder=1)
    # A darker red than the article's: the card is read at 160 px, on white in both themes.
    ax.plot(data.curve[:, 0], data.curve[:, 1], color="#c62828", linewidth=2, zorder=2)
    if reconstruction is None:
        text = _("Grey points along the sine curve, drawn in red.")
    else:
        text = _(
            "The sine curve in red, the points the autoencoder learnt from, and in thick dark "
            "blue the curve it maps the data to."
        )
    if reconstruction is not None:
        curve = as_array(reconstruction, "reconstruction", ndim=2, width=2)
        width = 4 if training_points else 7
        ax.plot(curve[:, 0], curve[:, 1], color="#1f3a93", linewidth=width, zorder=4)
    ax.set_xlim(-2.5, 2.5)
    ax.set_ylim(-1.4, 1.4)
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    return describe(fig, text)
