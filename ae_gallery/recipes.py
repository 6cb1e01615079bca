"""One recipe per model the site trains: each model's settings, written once.

A :class:`Recipe` says how to build a model, its optimizer and settings, its loss, its data
and its budget under each profile. The lessons, the tests and the benchmark all train from
these recipes (``training.train(recipes.DEEP_AE)``), so a model trained on two pages is the
same model, and the weights cache finds it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import keras
import numpy as np

from . import data, messages, models
from .budgets import Budget, resolve_profile

__all__ = [
    "CONV_AE",
    "DEEP_AE",
    "DIGIT_CLASSIFIER",
    "LINEAR_AE",
    "OVERFIT_AE",
    "RECIPES",
    "SPARSE_AE",
    "SPARSE_AE_L1",
    "Recipe",
    "TrainingData",
    "get",
]


class TrainingData(NamedTuple):
    """Training inputs ``x``, targets ``y`` and optional ``(x, y)`` validation data."""

    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None = None


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """Everything that decides a trained model, except its seed.

    Attributes
    ----------
    name : str
        The model's name on the pages and in the cache.
    build : callable
        Builds the model with no arguments; it may return encoder/decoder/autoencoder parts.
    optimizer : str
        A Keras optimizer's name, e.g. ``"adam"``.
    learning_rate : float or None
        ``None`` keeps Keras' default, as the article's ``optimizer='adam'`` does.
    loss : str
        A Keras loss's name.
    data : callable
        Returns the :class:`TrainingData`.
    data_description : str
        The data in words, as the pages print it.
    budgets : mapping
        The :class:`~ae_gallery.budgets.Budget` of each profile; ``full`` is the article's.
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
    build: Callable[[], Any]
    optimizer: str
    learning_rate: float | None
    loss: str
    data: Callable[[], TrainingData] = field(repr=False)
    data_description: str
    budgets: Mapping[str, Budget]
    quick_reason: str
    in_article: bool = True
    bfloat16: bool = True

    def make_optimizer(self) -> keras.optimizers.Optimizer:
        """A fresh optimizer with the recipe's settings."""
        optimizer = keras.optimizers.get(self.optimizer)
        if self.learning_rate is not None:
            optimizer.learning_rate = self.learning_rate
        return optimizer

    def budget(self, profile: str | None = None) -> Budget:
        """The budget under a profile (see :func:`~ae_gallery.budgets.resolve_profile`)."""
        return self.budgets[resolve_profile(profile)]

    def describe(self) -> str:
        """One sentence: the model, its optimizer and settings, its loss and its data.

        Examples
        --------
        >>> DEEP_AE.budgets["full"].describe()
        '200 epochs of batch 30'
        >>> print(DEEP_AE.describe())
        deep_ae: Adam with learning rate 0.003, loss mse, on the noisy sine curve's 1,000 points.
        """
        optimizer = type(self.make_optimizer()).__name__
        if self.learning_rate is not None:
            optimizer = messages.OPTIMIZER.format(
                optimizer=optimizer, learning_rate=f"{self.learning_rate:g}"
            )
        return messages.RECIPE.format(
            name=self.name, optimizer=optimizer, loss=self.loss, data=self.data_description
        )

    def budget_note(self, profile: str | None = None) -> str:
        """One sentence: the budget under a profile, against the article's.

        Examples
        --------
        >>> "a shorter budget than the article's 50 epochs" in CONV_AE.budget_note("quick")
        True
        >>> DEEP_AE.budget_note("full")
        "Profile full: 200 epochs of batch 30, the article's budget."
        """
        profile = resolve_profile(profile)
        budget, full = self.budgets[profile], self.budgets["full"]
        if not self.in_article:
            sentence = messages.BUDGET_NOT_IN_ARTICLE
        elif budget == full:
            sentence = messages.BUDGET_ARTICLE
        else:
            sentence = messages.BUDGET_SHORTER
        return sentence.format(profile=profile, budget=budget.describe(), full=full.describe())


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


def _budgets(full: tuple, quick: tuple, smoke: tuple) -> dict[str, Budget]:
    """Budgets from ``(epochs, batch_size[, steps_per_epoch])`` per profile."""
    return {"full": Budget(*full), "quick": Budget(*quick), "smoke": Budget(*smoke)}


