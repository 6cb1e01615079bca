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
from sklearn.decomposition import PCA

from ae_gallery import data, latent, models, plotting, recipes, training

sine = data.make_sine_data()
models.deep_ae().summary()

# %%
# The article trains it with Adam at a learning rate of 0.003 on the mean squared error, for
# 200 epochs in batches of 30.

deep = training.train(recipes.DEEP_AE)

ae_dots = deep.model.predict(sine.dots, batch_size=30, verbose=0)
pca = PCA(1)
pca_dots = pca.inverse_transform(pca.fit_transform(sine.dots))

# %%
# The picture
# -----------
#
# As before: blue points are the data, red is the true curve, white is the autoencoder's
# image of the data, orange is PCA's; circles go to the stars of their colour.

plotting.plot_manifold(sine, ae_dots, pca_dots)

# %%
# Such an autoencoder managed to build the defining manifold almost perfectly: the white
# curve almost coincides with the red one. Without the blue points it is easier to see: the
# white curve hugs the red one along its whole length, where PCA's orange line stays
# straight.

plotting.plot_manifold(sine, ae_dots, pca_dots, show_data=False)

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

# %%
# How close is "almost"?
# ----------------------
#
# The mean distance from the autoencoder's outputs to the true curve, against the same
# distance for the linear autoencoder of the previous page (trained again here, or loaded
# from the cache) and for the noisy data itself:

linear = training.train(recipes.LINEAR_AE)
linear_dots = linear.model.predict(sine.dots, batch_size=30, verbose=0)

distances = {
    "deep autoencoder": latent.distance_to_curve(ae_dots).mean(),
    "linear autoencoder": latent.distance_to_curve(linear_dots).mean(),
    "PCA": latent.distance_to_curve(pca_dots).mean(),
    "the data (noise)": latent.distance_to_curve(sine.dots).mean(),
}
for label, value in distances.items():
    print(f"{label:>20}: {value:.4f}")
ratio = distances["linear autoencoder"] / distances["deep autoencoder"]
print(f"the deep autoencoder's curve is {ratio:.1f} times closer to the true one")

# %%
# The deep autoencoder's curve is far closer to the true one than the straight lines, and
# closer than the data: it has averaged the noise away.
#
# Training curve
# --------------

plotting.plot_training_curves({"deep_ae": deep.history, "linear_ae": linear.history})

# %%
# In theory a deep autoencoder can find a manifold of arbitrary complexity, for example the
# one near which the digits lie in the 784-dimensional space.

plt.show()

# sphinx_gallery_thumbnail_number = 2
