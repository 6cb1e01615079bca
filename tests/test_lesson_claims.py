"""Every sentence of a lesson that reads its numbers, held at the published weights.

A lesson prints its numbers and its prose says what they show ("far closer", "several
times", "most frames"). The prose is written once, for the published models; a retraining
that changes what the numbers say must fail here, not contradict a reader's page. Each test
quotes the sentences it holds (lessons 1 to 7, ``examples/en/``; the Russian lessons say
the same, ``test_lesson_translations.py``) and computes what the lesson prints, as the
lesson does. The published numbers are in the docstrings.
"""

from __future__ import annotations

from types import SimpleNamespace

import keras
import numpy as np
import pytest
import trainer_data
from lessons import lesson_function, published_run
from scipy.stats import spearmanr
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

from ae_gallery import data, latent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sine():
    return data.make_sine_data()


@pytest.fixture(scope="module")
def noise(sine):
    """The data's mean distance to the true curve (published run: 0.0477)."""
    return latent.distance_to_curve(sine.dots).mean()


def reconstruct(name, dots):
    return published_run(name).model.predict(dots, batch_size=30, verbose=0)


def pca_line(dots):
    pca = PCA(1)
    return pca.inverse_transform(pca.fit_transform(dots))


def test_lesson_1_the_data_lies_near_its_curve(noise):
    """ "The noise moves each point off the curve by about 0.06 in each coordinate; measured
    along the shortest way to the curve, the points lie this far from it on average: about
    0.8 of 0.06" (published: 0.0477)."""
    assert abs(noise / 0.06 - 0.8) < 0.05, noise


def test_lesson_2_the_linear_autoencoder_finds_pcas_line(sine, noise):
    """ "wherever the white line runs, the orange one lies inside it; only at both ends does
    the orange line run a little farther"; "the two lines along one direction, the
    autoencoder's covering a slightly shorter stretch of it"; "Neither line follows the true
    curve ... Both lie farther from the curve than the noisy data themselves; their distances
    differ a little". Published: 0.12°, 0.0033; stretches 4.60 and 4.80; 0.1230 and 0.1320
    against 0.0477."""
    line, pca = reconstruct("linear_ae", sine.dots), pca_line(sine.dots)
    assert latent.line_angle_degrees(line, pca) < 1
    assert latent.distance_to_line(pca, line).mean() < noise / 5
    stretch = [np.linalg.norm(np.ptp(points, axis=0)) for points in (line, pca)]
    assert 0.9 < stretch[0] / stretch[1] < 1, stretch
    distances = [latent.distance_to_curve(points).mean() for points in (line, pca)]
    assert min(distances) > 2 * noise and max(distances) < 1.2 * min(distances), distances


def test_lesson_3_the_deep_autoencoder_follows_the_curve(sine, noise):
    """ "the white curve almost coincides with the red one ... covers the red one along nearly
    its whole length"; "far closer to the true one than the straight lines, and closer than
    the data: it has averaged the noise away" (0.0081; 95 % of points within 0.030; 15.3
    times)."""
    deep = latent.distance_to_curve(reconstruct("deep_ae", sine.dots))
    linear = latent.distance_to_curve(reconstruct("linear_ae", sine.dots)).mean()
    assert deep.mean() < noise / 3, deep.mean()
    assert np.percentile(deep, 95) < noise
    assert linear / deep.mean() >= 10


