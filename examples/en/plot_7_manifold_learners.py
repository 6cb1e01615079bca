"""
The autoencoder among the manifold learners
===========================================

The autoencoder is not the only way to find the manifold near which data lie. Manifold
learning has classical methods of its own: PCA, Isomap, locally linear embedding (LLE),
t-SNE and, more recently, UMAP. Here they meet the autoencoders on the article's two data
sets, the noisy sine curve and the digits of MNIST, and are measured side by side: how well
each keeps a point's neighbours near it, whether it can map a code back to an object, and
how long it takes. One difference runs through the lesson: an autoencoder
learns two maps, from an object to its code and from a code to an object, and its decoder
draws an object anywhere in its code space.
"""

# %%
# The methods
# -----------
#
# Each method is used as its library offers it, with its defaults, except where said:
# Isomap and LLE look at 12 neighbours of each point, as scikit-learn's own comparison of
# these methods does, and every method that draws random numbers is seeded, so that the
# page shows the same maps at every build (a seeded UMAP runs on one core).
# scikit-learn's t-SNE places only the points it is fitted on: it has no ``transform`` for
# a new one (other implementations, such as openTSNE, add one).

import time

import matplotlib.pyplot as plt
import numpy as np
from keras.layers import Dense, Flatten, Input, Reshape
from keras.models import Model
from scipy.stats import spearmanr
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, Isomap, LocallyLinearEmbedding, trustworthiness
from umap import UMAP

from ae_gallery import data, device, i18n, latent, plotting, training

i18n.set_language("en")  # what the library prints and draws, in English


def manifold_learners(dimensions):
    return {
        "PCA": PCA(dimensions),
        "Isomap": Isomap(n_neighbors=12, n_components=dimensions),
        "LLE": LocallyLinearEmbedding(n_neighbors=12, n_components=dimensions, random_state=0),
        "t-SNE": TSNE(dimensions, random_state=0),
        "UMAP": UMAP(n_components=dimensions, random_state=0, n_jobs=1),
    }


# %%
# The sine curve: 2 → 1
# ---------------------
#
# The noisy sine of the first lessons: each method gives each point a single number, its
# code. The article's point is that the code of a good autoencoder is the curve's
# parameter: as the code grows, the point moves along the curve. If so, sorting the points
# by their code sorts them by their :math:`x` on the curve. Spearman's rank correlation
# between the code and :math:`x` says how well it does: 1 in absolute value for codes in
# exactly the order of the curve (or in exactly the reverse order), near 0 for codes in no
# order at all.
#
# The autoencoder is the deep one of :doc:`lesson 3 <plot_3_deep_autoencoder>`, loaded by
# its name (its published weights); its code is the output of its one-unit layer,
# ``deep.layers[3]`` (the fourth, counting the input). It is not fitted here, so the table
# gives it no time.

sine = data.make_sine_data()
deep = training.train("deep_ae").model
deep_encoder = Model(deep.inputs, deep.layers[3].output)

sine_codes, fit_seconds = {}, {}
for name, method in manifold_learners(1).items():
    start = time.perf_counter()
    sine_codes[name] = method.fit_transform(sine.dots)[:, 0]
    fit_seconds[name] = time.perf_counter() - start
sine_codes |= {"autoencoder": deep_encoder.predict(sine.dots, verbose=0)[:, 0]}

print(f"{'method':<12} |Spearman| between the code and x   fit, s")
for name, code in sine_codes.items():
    rho = abs(spearmanr(code, sine.x).statistic)
    seconds = f"{fit_seconds[name]:8.1f}" if name in fit_seconds else f"{'—':>8}"
    print(f"{name:<12} {rho:33.4f} {seconds}")

# %%
# Each point's code against its :math:`x`, one panel per method; the coloured points are
# those the earlier lessons colour.

plotting.plot_codes_along_curve(sine, sine_codes)

