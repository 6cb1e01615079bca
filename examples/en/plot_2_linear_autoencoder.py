"""
Linear autoencoder and PCA
==========================

The simplest autoencoder is a two-layer compressing autoencoder with linear activation
functions (more layers make no sense with linear activations). Such an autoencoder looks
for an affine (linear with a shift) subspace of the object space that describes the largest
variation in the objects. *PCA* (principal component analysis) does the same, and both find
the same subspace. This page trains one on the noisy sine curve, draws both, and measures how
close the two lines are.
"""

# %%
# The data
# --------
#
# The noisy sine curve from the previous page: 1,000 points around :math:`y = \sin x`.

import matplotlib.pyplot as plt
import numpy as np
from keras.layers import Dense, Input
from keras.models import Model
from keras.optimizers import Adam
from sklearn.decomposition import PCA

from ae_gallery import data, i18n, latent, plotting, training

i18n.set_language("en")  # what the library prints and draws, in English
sine = data.make_sine_data()
dots = sine.dots

# %%
# The linear autoencoder
# ----------------------
#
# Two dimensions in, a code of one dimension, two dimensions out, all linear:


def linear_ae():
    input_dots = Input((2,))
    code = Dense(1, activation="linear")(input_dots)
    out = Dense(2, activation="linear")(code)

    ae = Model(input_dots, out)
    return ae


ae = linear_ae()
ae.summary()

# %%
# The article trains it with Adam at a learning rate of 0.01 on the mean squared error, for
# 15 epochs in batches of 30.
#
# Where the article calls ``ae.fit``, the lessons call :func:`ae_gallery.training.fit`, with
# the same arguments and a name for the model. It trains as Keras' ``fit`` does; when the
# model, its optimizer, loss, data and budget are the article's, it loads the weights that
# were trained once at the article's budget and published with the site, in seconds, and
# its line says so. Change a layer or the learning rate in these cells and run them again:
# your model trains (:doc:`/run_yourself` tells the rest).

ae.compile(Adam(0.01), "mse")
run = training.fit(ae, dots, dots, epochs=15, batch_size=30, name="linear_ae")

# %%
# The autoencoder's image of the data, and PCA's with one component:

pdots = ae.predict(dots, batch_size=30, verbose=0)

pca = PCA(1)
pdots_pca = pca.inverse_transform(pca.fit_transform(dots))

# %%
# The picture
# -----------
#
# In the picture below:
#
# * the white line is the manifold into which the blue data points go after the autoencoder,
#   that is, the autoencoder's attempt to build the manifold that defines most of the
#   variation in the data;
# * the orange line is the manifold into which the blue data points go after PCA;
# * the coloured circles are points that go into the stars of the same colour after the
#   autoencoder;
# * the coloured stars are, accordingly, the images of the circles under the autoencoder.

plotting.plot_manifold(sine, pdots, pdots_pca)

# %%
# The same picture without the blue points: wherever the white line runs, the orange one
# lies inside it; only at both ends does the orange line run a little farther.

plotting.plot_manifold(sine, pdots, pdots_pca, show_data=False)

# %%
# The same subspace, in numbers
# -----------------------------
#
# The picture shows the two lines along one direction, the autoencoder's covering a
# slightly shorter stretch of it. Three numbers say how close they are: the angle between
# the two lines, how far PCA's points lie from the autoencoder's line on average (for scale:
# the data's noise is 0.06), and the length of the stretch onto which each maps the data.

angle = latent.line_angle_degrees(pdots, pdots_pca)
offset = latent.distance_to_line(pdots_pca, pdots).mean()
print(f"angle between the autoencoder's line and PCA's: {angle:.2f} degrees")
print(f"mean distance of PCA's points to the autoencoder's line: {offset:.4f}")
print(
    f"length of the stretch: autoencoder {np.linalg.norm(np.ptp(pdots, axis=0)):.2f}, "
    f"PCA {np.linalg.norm(np.ptp(pdots_pca, axis=0)):.2f}"
)

# %%
# Neither line follows the true curve: a straight line cannot follow a sine. Both lie
# farther from the curve than the noisy data themselves; their distances differ a little,
# since their stretches do:

print(
    f"mean distance to the true curve: autoencoder "
    f"{latent.distance_to_curve(pdots).mean():.4f}, PCA "
    f"{latent.distance_to_curve(pdots_pca).mean():.4f}, the data "
    f"{latent.distance_to_curve(dots).mean():.4f}"
)

# %%
# Train it yourself
# -----------------
#
# On this lesson's page on the site, a trainer trains this model in your browser, with the
# mathematics of Keras: watch the line turn into its place, and compare its angle to PCA's
# line with the one above.
#
# .. _live-trainer-linear-ae:
#
# Training curve
# --------------
#
# The loss per epoch, as the run that trained these weights recorded it.

plotting.plot_training_curves({"linear_ae": run.history})

# %%
# An autoencoder that looks for linear dependencies may not be as useful as one that can
# find arbitrary dependencies in the data. It would help if both the encoder and the decoder
# could approximate arbitrary functions. If we add at least one more layer of sufficient
# size to both the encoder and the decoder, with a nonlinear activation function between
# them, they will be able to find arbitrary dependencies.

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_glance(sine, pdots).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
