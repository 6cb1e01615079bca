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
from keras.optimizers import Adam
from sklearn.decomposition import PCA

from ae_gallery import data, i18n, latent, plotting, training

i18n.set_language("en")  # what the library prints and draws, in English
sine = data.make_sine_data()
dots = sine.dots
x_train_oft = data.overfit_training_set(sine, repeats=4000)
print(f"training set: {x_train_oft.shape[0]} rows, {len(sine.markers)} distinct points")

# %%
# The same deep autoencoder: the model that :doc:`plot_3_deep_autoencoder` builds, fresh
# from its published design (:func:`ae_gallery.training.untrained`). The article trains it
# with Adam at a learning rate of 0.0003 on the mean squared error, for 200 epochs in
# batches of 15: 6,667 steps an epoch, 1.33 million in all.

dae = training.untrained("deep_ae")
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
# The white curve has passed through every data point and only vaguely resembles the red
# curve that defines the data: a textbook case of overfitting. Without the 975 points that
# the autoencoder never saw, its curve wiggles from one coloured circle to the next.

plotting.plot_manifold(sine, pdots_d, show_data=False, line_width=6)

# %%
# Memorised, in numbers
# ---------------------
#
# An autoencoder that has learnt the manifold reconstructs the points it was trained on
# about as well as any other point of the data. One that has memorised its training points
# reconstructs them far better than anything else. The mean distance between a point and
# its reconstruction, on the 25 training points and on the 975 others:

on_train, elsewhere = latent.train_vs_elsewhere(dots, pdots_d, sine.markers)
print(
    f"overfit autoencoder: training points {on_train:.4f}, elsewhere {elsewhere:.4f} "
    f"({elsewhere / on_train:.1f} times larger)"
)

# %%
# The deep autoencoder of :doc:`plot_3_deep_autoencoder`, trained on all 1,000 points (by
# its name: its published weights, or the cache's), for comparison:

deep = training.train("deep_ae")
deep_dots = deep.model.predict(dots, batch_size=30, verbose=0)
deep_train, deep_elsewhere = latent.train_vs_elsewhere(dots, deep_dots, sine.markers)
print(f"deep autoencoder: training points {deep_train:.4f}, elsewhere {deep_elsewhere:.4f}")
print(
    f"mean distance to the true curve: overfit {latent.distance_to_curve(pdots_d).mean():.4f}, "
    f"deep {latent.distance_to_curve(deep_dots).mean():.4f}"
)

# %%
# Train it yourself
# -----------------
#
# On this lesson's page on the site, a trainer trains this model in your browser on the
# same 25 points. The article's budget, 1.33 million steps, is beyond a browser; the
# trainer's shorter one shows the same effect, measured as above.
#
# .. _live-trainer-overfit-ae:
#
# Training curve
# --------------
#
# The training loss falls towards zero: the model reproduces its 25 points ever more
# exactly.

plotting.plot_training_curves({"overfit_ae": overfit.history})

# %%
# At a glance
# -----------
#
# The curve threading the 25 points it was trained on, drawn to be read small: the
# picture of this lesson's card.

plotting.plot_glance(sine, pdots_d, training_points=True)

plt.show()

# sphinx_gallery_thumbnail_number = -1
