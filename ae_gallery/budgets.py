"""Training profiles and budgets: how long each model trains.

The article's budgets take hours on a laptop CPU, so every model trains under a *profile*:

``full``
    The article's epochs and batch sizes, exactly. The default when Keras sees a GPU, and
    on a CPU for every model whose published weights match its recipe
    (:mod:`ae_gallery.published`): those are loaded, not trained.
``quick``
    A CPU budget under which every figure still shows what the article shows: the default
    on a CPU for a model without matching published weights.
``smoke``
    Seconds per model, for tests and CI.

Each recipe (:mod:`ae_gallery.recipes`) holds its budget per profile.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._checks import setting
from .device import gpu_names
from .i18n import _, ngettext, number

__all__ = ["PROFILES", "PROFILE_ENV_VAR", "Budget", "requested_profile", "resolve_profile"]

PROFILE_ENV_VAR = "AE_GALLERY_PROFILE"
PROFILES = ("full", "quick", "smoke")


def _meanings() -> str:
    return _("full is the article's budget, quick a CPU budget, smoke seconds per model.")


@dataclass(frozen=True)
class Budget:
    """How long to train: epochs, batch size, and optionally fewer batches per epoch.

    ``steps_per_epoch=None`` goes through the whole training set each epoch.

    Examples
    --------
    >>> Budget(50, 256).describe()
    '50 epochs of batch 256'
    >>> Budget(1, 64, steps_per_epoch=60).describe()
    '1 epoch of batch 64, 60 batches each'
    """

    epochs: int
    batch_size: int
    steps_per_epoch: int | None = None

    def describe(self) -> str:
        """The budget in words, as the pages print it (in the library's language)."""
        if self.steps_per_epoch is None:
            sentence = ngettext(
                "{epochs} epoch of batch {batch}", "{epochs} epochs of batch {batch}", self.epochs
            )
        else:
            sentence = ngettext(
                "{epochs} epoch of batch {batch}, {steps} batches each",
                "{epochs} epochs of batch {batch}, {steps} batches each",
                self.epochs,
            )
        return sentence.format(
            epochs=number(self.epochs), batch=self.batch_size, steps=self.steps_per_epoch
        )


def requested_profile(profile: str | None = None) -> str | None:
    """The profile asked for, by the argument or ``AE_GALLERY_PROFILE``; None if neither.

    Raises
    ------
    ValueError
        For a name that is not a profile; the message lists the valid ones.

    Examples
    --------
    >>> requested_profile("quick")
    'quick'
    """
    return setting(
        profile, PROFILE_ENV_VAR, PROFILES, _("training profile"), lambda: None, _meanings()
    )


def resolve_profile(profile: str | None = None) -> str:
    """Return the training profile to use.

    The argument wins; then the environment variable ``AE_GALLERY_PROFILE``; otherwise
    ``"full"`` when Keras sees a GPU and ``"quick"`` when it does not.
    (:func:`ae_gallery.training.fit` goes further on a CPU: ``"full"`` for a model whose
    published weights it can load.) A name that is not a profile raises ValueError, as in
    :func:`requested_profile`.

    Examples
    --------
    >>> resolve_profile("smoke")
    'smoke'
    """

    def default() -> str:
        return "full" if gpu_names() else "quick"

    return setting(profile, PROFILE_ENV_VAR, PROFILES, _("training profile"), default, _meanings())