def test_lesson_5_the_overfit_autoencoder_memorises_its_points(sine, noise):
    """ "Here it passes close by every coloured point too, and keeps near the red curve";
    "reproduces its training points several times more closely than the other points, and
    more closely than the noise lies off the curve; the deep one reproduces the marked points
    and the others alike, about as far off as the noise. The overfit autoencoder's curve
    stays nearer to the true one than the noisy data do, yet several times farther than the
    deep autoencoder's"; "The training loss falls towards zero"; the trainer "starts with
    ReLU and a larger learning rate". Published: 0.0097 against 0.0639 (6.6 times); deep
    0.0500 and 0.0563; 0.0368 against 0.0081 and the data's 0.0477; loss 0.0100 to
    0.000075."""
    overfit = reconstruct("overfit_ae", sine.dots)
    deep = reconstruct("deep_ae", sine.dots)
    on_train, elsewhere = latent.train_vs_elsewhere(sine.dots, overfit, sine.markers)
    assert elsewhere / on_train >= 3
    misses = np.linalg.norm(overfit - sine.dots, axis=1)[sine.markers]
    assert misses.max() < noise and on_train < noise / 3
    deep_train, deep_elsewhere = latent.train_vs_elsewhere(sine.dots, deep, sine.markers)
    assert 1 / 1.5 < deep_elsewhere / deep_train < 1.5
    assert all(noise / 1.5 < d < 1.5 * noise for d in (deep_train, deep_elsewhere))
    overfit_curve = latent.distance_to_curve(overfit).mean()
    assert 2 * latent.distance_to_curve(deep).mean() < overfit_curve < noise
    loss = published_run("overfit_ae").history["loss"]
    assert loss[-1] < loss[0] / 30
    browser = trainer_data.BROWSER_BUDGET["overfit_ae"]
    assert browser["activation"] == "relu" and browser["learning_rate"] > 0.0003


@pytest.fixture(scope="module")
def paths(mnist):
    """Lesson 4's two paths between two test eights, as the lesson makes them."""
    _, (x_test, y_test) = mnist
    homotopy = lesson_function("plot_4_mnist_homotopy", "homotopy")
    autoencoder = published_run("conv_ae").model
    encoder, decoder = autoencoder.get_layer("encoder"), autoencoder.get_layer("decoder")
    eights = x_test[y_test == 8][1:3]
    codes = encoder.predict(eights, verbose=0)
    return (
        autoencoder,
        homotopy(eights[0], eights[1]),
        decoder.predict(homotopy(codes[0], codes[1]), batch_size=10, verbose=0),
    )


def test_lesson_4_the_reader_reads_the_paths(paths):
    """ "The reader calls most decoded frames of the code-space path eights, those near the
    two ends without doubt; its doubt, where it has any, falls on the smudged middle frames,
    which it may even read as another digit ... the reader calls every frame of the
    pixel-space path an eight too." Published: code path 9 of 10, a 3 in the sixth frame
    (0.60), P(8) 1.00 at both ends; pixel path 10 of 10."""
    _, pixel_path, code_path = paths
    reader = published_run("digit_classifier").model
    assert (reader.predict(pixel_path, verbose=0).argmax(1) == 8).all()
    probabilities = reader.predict(code_path, verbose=0)
    assert (probabilities.argmax(1) == 8).sum() >= 7, probabilities.argmax(1)
    eight = probabilities[:, 8]
    assert (eight[[0, 1, 2, -3, -2, -1]] > 0.95).all(), eight
    assert 3 <= eight.argmin() <= 6, eight
    misread = np.flatnonzero(probabilities.argmax(1) != 8)
    assert all(3 <= i <= 6 for i in misread), misread  # "which it may even read as another"


def test_lesson_4_the_pixel_path_leaves_the_learnt_manifold(paths, mnist):
    """ "The middle frames of the pixel-space path are reproduced markedly worse than real
    eights and than the path's own ends ... The frames of the code-space path are reproduced
    better even than real eights". Published (mean squared error per pixel): middle 0.0126,
    ends 0.0071, real eights 0.0062; code-space frames 0.0018 in the middle, 0.0013 at the
    ends."""
    _, (x_test, y_test) = mnist
    autoencoder, pixel_path, code_path = paths
    error = lesson_function("plot_4_mnist_homotopy", "reconstruction_error")
    real = error(autoencoder, x_test[y_test == 8][:500]).mean()
    pixel, code = error(autoencoder, pixel_path), error(autoencoder, code_path)
    assert pixel[3:7].mean() > 1.5 * max(real, pixel[[0, -1]].mean()), (pixel, real)
    assert max(code[3:7].mean(), code[[0, -1]].mean()) < real, (code, real)