#: What the sine-curve autoencoders share, and what the MNIST autoencoders share.
_SINE = {"optimizer": "adam", "loss": "mse", "bfloat16": False}
_MNIST = {"optimizer": "adam", "loss": "binary_crossentropy", "data": _mnist_images}

LINEAR_AE = Recipe(
    name="linear_ae",
    build=models.linear_ae,
    learning_rate=0.01,
    data=_sine,
    data_description=messages.DATA_SINE,
    budgets=_budgets(full=(15, 30), quick=(15, 30), smoke=(15, 30)),
    quick_reason="The article's budget: 15 epochs take under a second.",
    **_SINE,
)

DEEP_AE = Recipe(
    name="deep_ae",
    build=models.deep_ae,
    learning_rate=0.003,
    data=_sine,
    data_description=messages.DATA_SINE,
    budgets=_budgets(full=(200, 30), quick=(200, 30), smoke=(60, 30)),
    quick_reason="The article's budget: 6,800 steps take a few seconds with compiled epochs.",
    **_SINE,
)

#: The deep autoencoder again, on 25 points only: the overfitting demo.
OVERFIT_AE = Recipe(
    name="overfit_ae",
    build=models.deep_ae,
    learning_rate=0.0003,
    data=_sine_overfit,
    data_description=messages.DATA_SINE_OVERFIT,
    budgets=_budgets(full=(200, 15), quick=(200, 15), smoke=(100, 15)),
    quick_reason=(
        "The article's budget: 1.33 million steps take about two minutes with compiled "
        "epochs (about an hour with plain ``fit``)."
    ),
    **_SINE,
)

CONV_AE = Recipe(
    name="conv_ae",
    build=models.deep_conv_ae,
    learning_rate=None,
    data_description=messages.DATA_MNIST_IMAGES,
    budgets=_budgets(full=(50, 256), quick=(2, 256), smoke=(1, 256, 8)),
    quick_reason=(
        "An epoch takes minutes on two CPU cores; after 2 epochs the reconstructions are "
        "recognisable and the code-space path decodes to eights. The full profile's 50 "
        "epochs give sharper ones."
    ),
    **_MNIST,
)

SPARSE_AE = Recipe(
    name="sparse_ae",
    build=functools.partial(models.deep_sparse_ae, 0.0),
    learning_rate=0.0003,
    data_description=messages.DATA_MNIST_IMAGES,
    budgets=_budgets(full=(100, 64), quick=(50, 64), smoke=(1, 64, 60)),
    quick_reason=(
        "Half the article's budget, about a minute and a quarter: by then the loss has "
        "almost levelled off and the codes are distributed as the article shows."
    ),
    **_MNIST,
)

SPARSE_AE_L1 = Recipe(
    name="sparse_ae_l1",
    build=functools.partial(models.deep_sparse_ae, 1e-5),
    learning_rate=0.0003,
    data_description=messages.DATA_MNIST_IMAGES,
    budgets=_budgets(full=(200, 256), quick=(100, 256), smoke=(1, 256, 30)),
    quick_reason="Half the article's budget, about two minutes, for the same reason.",
    **_MNIST,
)

#: Not in the article: a reader of digits that scores the frames of a homotopy.
DIGIT_CLASSIFIER = Recipe(
    name="digit_classifier",
    build=models.digit_classifier,
    optimizer="adam",
    learning_rate=None,
    loss="sparse_categorical_crossentropy",
    data=_mnist_labels,
    data_description=messages.DATA_MNIST_LABELS,
    budgets=_budgets(full=(10, 128), quick=(1, 128), smoke=(1, 128, 40)),
    quick_reason="One epoch reaches about 98 % test accuracy, enough to read a digit.",
    in_article=False,
)

#: Every recipe, by name.
RECIPES: dict[str, Recipe] = {
    recipe.name: recipe
    for recipe in (
        LINEAR_AE,
        DEEP_AE,
        OVERFIT_AE,
        CONV_AE,
        SPARSE_AE,
        SPARSE_AE_L1,
        DIGIT_CLASSIFIER,
    )
}


def get(name: str) -> Recipe:
    """The recipe called ``name``.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    if name not in RECIPES:
        raise ValueError(f"No recipe named {name!r}; known recipes: {', '.join(RECIPES)}.")
    return RECIPES[name]
