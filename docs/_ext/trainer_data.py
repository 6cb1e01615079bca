"""The trainers' data: no tool exports a Keras model, its data and measures for plain-JS training.

(TensorFlow.js' converter writes weights for its own runtime.) The trainers of lessons 2, 3 and
5 (``docs/_static/trainer.js``) train from scratch, offline: a page loads :func:`trainer_script`
(the site's tests hold the trainer to 300 steps of Keras' ``fit``).
"""

from __future__ import annotations

import json
from typing import Any

import keras
from live_format import ACTIVATIONS, array, script
from sklearn.decomposition import PCA

from ae_gallery import data, design, latent

__all__ = ["TRAINERS", "trainer_script"]

#: Lesson file stem -> the model its trainer starts from.
TRAINERS: dict[str, str] = {
    "plot_2_linear_autoencoder": "linear_ae",
    "plot_3_deep_autoencoder": "deep_ae",
    "plot_5_overfitting": "overfit_ae",
}
#: Lesson 5's 1.33 million steps are beyond a browser. With ELU the curve reaches its 25 points
#: after some 20,000 full-batch steps (ratio near 3, 10 to 15 s), with ReLU after 2,000 (4 to 5
#: by 4,000, 2 to 3 s, for each of five seeds). The page says so; the site's tests check it.
BROWSER_BUDGET = {
    "overfit_ae": {"epochs": 4000, "batch_size": 25, "learning_rate": 0.001, "activation": "relu"}
}
ADAM = ("learning_rate", "beta_1", "beta_2", "epsilon")


def _design(run) -> dict[str, Any]:
    """The run's Dense layers and Adam's settings; ValueError for what the page cannot compute."""
    described = design.design(run.model)
    layers = []
    for entry in described["architecture"]["config"]["layers"][1:]:  # after the InputLayer
        layer = {"activation": "linear", **entry["config"]}
        plain = set(layer) == {"units", "activation"} and layer["activation"] in ACTIVATIONS
        if entry["class_name"] != "Dense" or not plain:
            raise ValueError(f"{run.name}: the trainer computes plain Dense layers, not {entry}")
        layers.append(layer)
    optimizer = described["optimizer"]
    if optimizer["class_name"] != "Adam" or set(optimizer["config"]) - set(ADAM):
        raise ValueError(f"{run.name}: the trainer computes plain Adam, not {optimizer}")
    if described["loss"] != "mean_squared_error":
        raise ValueError(f"{run.name}: the trainer computes the mean squared error only")
    # Keras' deserializer takes its argument apart: it gets a copy.
    adam = keras.optimizers.deserialize(json.loads(json.dumps(optimizer))).get_config()
    return {"model": run.name, "layers": layers, "adam": {key: float(adam[key]) for key in ADAM}}


def trainer_script(lesson: str, run) -> str:
    """The script that gives the trainer of ``lesson`` its model, data and the lesson's numbers.

    ``run`` is the lesson's :class:`ae_gallery.training.TrainingRun`: its design and budget
    start the trainer; its model's predictions give the numbers the reader compares with.
    """
    sine = data.make_sine_data()
    out = run.model.predict(sine.dots, batch_size=1000, verbose=0)
    pca = PCA(1).fit(sine.dots)
    pca_out = pca.inverse_transform(pca.transform(sine.dots))
    on_train, elsewhere = latent.train_vs_elsewhere(sine.dots, out, sine.markers)
    overfit = run.name == "overfit_ae"
    rows = len(data.overfit_training_set(sine) if overfit else sine.dots)
    numbers = {
        "final_loss": float(run.history["loss"][-1]),
        "angle": latent.line_angle_degrees(out, pca_out),
        "distance": float(latent.distance_to_curve(out).mean()),
        "train": on_train,
        "elsewhere": elsewhere,
    }
    content = {
        **_design(run),
        "budget": {"epochs": run.asked.epochs, "batch_size": run.asked.batch_size, "rows": rows},
        "browser": BROWSER_BUDGET.get(run.name, {}),  # else the lesson's budget
        "dots": array(sine.dots),
        "markers": sine.markers.tolist(),  # lesson 5 trains on them only
        "overfit": overfit,
        "x_range": [float(sine.x[0]), float(sine.x[-1])],
        "pca": {
            "mean": pca.mean_.tolist(),
            "direction": latent.principal_direction(pca_out).tolist(),
        },
        "lesson_numbers": numbers,
    }
    return script("aeGalleryTrainers", lesson, content)