def test_lesson_6_the_table_reads_the_joint_plots(mnist):
    """ "a tilted ellipse, far from 0; but Z1 and Z3 do depend on each other: the larger one,
    the smaller the other"; "distributed around 0, and in a far narrower range ... their
    dependence is much weaker"; "the codes' standard deviations shrink many times over, and
    their means come to 0 (without the penalty they lie more than one standard
    deviation away from it) ... the distance correlation ... many times what independent
    variables give ... With it the dependence weakens, but stays above that of independent
    variables ... The skewness and excess kurtosis are small for both". Published: |mean|/std
    1.70, 2.74 against 0.03, 0.10; std 6.0, 5.0 against 0.03, 0.03; Pearson -0.49; distance
    correlation 0.45 (independent 0.03) against 0.10 (0.04); skewness and kurtosis within
    0.25 of 0 (a Laplace distribution's excess kurtosis, which the L1 penalty stands for: 3).
    And "Its reconstructions are blurrier than those without the penalty": mean squared error
    per pixel on the test digits 0.0164 against 0.0122 (published)."""
    _, (x_test, _) = mnist
    models = [published_run(name).model for name in ("sparse_ae", "sparse_ae_l1")]
    plain, sparse = (
        latent.code_statistics(model.get_layer("encoder").predict(x_test, verbose=0), 1, 3)
        for model in models
    )
    errors = [((model.predict(x_test, verbose=0) - x_test) ** 2).mean() for model in models]
    assert errors[1] > errors[0], errors
    assert min(plain.centredness) > 1 and plain.pearson < -0.3, plain
    assert plain.distance_correlation > 5 * plain.independent_distance_correlation, plain
    assert max(sparse.centredness) < 0.3, sparse
    for before, after in zip(plain.std, sparse.std, strict=True):
        assert before / after > 30, (plain.std, sparse.std)
    assert sparse.distance_correlation > 1.5 * sparse.independent_distance_correlation, sparse
    assert sparse.distance_correlation < plain.distance_correlation / 2, (plain, sparse)
    for s in (plain, sparse):
        assert max(map(abs, s.skewness + s.excess_kurtosis)) < 0.5, s


@pytest.fixture(scope="module")
def learners_on_the_sine(sine):
    """Lesson 7's one-number codes of the sine data, as the lesson computes them."""
    learners = lesson_function("plot_7_manifold_learners", "manifold_learners")(1)
    codes = {name: method.fit_transform(sine.dots)[:, 0] for name, method in learners.items()}
    deep = published_run("deep_ae").model
    codes["autoencoder"] = keras.Model(deep.inputs, deep.layers[3].output).predict(
        sine.dots, verbose=0
    )[:, 0]
    return codes


def test_lesson_7_every_method_but_umap_orders_the_sine(sine, noise, learners_on_the_sine):
    """ "All the methods but UMAP order the points along the curve ... UMAP cuts the curve
    into pieces"; the deep autoencoder's images lie on the curve, PCA's on a line, farther
    than the data. Published: |Spearman| 0.999 for all but UMAP (0.79); distance to the
    curve 0.0081 (autoencoder), 0.1320 (PCA), 0.0477 (the data)."""
    rho = {
        name: abs(spearmanr(code, sine.x).statistic) for name, code in learners_on_the_sine.items()
    }
    assert rho.pop("UMAP") < 0.95, rho
    assert min(rho.values()) > 0.99, rho
    assert latent.distance_to_curve(reconstruct("deep_ae", sine.dots)).mean() < noise / 3
    assert latent.distance_to_curve(pca_line(sine.dots)).mean() > 2 * noise


@pytest.fixture(scope="module")
def digit_maps(mnist):
    """Lesson 7's maps of its 500 test digits, the fitted methods, and the reconstruction
    errors of those that map back, as the lesson computes them."""
    (x_train, _), (x_test, y_test) = mnist
    rng = np.random.default_rng(0)
    train = x_train[rng.choice(len(x_train), 2000, replace=False)].reshape(2000, 784)
    held_out = rng.choice(len(x_test), 500, replace=False)
    test = x_test[held_out].reshape(500, 784)
    methods = lesson_function("plot_7_manifold_learners", "manifold_learners")(2)
    fit_and_embed = lesson_function("plot_7_manifold_learners", "fit_and_embed")
    maps = {name: fit_and_embed(method, train, test)[0] for name, method in methods.items()}
    plane = published_run("plane_ae").model
    encoder, decoder = plane.get_layer("encoder"), plane.get_layer("decoder")
    maps["autoencoder"] = encoder.predict(test.reshape(-1, 28, 28, 1), verbose=0)
    methods["autoencoder"] = SimpleNamespace(
        inverse_transform=lambda codes: decoder.predict(codes, verbose=0).reshape(len(codes), -1)
    )
    made = {
        name: methods[name].inverse_transform(maps[name][:limit])
        for name, limit in (("PCA", 500), ("UMAP", 100), ("autoencoder", 500))
    }
    errors = {name: ((m - test[: len(m)]) ** 2).mean() for name, m in made.items()}
    return SimpleNamespace(
        test=test, labels=y_test[held_out], maps=maps, methods=methods, errors=errors
    )


