"""
Manifold learning
=================

To understand better how autoencoders work, and later to generate something new from their
codes, it is worth working out what codes are and how they can be interpreted. This page
gives the idea, *manifold learning*, and builds the small two-dimensional data set on which
the next pages train autoencoders.
"""

# %%
# Digits live near a manifold
# ---------------------------
#
# Our images of digits are elements of a :math:`28 \times 28 = 784`-dimensional space, as is
# any monochrome image of 28 by 28 pixels. Yet among all images, images of digits occupy only
# a negligible part: the overwhelming majority of images are just noise.
#
# On the other hand, if you take any image of a digit, then all the images in some
# neighbourhood of it can also be considered digits. And if you take two arbitrary images of
# digits, then in the original 784-dimensional space you can most likely find a continuous
# curve all of whose points can also be considered digits (at least images of digits with
# the same label); together with the previous remark, so can all the points of some region
# around that curve.
#
# So in the space of all images there is some subspace of lower dimension (not a flat one: a
# manifold, as the next paragraphs call it), and the images of digits are concentrated in a
# region around it. That is, if our population is all the images
# of digits that could ever be drawn, then the probability density of meeting such a digit is
# much higher inside that region than outside it.
#
# Autoencoders with a code of dimension *k* look for a *k*-dimensional manifold in the space
# of objects that conveys all the variation in the sample most fully. The code itself
# parametrises that manifold: the encoder maps an object to its parameter on the manifold,
# and the decoder maps a parameter to a point in the space of objects.
#
# The larger the dimension of the codes, the more of the variation in the data an autoencoder
# can convey. If the codes are too small, the autoencoder memorises something like an average
# over the variations it cannot convey, in the given metric (this is one reason why *mnist*
# digits get blurrier as the code dimension of an autoencoder shrinks).
#
# A curve plus noise
# ------------------
#
# To get a better feel for what *manifold learning* is, let us create a simple
# two-dimensional data set, a curve plus noise, and train autoencoders on it: 1,000 points
# of :math:`y = \sin x` for :math:`x` evenly spaced over :math:`[-2.2, 2.2]`, with Gaussian
# noise of standard deviation 0.06 added to both coordinates. Twenty-five evenly spaced
# points are singled out (every 40th): the next pages colour them to show where the
# autoencoders send them.

import matplotlib.pyplot as plt

from ae_gallery import data, i18n, plotting

i18n.set_language("en")  # what the library prints and draws, in English
sine = data.make_sine_data(n_points=1000, noise=0.06, n_markers=25, seed=0)
print(f"{len(sine.dots)} points; marked points at indices {sine.markers[:4].tolist()} ...")

# %%
# The data and its manifold
# -------------------------
#
# In the picture below the blue points are the data, and the red curve is the manifold that
# defines them.

plotting.plot_sine_data(sine)

# %%
# How far is the data from its manifold? The noise moves each point off the curve by about
# 0.06 in each coordinate; measured along the shortest way to the curve, the points lie this
# far from it on average: about 0.8 of 0.06, since only the part of the noise across the
# curve counts, and a normal deviation is on average about 0.8 of its standard deviation in
# size. The next pages compare every autoencoder's curve with this number.

from ae_gallery import latent

noise_distance = latent.distance_to_curve(sine.dots).mean()
print(f"mean distance of the data to the true curve: {noise_distance:.4f}")

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_glance(sine).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
