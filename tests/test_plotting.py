"""The figure functions return figures with the expected axes, lines and images."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import seaborn as sns
from matplotlib.image import AxesImage

from ae_gallery import figure_text, plotting
from ae_gallery.data import make_sine_data

DATA = make_sine_data()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_sine_data_figure():
    fig = plotting.plot_sine_data(DATA)
    (ax,) = fig.axes
    assert len(ax.collections) == 1 and len(ax.lines) == 1
    assert ax.lines[0].get_color() == "red"
    assert ax.get_xlim() == (-2.5, 2.5)


def test_manifold_figure_has_the_articles_layers():
    fig = plotting.plot_manifold(DATA, DATA.curve, DATA.dots, line_width=6)
    (ax,) = fig.axes
    red, white, orange = ax.lines
    assert (red.get_color(), white.get_color(), orange.get_color()) == ("red", "white", "orange")
    assert white.get_linewidth() == 6
    data_points, stars, circles = ax.collections
    assert len(data_points.get_offsets()) == 1000
    assert len(stars.get_offsets()) == 25 and len(circles.get_offsets()) == 25
    np.testing.assert_allclose(stars.get_offsets(), DATA.curve[DATA.markers])
    # Colours cycle r, g, c, y, m as in the article.
    np.testing.assert_allclose(circles.get_facecolors()[5], circles.get_facecolors()[0])


def test_digits_grid():
    rows = [np.zeros((6, 28, 28, 1)), np.ones((8, 28, 28))]
    fig = plotting.plot_digits(*rows, captions=[["a"] * 6, ["b"] * 6])
    assert len(fig.axes) == 12
    assert all(isinstance(ax.images[0], AxesImage) for ax in fig.axes)
    assert fig.axes[0].images[0].get_array().shape == (28, 28)
    assert fig.axes[6].get_xlabel() == "b"


def test_digits_say_what_the_lesson_says_they_show():
    rows = np.zeros((4, 28, 28, 1)), np.ones((4, 28, 28, 1))
    description = figure_text.description
    assert description(plotting.plot_digits(*rows)) == "Images of digits, a grid of 2 by 4."
    said = "Two paths between two eights."
    fig = plotting.plot_digits(*rows, captions=[list("wxyz")] * 2, description=said)
    assert description(fig) == said and fig.axes[7].get_xlabel() == "z"


def test_joint_plot():
    codes = np.random.default_rng(0).normal(size=(300, 16))
    fig = plotting.plot_code_joint(codes, 1, 3)
    assert len(fig.axes) == 3
    assert fig.axes[0].get_xlabel() == "$Z_{1}$" and fig.axes[0].get_ylabel() == "$Z_{3}$"
    np.testing.assert_allclose(fig.axes[0].collections[0].get_offsets()[:, 0], codes[:, 1])


def test_training_curves():
    fig = plotting.plot_training_curves(
        {"a": {"loss": [3, 2, 1], "val_loss": [4, 3, 2]}, "b": {"loss": [1, 0.5]}}
    )
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "a: loss",
        "a: val_loss",
        "b: loss",
    ]


def test_animation_frames():
    anim = plotting.animate_frames(
        np.random.default_rng(0).random((5, 28, 28, 1)), captions=list("abcde")
    )
    fig = plt.gcf()
    html = anim.to_jshtml()  # draws every frame, as the page's widget shows them
    assert "frames[4]" in html and "frames[5]" not in html
    assert fig.axes[0].get_xlabel() == "e"  # the last frame's caption


@pytest.mark.fault(
    "Wrong array shapes or dtypes given to the figure functions",
    (
        "``ValueError`` (shape, NaN, a missing code dimension or history key) or ``TypeError`` "
        "(not numeric), naming the argument and the shape it needs."
    ),
)
@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: plotting.plot_manifold(DATA, DATA.dots[:10]), ValueError, "10 points"),
        (lambda: plotting.plot_sine_data("nope"), TypeError, "SineData"),
        (lambda: plotting.plot_manifold(DATA, np.zeros((1000, 3))), ValueError, r"shape \(N, 2\)"),
        (lambda: plotting.plot_digits(np.zeros((3, 28))), ValueError, "batch of 2-D images"),
        (lambda: plotting.plot_digits(), ValueError, "at least one row"),
        (lambda: plotting.plot_digits(np.array([["x"]])), TypeError, "numeric"),
        (
            lambda: plotting.plot_code_joint(np.zeros((10, 2)), 1, 3),
            ValueError,
            "dimension 3 does not exist",
        ),
        (lambda: plotting.plot_training_curves({"a": {"acc": [1]}}), ValueError, "no 'loss'"),
    ],
)
def test_bad_input_is_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


FIGURES = {
    "sine data": lambda: plotting.plot_sine_data(DATA),
    "manifold": lambda: plotting.plot_manifold(DATA, DATA.dots, DATA.dots),
    "digits": lambda: plotting.plot_digits(
        np.zeros((4, 28, 28, 1)), np.ones((4, 28, 28, 1)), captions=[list("abcd")] * 2
    ),
    "paths": lambda: plotting.plot_digits(
        np.zeros((10, 28, 28, 1)),
        np.ones((10, 28, 28, 1)),
        captions=[[f"8: 0.{i}9" for i in range(10)]] * 2,
    ),
    # Wide, negative codes with long tick labels, like lesson 6's (-18 to 18).
    "joint": lambda: plotting.plot_code_joint(
        np.random.default_rng(0).normal(-7, 3, size=(2000, 16)), 1, 3
    ),
    "training curves": lambda: plotting.plot_training_curves(
        {"deep_ae": {"loss": [3e-1, 2e-3, 1e-4], "val_loss": [4e-1, 3e-3, 2e-4]}}
    ),
    # Lesson 6's sparse codes: small values whose tick labels once ran into each other.
    "sparse joint": lambda: plotting.plot_code_joint(
        np.random.default_rng(1).normal(0, 0.03, size=(2000, 16)), 1, 3
    ),
    "glance": lambda: plotting.plot_glance(DATA, DATA.dots),
    "glance, training points": lambda: plotting.plot_glance(DATA, DATA.dots, True),
}


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("context", ["notebook", "talk"])
def test_every_text_lies_inside_the_image_and_clear_of_the_others(name, context):
    """Axis labels, titles and tick labels are neither cut at the image's edge (lesson 6's
    joint plots once lost Z1 at the bottom and Z3 on the left) nor printed over each other
    (its sparse codes' x ticks once read "-0.100-0.075-0.050")."""
    with sns.plotting_context(context):
        fig = FIGURES[name]()
    assert figure_text.text_faults(fig) == []


@pytest.mark.fault(
    "A figure with a label cut at its edge, or with labels printed over each other",
    "The figure check names the texts and where they are; the site's build fails on it.",
)
def test_a_cut_label_and_overlapping_ticks_are_reported():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_ylabel("$Z_3$")
    ax.set_position([-0.05, 0.1, 0.8, 0.8])
    faults = figure_text.text_faults(fig)
    assert any(text.startswith("'$Z_3$' is cut") for text in faults), faults
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xticks(np.linspace(-0.1, 0.1, 9))
    ax.set_xticklabels([f"{v:.3f}" for v in np.linspace(-0.1, 0.1, 9)])
    fig.tight_layout()
    assert any("run into each other" in text for text in figure_text.text_faults(fig))


DESCRIPTIONS = {
    "sine data": "Noisy blue points along a sine curve",
    "manifold": "The orange line is where PCA",
    "digits": "Images of digits, a grid of 2 by 4. Under each image, a number.",
    "paths": "Images of digits, a grid of 2 by 10. Under each image, a number.",
    "joint": "code variables Z1 and Z3",
    "training curves": "(logarithmic scale) of deep_ae. Solid lines: training data; dashed",
    "sparse joint": "code variables Z1 and Z3",
    "glance": "in thick dark blue the curve it maps the data to",
    "glance, training points": "the points the autoencoder learnt from",
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_says_what_it_shows(name):
    """The site's alt text: a sentence from ae_gallery.messages, with the figure's own
    numbers (the Russian site translates it like a printed line)."""
    assert DESCRIPTIONS[name] in figure_text.description(FIGURES[name]())


def test_a_figure_not_drawn_here_has_no_description():
    assert figure_text.description(plt.figure()) is None