def test_lesson_7_the_table_ranks_the_maps(digit_maps):
    """ "t-SNE and UMAP keep the neighbourhoods best ... both their scores are the highest.
    The autoencoder comes next in trustworthiness, well above PCA, Isomap and LLE ... Its
    continuity, though, is the lowest in the table ... the 1s and the 7s stretch out in long
    arms"; "Its reconstruction error is the lowest of the three methods that map back";
    UMAP's "way back keeps less of a digit than PCA's". Published (trustworthiness,
    continuity): PCA 0.743, 0.884; Isomap 0.776, 0.900; LLE 0.770, 0.846; t-SNE 0.938, 0.918;
    UMAP 0.925, 0.910; autoencoder 0.902, 0.840. Errors: PCA 0.0570, UMAP 0.0695,
    autoencoder 0.0383."""
    test, maps = digit_maps.test, digit_maps.maps
    trust = {name: trustworthiness(test, codes, n_neighbors=10) for name, codes in maps.items()}
    cont = {name: trustworthiness(codes, test, n_neighbors=10) for name, codes in maps.items()}
    for score in (trust, cont):
        best_two = sorted(score, key=score.get)[-2:]
        assert set(best_two) == {"t-SNE", "UMAP"}, score
    classical = ("PCA", "Isomap", "LLE")
    assert trust["autoencoder"] > max(trust[name] for name in classical) + 0.05, trust
    assert cont["autoencoder"] == min(cont.values()), cont
    errors = digit_maps.errors
    assert errors["autoencoder"] < errors["PCA"] < errors["UMAP"], errors
    codes, labels = maps["autoencoder"], digit_maps.labels
    reach = np.linalg.norm(codes - np.median(codes, axis=0), axis=1)
    arms = [np.median(reach[labels == digit]) for digit in (1, 7)]
    others = [np.median(reach[labels == digit]) for digit in range(10) if digit not in (1, 7)]
    assert min(arms) > max(others), (arms, others)


def test_lesson_7_the_decoder_draws_digits_along_a_line(digit_maps):
    """ "The decoder draws a digit at nearly every step, and on its way the line passes
    through other digits"; UMAP's images "even at the two ends ... look little like the 0 and
    the 1". Published: the reader reads 0 6 9 4 4 4 5 5 1 1; at the ends, mean squared error
    against the two digits 0.03 (autoencoder) and 0.1 (UMAP)."""
    straight_line = lesson_function("plot_7_manifold_learners", "straight_line")
    ends = [np.flatnonzero(digit_maps.labels == digit)[0] for digit in (0, 1)]
    images = {
        name: digit_maps.methods[name].inverse_transform(
            straight_line(*digit_maps.maps[name][ends])
        )
        for name in ("autoencoder", "UMAP")
    }
    reader = published_run("digit_classifier").model
    read = reader.predict(images["autoencoder"].reshape(-1, 28, 28, 1), verbose=0).argmax(1)
    assert read[0] == 0 and read[-1] == 1 and len(set(read)) >= 4, read
    at_ends = {
        name: ((made[[0, -1]] - digit_maps.test[ends]) ** 2).mean() for name, made in images.items()
    }
    assert at_ends["UMAP"] > 2 * at_ends["autoencoder"], at_ends


def test_lesson_7_the_autoencoder_trained_until_its_test_loss_stopped_falling():
    """ "In 100 epochs the loss on the test images stops falling". Published: 0.1763 at epoch
    50, 0.1748 at 70, 0.1746 at 100."""
    val_loss = published_run("plane_ae").history["val_loss"]
    assert len(val_loss) == 100
    late, early = val_loss[69] - val_loss[-1], val_loss[0] - val_loss[69]
    assert late < early / 10, (early, late)