# %%
# All the methods but UMAP order the points along the curve: their codes rise (or fall)
# with :math:`x`. UMAP cuts the curve into pieces and lays the pieces side by side on its
# line, each in its own order, so its codes keep the order within a piece but not across
# the curve. On this curve even PCA's straight line orders the points: the sine never turns
# back along :math:`x`, so projecting the points onto its main direction keeps their order.
#
# Ordering the points is half of the article's point. The other half is the way back: PCA
# too can turn a code into a point, but its points lie on a straight line
# (:doc:`lesson 2 <plot_2_linear_autoencoder>`), while the autoencoder's decoder turns each
# code into a point of the curve. How far, on average, what each of the two makes of the
# data lies from the true curve, and the data themselves:

pca = PCA(1)
back = {
    "PCA": pca.inverse_transform(pca.fit_transform(sine.dots)),
    "autoencoder": deep.predict(sine.dots, verbose=0),
}
for name, points in back.items():
    print(f"{name:<12} {latent.distance_to_curve(points).mean():.4f}")
print(f"{'the data':<12} {latent.distance_to_curve(sine.dots).mean():.4f}")

# %%
# The decoder's points lie nearer to the true curve than the noisy data do; PCA's line lies
# farther from it than the data.
#
# Isomap, LLE, t-SNE and UMAP have no way back from a one-dimensional code: scikit-learn's
# Isomap, LLE and t-SNE cannot turn a code into a point at all, and UMAP's
# ``inverse_transform`` needs at least two dimensions.
#
# MNIST: 784 → 2
# --------------
#
# Now the digits, each a point of the 784-dimensional space of images, mapped onto a plane:
# two numbers per digit, which a page can draw.
#
# The autoencoder is new: a dense one, like the deep autoencoder of
# :doc:`lesson 6 <plot_6_latent_variables>` but with a code of two numbers, and a decoder
# of its own, so that any point of the plane can be decoded.

(x_train, y_train), (x_test, y_test) = data.load_mnist()


def create_plane_ae():
    # Encoder
    input_img = Input(shape=(28, 28, 1))
    x = Flatten()(input_img)
    x = Dense(128, activation="relu")(x)
    x = Dense(32, activation="relu")(x)
    encoded = Dense(2, activation="linear")(x)

    # Decoder
    input_encoded = Input(shape=(2,))
    x = Dense(32, activation="relu")(input_encoded)
    x = Dense(128, activation="relu")(x)
    x = Dense(28 * 28, activation="sigmoid")(x)
    decoded = Reshape((28, 28, 1))(x)

    # Models
    encoder = Model(input_img, encoded, name="encoder")
    decoder = Model(input_encoded, decoded, name="decoder")
    autoencoder = Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return encoder, decoder, autoencoder


encoder, decoder, autoencoder = create_plane_ae()
encoder.summary()

# %%
# It trains as the article's MNIST autoencoders do: Adam on binary cross-entropy, in
# batches of 256, validating on the test images. In 100 epochs the loss on the test images
# stops falling: its training curve is at the end of the page.

autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
plane = training.fit(
    autoencoder,
    x_train,
    x_train,
    epochs=100,
    batch_size=256,
    shuffle=True,
    validation_data=(x_test, x_test),
    name="plane_ae",
)

# %%
# The classical methods fit a random 2,000 of the training digits: most of them take time
# and memory that grow faster than the number of points (Isomap and LLE compare every point
# with every other; PCA does not, but fits the same 2,000 so that all see the same digits),
# and 2,000 keeps the slowest of them within a page's build on two CPU cores (the table
# below gives each one's time). Every method is then scored on the same 500 test
# digits, which none of them was fitted on, except t-SNE: it is fitted on the 2,000 and
# the 500 together.

rng = np.random.default_rng(0)
train = x_train[rng.choice(len(x_train), 2000, replace=False)].reshape(2000, 784)
held_out = rng.choice(len(x_test), 500, replace=False)
test = x_test[held_out].reshape(500, 784)
test_labels = y_test[held_out]


