"""
Deep autoencoder
================

A deep autoencoder has more layers and, most importantly, a nonlinear activation function
between them (in our case *ELU*, the Exponential Linear Unit). On the noisy sine curve it
finds the curve itself, where the linear autoencoder could only find a straight line.
"""

# %%
# The model
# ---------
#
# Two hidden layers of 64 units on each side of a one-dimensional code, ELU between them:

import matplotlib.pyplot as plt
from keras.layers import Dense, Input
from keras.models import Model
from keras.optimizers import Adam
from sklearn.decomposition import PCA

from ae_gallery import data, i18n, latent, plotting, training

i18n.set_language("en")  # what the library prints and draws, in English
sine = data.make_sine_data()
dots = sine.dots


def deep_ae():
    input_dots = Input((2,))
    x = Dense(64, activation="elu")(input_dots)
    x = Dense(64, activation="elu")(x)
    code = Dense(1, activation="linear")(x)
    x = Dense(64, activation="elu")(code)
    x = Dense(64, activation="elu")(x)
    out = Dense(2, activation="linear")(x)

    ae = Model(input_dots, out)
    return ae


dae = deep_ae()
dae.summary()

# %%
# The article trains it with Adam at a learning rate of 0.003 on the mean squared error, for
# 200 epochs in batches of 30.

dae.compile(Adam(0.003), "mse")
run = training.fit(dae, dots, dots, epochs=200, batch_size=30, name="deep_ae")

pdots_d = dae.predict(dots, batch_size=30, verbose=0)
pca = PCA(1)
pdots_pca = pca.inverse_transform(pca.fit_transform(dots))

# %%
# The picture
# -----------
#
# As before: blue points are the data, red is the true curve, white is the autoencoder's
# image of the data, orange is PCA's; circles go to the stars of their colour.

plotting.plot_manifold(sine, pdots_d, pdots_pca)

# %%
# Such an autoencoder managed to build the defining manifold almost perfectly: the white
# curve almost coincides with the red one. Without the blue points it is easier to see: the
# white curve covers the red one along nearly its whole length (the red shows only at an
# end), where PCA's orange line stays straight.

plotting.plot_manifold(sine, pdots_d, pdots_pca, show_data=False)

# %%
# The code is the curve's parameter
# ---------------------------------
#
# The code is a single number, and the decoder maps each number to a point of the plane:
# the white curve is the decoder's image of the codes. On this lesson's page on the site,
# an explorer runs this very decoder in your browser: move its slider over the code, and
# the decoder's point travels along the curve. Beyond the codes of the data (the dashed
# ends of the curve) the decoder still answers, continuing the curve where no data taught
# it.
#
# .. _live-sine-code:
#
# A trainer there also trains this model in your browser: change its width, its depth, its
# activation or its learning rate, and watch the curve it learns.
#
# .. _live-trainer-deep-ae:

# %%
# How close is "almost"?
# ----------------------
#
# The mean distance from the autoencoder's outputs to the true curve, against the same
# distance for the linear autoencoder of :doc:`the previous page <plot_2_linear_autoencoder>`
# (:func:`ae_gallery.training.train` obtains it by its name) and for the noisy data itself:

linear = training.train("linear_ae")
linear_dots = linear.model.predict(dots, batch_size=30, verbose=0)

deep_distance = latent.distance_to_curve(pdots_d).mean()
linear_distance = latent.distance_to_curve(linear_dots).mean()
distances = {
    "deep autoencoder": deep_distance,
    "linear autoencoder": linear_distance,
    "PCA": latent.distance_to_curve(pdots_pca).mean(),
    "the data (noise)": latent.distance_to_curve(dots).mean(),
}
for label, value in distances.items():
    print(f"{label:>20}: {value:.4f}")
ratio = linear_distance / deep_distance
print(f"the deep autoencoder is {ratio:.1f} times closer to the true curve than the linear one")

# %%
# The deep autoencoder's curve is far closer to the true one than the straight lines, and
# closer than the data: it has averaged the noise away.
#
# Training curve
# --------------

plotting.plot_training_curves({"deep_ae": run.history, "linear_ae": linear.history})

# %%
# In theory a deep autoencoder can find a manifold of arbitrary complexity, for example the
# one near which the digits lie in the 784-dimensional space.

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_glance(sine, pdots_d).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
