"""
Overfitting an autoencoder
==========================

For an autoencoder to learn to extract complex regularities, the generalising abilities of
its encoder and decoder must be limited. Otherwise even an autoencoder with a
one-dimensional code can simply draw a one-dimensional curve through every point of the
training set, that is, just memorise every object. But the complex manifold such an
autoencoder builds will have little in common with the manifold that defines the
population.
"""

# %%
# A very small training set
# -------------------------
#
# Let us take the same problem with artificial data, train the same deep autoencoder on a
# very small subset of the points, and look at the manifold it produces. The subset is the
# 25 coloured points, each repeated 4,000 times, so that one epoch still holds 100,000 rows.

import matplotlib.pyplot as plt
from keras.layers import Dense, Input
from keras.models import Model
from keras.optimizers import Adam
from sklearn.decomposition import PCA

from ae_gallery import data, i18n, latent, plotting, training

i18n.set_language("en")  # what the library prints and draws, in English
sine = data.make_sine_data()
dots = sine.dots
x_train_oft = data.overfit_training_set(sine, repeats=4000)
print(f"training set: {x_train_oft.shape[0]} rows, {len(sine.markers)} distinct points")

# %%
# The same deep autoencoder as in :doc:`plot_3_deep_autoencoder`, with fresh weights. The
# article trains it with Adam at a learning rate of 0.0003 on the mean squared error, for
# 200 epochs in batches of 15: 6,667 steps an epoch, 1.33 million in all.


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
dae.compile(Adam(0.0003), "mse")
overfit = training.fit(dae, x_train_oft, x_train_oft, epochs=200, batch_size=15, name="overfit_ae")

pdots_d = dae.predict(dots, batch_size=30, verbose=0)
pca = PCA(1)
pdots_pca = pca.inverse_transform(pca.fit_transform(dots))

# %%
# The picture
# -----------
#
# As before, with a thinner white line: it is the image of all 1,000 points, of which the
# autoencoder saw only the 25 coloured ones.

plotting.plot_manifold(sine, pdots_d, pdots_pca, line_width=6)

# %%
# In the article the white curve passed through every data point and only vaguely
# resembled the red curve that defines the data: a textbook case of overfitting. Here it
# passes close by every coloured point too, and keeps near the red curve, but between the
# points it bends and wiggles where no training point held it. Without the 975 points that
# the autoencoder never saw, the wiggles from one coloured circle to the next stand out.

plotting.plot_manifold(sine, pdots_d, show_data=False, line_width=6)

# %%
# Memorised, in numbers
# ---------------------
#
# An autoencoder that follows the true curve reconstructs each point about as far off as
# the noise moved it from the curve, the 25 marked points like any other. One that has
# memorised its training points reconstructs them far more closely than that: it has
# learnt their noise. The mean distance between a point and its reconstruction, on the 25
# training points and on the 975 others:

on_train, elsewhere = latent.train_vs_elsewhere(dots, pdots_d, sine.markers)
print(
    f"overfit autoencoder: training points {on_train:.4f}, elsewhere {elsewhere:.4f} "
    f"({elsewhere / on_train:.1f} times larger)"
)

# %%
# For comparison, the deep autoencoder of :doc:`plot_3_deep_autoencoder`, trained on all
# 1,000 points (:func:`ae_gallery.training.train` obtains it by its name):

deep = training.train("deep_ae")
deep_dots = deep.model.predict(dots, batch_size=30, verbose=0)
deep_train, deep_elsewhere = latent.train_vs_elsewhere(dots, deep_dots, sine.markers)
print(f"deep autoencoder: training points {deep_train:.4f}, elsewhere {deep_elsewhere:.4f}")
print(
    f"mean distance to the true curve: overfit {latent.distance_to_curve(pdots_d).mean():.4f}, "
    f"deep {latent.distance_to_curve(deep_dots).mean():.4f}, "
    f"the data {latent.distance_to_curve(dots).mean():.4f}"
)

# %%
# Memorised: the overfit autoencoder reproduces its training points several times more
# closely than the other points, and more closely than the noise lies off the curve; the
# deep one reproduces the marked points and the others alike, about as far off as the
# noise. The overfit autoencoder's curve stays nearer to the true one than the noisy data
# do, yet several times farther than the deep autoencoder's: here the overfitting is in the
# wiggles between the points.

# %%
# Train it yourself
# -----------------
#
# On this lesson's page on the site, a trainer trains the same architecture in your browser
# on the same 25 points. The article's budget, 1.33 million steps, is beyond a browser, so
# the trainer starts with ReLU and a larger learning rate, memorises in seconds, and
# measures it as above. With ELU, the lesson's activation, it needs about ten times as many
# epochs: set 20,000.
#
# .. _live-trainer-overfit-ae:
#
# Training curve
# --------------
#
# The training loss falls towards zero: the model reproduces its 25 points ever more
# exactly.

plotting.plot_training_curves({"overfit_ae": overfit.history})

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_glance(sine, pdots_d, training_points=True).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
