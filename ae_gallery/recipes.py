"""What the site knows of each model besides its lesson's code: its data, its shorter budgets.

A lesson writes its model, ``compile`` and fit call as the article does (``examples/``);
:func:`ae_gallery.training.fit` trains what it asks for. The :class:`Recipe` of a model adds
what the lesson does not say: the data in words, the budgets of the ``quick`` and ``smoke``
profiles (the article's budget is the one the lesson's fit asks for), whether it may train
in bfloat16, and the data itself, so that a later lesson, a test or the benchmark can train
the model again by its name (:func:`ae_gallery.training.train`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from . import data
from .budgets import Budget
from .i18n import _

__all__ = ["RECIPES", "Recipe", "TrainingData", "get", "shorter_budget"]


class TrainingData(NamedTuple):
    """Training inputs ``x``, targets ``y`` and optional ``(x, y)`` validation data."""

    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """A model's data and shorter budgets, by the name its lesson's fit call gives it.

    Attributes
    ----------
    name : str
        The model's name in its lesson's fit call, the cache and the published weights.
    data : callable
        Returns the :class:`TrainingData` its lesson trains on.
    quick, smoke : Budget
        The budgets of the ``quick`` and ``smoke`` profiles; a fit that asks for fewer
        epochs gets its own (:func:`shorter_budget`).
    quick_reason : str
        Why the ``quick`` budget is what it is (the maintainers' page shows it).
    in_article : bool
        False for the models the site adds (the digit classifier).
    bfloat16 : bool
        Whether the model may train in mixed bfloat16 where the hardware computes it. Not
        the sine-curve models: they are too small to gain from it, and the overfitting demo
        measures distances of a few thousandths, about bfloat16's resolution near 1.
    """

    name: str
    data: Callable[[], TrainingData] = field(repr=False)
    quick: Budget
    smoke: Budget
    quick_reason: str
    in_article: bool = True
    bfloat16: bool = True


def shorter_budget(name: str, profile: str, asked: Budget) -> Budget:
    """The budget a fit asking for ``asked`` trains under ``profile``.

    ``full`` is what the fit asks for. ``quick`` and ``smoke`` are the recipe's budgets,
    never more epochs than asked; a model without a recipe (one a reader named) trains as
    asked under ``quick``, and one epoch of at most 20 batches under ``smoke``.

    Examples
    --------
    >>> shorter_budget("conv_ae", "quick", Budget(50, 256))
    Budget(epochs=2, batch_size=256, steps_per_epoch=None)
    >>> shorter_budget("conv_ae", "quick", Budget(1, 256))
    Budget(epochs=1, batch_size=256, steps_per_epoch=None)
    >>> shorter_budget("my_ae", "smoke", Budget(50, 64))
    Budget(epochs=1, batch_size=64, steps_per_epoch=20)
    """
    if profile == "full":
        return asked
    recipe = RECIPES.get(name)
    if recipe is None:
        return asked if profile == "quick" else Budget(1, asked.batch_size, 20)
    budget = recipe.quick if profile == "quick" else recipe.smoke
    return replace(budget, epochs=min(budget.epochs, asked.epochs))


def _sine() -> TrainingData:
    dots = data.make_sine_data().dots
    return TrainingData(dots, dots)


def _sine_overfit() -> TrainingData:
    dots = data.overfit_training_set(data.make_sine_data(), repeats=4000)
    return TrainingData(dots, dots)


def _mnist_images() -> TrainingData:
    (x_train, _), (x_test, _) = data.load_mnist()
    return TrainingData(x_train, x_train, (x_test, x_test))


def _mnist_labels() -> TrainingData:
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    return TrainingData(x_train, y_train, (x_test, y_test))


_SINE = {"data": _sine, "bfloat16": False}
_MNIST = {"data": _mnist_images}

#: Every recipe, by the name its lesson's fit call gives the model.
RECIPES: dict[str, Recipe] = {
    recipe.name: recipe
    for recipe in (
        Recipe(
            name="linear_ae",
            quick=Budget(15, 30),
            smoke=Budget(15, 30),
            quick_reason="The article's budget: 15 epochs take under a second.",
            **_SINE,
        ),
        Recipe(
            name="deep_ae",
            quick=Budget(200, 30),
            smoke=Budget(60, 30),
            quick_reason="The article's budget: 6,800 steps take a few seconds with compiled "
            "epochs.",
            **_SINE,
        ),
        Recipe(
            name="overfit_ae",
            data=_sine_overfit,
            quick=Budget(200, 15),
            smoke=Budget(100, 15),
            quick_reason="The article's budget: 1.33 million steps take about two minutes with "
            "compiled epochs (about an hour with plain ``fit``).",
            bfloat16=False,
        ),
        Recipe(
            name="conv_ae",
            quick=Budget(2, 256),
            smoke=Budget(1, 256, 8),
            quick_reason="An epoch takes minutes on two CPU cores; after 2 epochs the "
            "reconstructions are recognisable and the code-space path decodes to eights. The "
            "full profile's 50 epochs give sharper ones.",
            **_MNIST,
        ),
        Recipe(
            name="sparse_ae",
            quick=Budget(50, 64),
            smoke=Budget(1, 64, 60),
            quick_reason="Half the article's budget, about a minute and a quarter: by then the "
            "loss has almost levelled off and the codes are distributed as the article shows.",
            **_MNIST,
        ),
        Recipe(
            name="sparse_ae_l1",
            quick=Budget(100, 256),
            smoke=Budget(1, 256, 30),
            quick_reason="Half the article's budget, about two minutes, for the same reason.",
            **_MNIST,
        ),
        Recipe(
            name="plane_ae",
            quick=Budget(10, 256),
            smoke=Budget(1, 256, 20),
            quick_reason="A tenth of the lesson's budget, about a minute: the digits already "
            "gather by kind on the plane, less sharply apart.",
            in_article=False,
            **_MNIST,
        ),
        Recipe(
            name="digit_classifier",
            data=_mnist_labels,
            quick=Budget(1, 128),
            smoke=Budget(1, 128, 40),
            quick_reason="One epoch reaches about 98 % test accuracy, enough to read a digit.",
            in_article=False,
        ),
    )
}


def get(name: str) -> Recipe:
    """The recipe of the model called ``name``.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    if name not in RECIPES:
        raise ValueError(
            _("No recipe named {name!r}; known recipes: {names}.").format(
                name=name, names=", ".join(RECIPES)
            )
        )
    return RECIPES[name]