def fit_and_embed(method, train, test):
    """The method fitted on ``train``, the codes of ``test``, and the seconds each took."""
    start = time.perf_counter()
    if isinstance(method, TSNE):  # it embeds only what it is fitted on: both sets at once
        codes = method.fit_transform(np.concatenate([train, test]))[len(train) :]
        return codes, time.perf_counter() - start, None
    method.fit(train)
    fitted = time.perf_counter()
    return method.transform(test), fitted - start, time.perf_counter() - fitted


methods = manifold_learners(2)
maps, seconds = {}, {}
for name, method in methods.items():
    maps[name], *seconds[name] = fit_and_embed(method, train, test)
start = time.perf_counter()
plane_codes = encoder.predict(test.reshape(500, 28, 28, 1), verbose=0)
maps |= {"autoencoder": plane_codes}
seconds |= {"autoencoder": [plane.seconds, time.perf_counter() - start]}

# %%
# Neighbours kept, neighbours made
# --------------------------------
#
# A map of the digits is good if digits that are neighbours in the space of images stay
# neighbours on the plane, and digits that are neighbours on the plane were neighbours
# there. Two scores count this, each between 0 and 1:
#
# - *trustworthiness* (scikit-learn's :func:`~sklearn.manifold.trustworthiness`) punishes
#   the neighbours on the plane that were far apart among the images: neighbours the map
#   made up;
# - *continuity*, the same measure with the two spaces swapped, punishes the neighbours
#   among the images that the map tore apart.
#
# Both look at each digit's 10 nearest neighbours among the 500. Where a method can map a
# code back to an image (PCA, the autoencoder and UMAP), the reconstruction error is the
# mean squared difference per pixel between a test digit and the image made of its code;
# UMAP's way back is slow, so its error is measured on 100 of the digits (the other two on
# all 500).

neighbours = 10
images_of_codes = {
    "PCA": methods["PCA"].inverse_transform(maps["PCA"]),
    "UMAP": methods["UMAP"].inverse_transform(maps["UMAP"][:100]),
    "autoencoder": decoder.predict(plane_codes, verbose=0).reshape(500, 784),
}
scores = {}
for name, codes in maps.items():
    scores[name] = {
        "trustworthiness": trustworthiness(test, codes, n_neighbors=neighbours),
        "continuity": trustworthiness(codes, test, n_neighbors=neighbours),
    }
    if name in images_of_codes:
        made = images_of_codes[name]
        scores[name]["error"] = ((made - test[: len(made)]) ** 2).mean()

trained_on = {name: 2000 for name in methods} | {"t-SNE": 2500, "autoencoder": len(x_train)}
print(
    f"{'method':<13}{'trained on':>11}{'trustworth.':>13}{'continuity':>12}"
    f"{'error':>9}{'fit, s':>10}{'embed, s':>10}"
)
for name, score in scores.items():
    fit, embed = seconds[name]
    print(
        f"{name + ('*' if name == 't-SNE' else ''):<13}{i18n.number(trained_on[name]):>11}"
        f"{score['trustworthiness']:>13.3f}{score['continuity']:>12.3f}"
        + (f"{score['error']:>9.4f}" if "error" in score else f"{'—':>9}")
        + f"{fit:>9.1f}{' ' if name in methods else '†'}"
        + (f"{embed:>10.2f}" if embed is not None else f"{'—':>10}")
    )
print("* fitted on the 2,000 training digits and the 500 test digits together")
print(
    f"† the autoencoder's training, on {device.describe_device(plane.device)}"
    + (" (its weights were loaded, not trained here)" if plane.published else "")
)

# %%
# The maps, one per method, the test digits coloured by the digit they show, each titled
# with its two scores (T for trustworthiness, C for continuity):

plotting.plot_digit_maps(
    maps,
    test_labels,
    titles={
        name: f"{name}\n"
        + "T {t}, C {c}".format(
            t=i18n.number(score["trustworthiness"], ".2f"),
            c=i18n.number(score["continuity"], ".2f"),
        )
        for name, score in scores.items()
    },
)

# %%
# The table and the maps agree. t-SNE and UMAP keep the neighbourhoods best: most digits
# gather in clusters of their own kind, and both their scores are the highest (t-SNE's map,
# though, was fitted on these very 500 digits; UMAP's never saw them). The
# autoencoder comes next in trustworthiness, well above PCA, Isomap and LLE, whose maps lay
# the digits over one another: the digits it puts side by side mostly were neighbours among
# the images. Its continuity, though, is the lowest in the table: by this measure it tears
# apart neighbours among the images more than any other method, and its map suggests how:
# the 1s and the 7s stretch out in long arms, and the other digits crowd together where
# the arms meet. The comparison is the one each method's cost allows, not an equal one:
# the autoencoder learnt from all 60,000 training digits, the others from 2,000 (Isomap
# alone would keep a table of 60,000 × 60,000 distances, some 29 GB).
#
# Its reconstruction error is the lowest of the three methods that map back: from two
# numbers, its decoder draws more of a digit than PCA's best plane keeps, or than UMAP's
# way back, which blends the 784 training digits whose codes lie nearest (umap-learn takes
# as many as an image has pixels). As for time, the autoencoder trains once, for minutes,
# on all the training digits, and its weights are published; embedding a new digit is then
# one pass through its encoder. UMAP embeds new digits with the neighbours it found in its
# training set; scikit-learn's t-SNE cannot embed them at all. UMAP's times include the
# compiling of its code (numba) at its first calls in a process, which later calls do not
# pay.
#
# Along a straight line of the plane
# ----------------------------------
#
# The way back shows best along a line: the straight line, in each method's plane, from
# the code of a test 0 to the code of a test 1, at ten evenly spaced points, the ends
# included, each code turned into an image by the autoencoder's decoder (top), PCA's
# ``inverse_transform`` (middle) and UMAP's (bottom).


def straight_line(start, end, points=10):
    return np.array([start + t * (end - start) for t in np.linspace(0.0, 1.0, points)])


ends = [np.flatnonzero(test_labels == digit)[0] for digit in (0, 1)]
plotting.plot_digits(
    decoder.predict(straight_line(*plane_codes[ends]), verbose=0),
    methods["PCA"].inverse_transform(straight_line(*maps["PCA"][ends])).reshape(-1, 28, 28),
    methods["UMAP"].inverse_transform(straight_line(*maps["UMAP"][ends])).reshape(-1, 28, 28),
    description="Ten images along a straight line from the code of a 0 to the code of a 1, "
    "made by the autoencoder's decoder (top row), PCA (middle row) and UMAP (bottom row).",
)

# %%
# The decoder draws a digit at nearly every step, and on its way the line passes through
# other digits, those whose codes it crosses. PCA's images are blends: they lie on the
# straight line between the PCA images of the two digits, the pixel-space path of
# :doc:`lesson 4 <plot_4_mnist_homotopy>` projected onto a plane that keeps little of a
# digit. UMAP's are grainy blends of training digits, and even at the two ends they look
# little like the 0 and the 1: fitted on 2,000 digits, its way back keeps less of a digit
# than PCA's, as its reconstruction error in the table says.
#
# The plane of codes
# ------------------
#
# On this lesson's page on the site, an explorer shows the autoencoder's plane of codes,
# the test digits in it coloured by what they show; move your pointer over it (or its
# sliders, with the arrow keys), and the decoder, running in your browser, draws the digit
# of the code under it, between the clusters and beyond them.
#
# .. _live-code-plane:
#
# Training curve
# --------------

plotting.plot_training_curves({"plane_ae": plane.history})

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_digit_maps(
    {name: maps[name] for name in ("UMAP", "autoencoder")}, test_labels, columns=2
).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
