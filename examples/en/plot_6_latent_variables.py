r"""
Latent variables
================

The population can be seen as a process that generates data :math:`X` and depends on some
number of hidden, *latent* variables :math:`Z` (random variables). What do the latent
variables of an ordinary autoencoder look like, and can we steer how they are distributed?
"""

# %%
# The generating process
# ----------------------
#
# The dimension of the data :math:`X` can be much higher than the dimension of the latent
# random variables :math:`Z` that define it. Consider the process that generates the next
# digit: what it will look like can depend on many factors:
#
# - the intended digit,
# - the thickness of the stroke,
# - the slant of the digit,
# - neatness,
# - and so on.
#
# Each of these factors has its own prior distribution: for example, the probability that an
# eight is drawn is a Bernoulli distribution with probability 1/10; the stroke thickness too
# has its own distribution and can depend both on neatness and on latent variables of its
# own, such as the thickness of the pen or the temperament of the writer (again with their
# own distributions).
#
# In the course of training, an autoencoder must arrive at latent factors by itself, for
# example ones like those listed above, some complex combinations of them, or entirely
# different ones. However, the joint distribution it learns need not be simple at all: it
# can be some complex curved region. (Values from outside that region can be given to the
# decoder too, but the results will no longer come from the defining manifold, only from its
# random continuous extension.)
#
# That is why we cannot simply generate new :math:`X` from the distribution of these latent
# variables. It is hard to stay within the region, and harder still to interpret the values
# of the latent variables in that curved region somehow.
#
# Notation
# --------
#
# To be definite, let us introduce some notation, with digits as the example:
#
# - :math:`X` is the random variable of a 28x28 picture;
# - :math:`Z` is the random variable of the latent factors that define the digit in the
#   picture;
# - :math:`p(X)` is the probability distribution of images of digits, that is, the
#   probability that a particular image of a digit is drawn at all (if the picture does not
#   look like a digit, this probability is extremely small);
# - :math:`p(Z)` is the probability distribution of the latent factors, for example the
#   distribution of stroke thickness;
# - :math:`p(Z|X)` is the distribution of the latent factors given a picture (different
#   combinations of latent variables and noise can lead to the same picture);
# - :math:`p(X|Z)` is the distribution of pictures given the latent factors: the same
#   factors can lead to different pictures (the same person under the same conditions does
#   not draw exactly the same digits);
# - :math:`p(X,Z)` is the joint distribution of :math:`X` and :math:`Z`, the fullest
#   understanding of the data, needed to generate new objects.
#
# .. math::
#
#    p(X, Z) = p(X|Z)\, p(Z)
#
# The decoder approximates :math:`p(X|Z)` for us, but :math:`p(Z)` we do not understand yet.
#
# A deep dense autoencoder
# ------------------------
#
# Let us see how the latent variables are distributed in an ordinary autoencoder: a deep
# dense one with a code of 16 numbers. Its code layer carries an L1 penalty of strength
# :math:`\lambda` (zero for now), summed over the batch. The article writes it as
# ``activity_regularizer=L1L2(lambda_l1, 0)``; Keras 3 divides such a penalty by the batch
# size, which would make the article's :math:`\lambda` 256 times weaker, so the code layer
# is followed by :class:`~ae_gallery.layers.ActivityL1`, which adds the penalty as the
# Keras of the article (2017) did.

import matplotlib.pyplot as plt
from keras.layers import Dense, Flatten, Input, Reshape
from keras.models import Model
from keras.optimizers import Adam

from ae_gallery import data, i18n, latent, plotting, training
from ae_gallery.layers import ActivityL1

i18n.set_language("en")  # what the library prints and draws, in English
(x_train, y_train), (x_test, y_test) = data.load_mnist()


def create_deep_sparse_ae(lambda_l1):
    # The size of the encoded representation
    encoding_dim = 16

    # Encoder
    input_img = Input(shape=(28, 28, 1))
    flat_img = Flatten()(input_img)
    x = Dense(encoding_dim * 4, activation="relu")(flat_img)
    x = Dense(encoding_dim * 3, activation="relu")(x)
    x = Dense(encoding_dim * 2, activation="relu")(x)
    encoded = Dense(encoding_dim, activation="linear")(x)
    encoded = ActivityL1(lambda_l1)(encoded)

    # Decoder
    input_encoded = Input(shape=(encoding_dim,))
    x = Dense(encoding_dim * 2, activation="relu")(input_encoded)
    x = Dense(encoding_dim * 3, activation="relu")(x)
    x = Dense(encoding_dim * 4, activation="relu")(x)
    flat_decoded = Dense(28 * 28, activation="sigmoid")(x)
    decoded = Reshape((28, 28, 1))(flat_decoded)

    # Models
    encoder = Model(input_img, encoded, name="encoder")
    decoder = Model(input_encoded, decoded, name="decoder")
    autoencoder = Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return encoder, decoder, autoencoder


encoder, decoder, autoencoder = create_deep_sparse_ae(0.0)
encoder.summary()

# %%
# The article trains it with Adam at a learning rate of 0.0003 on binary cross-entropy, 100
# epochs in batches of 64, validating on the test images.

autoencoder.compile(optimizer=Adam(0.0003), loss="binary_crossentropy")
plain = training.fit(
    autoencoder,
    x_train,
    x_train,
    epochs=100,
    batch_size=64,
    shuffle=True,
    validation_data=(x_test, x_test),
    name="sparse_ae",
)

# %%
# This is how the images reconstructed by this autoencoder look (top: test digits; bottom:
# their reconstructions):

n = 10
imgs = x_test[:n]
decoded_imgs = autoencoder.predict(imgs, batch_size=n, verbose=0)
plotting.plot_digits(imgs, decoded_imgs)

# %%
# The joint distribution of the latent variables :math:`P(Z_1, Z_3)`:

codes = encoder.predict(x_test, verbose=0)
plotting.plot_code_joint(codes, 1, 3)

# %%
# In the article the joint distribution :math:`p(Z_1, Z_3)` has a complex shape, and
# :math:`Z_1` and :math:`Z_3` depend on each other. Here its shape is simpler, a tilted
# ellipse, away from 0; but :math:`Z_1` and :math:`Z_3` do depend on each other: the larger
# one, the smaller the other (the table below puts numbers on it).
#
# Is there some way to control the distributions of the latent variables :math:`P(Z)`?
#
# The simplest way is to add an :math:`L_1` or :math:`L_2` regulariser on the values of
# :math:`Z`. This adds prior assumptions on the distributions of the latent variables,
# Laplace or normal respectively (similar to the prior that regularisation puts on the
# values of weights). The regulariser pushes the autoencoder to look for latent variables
# distributed according to the required laws; whether it succeeds is another question.
# However, it does nothing to make them independent, that is,
# :math:`p(Z_i) \neq p(Z_i|Z_j)`.
#
# A sparse autoencoder
# --------------------
#
# Let us look at the joint distribution of the latent parameters in a sparse autoencoder:
# the same model with :math:`\lambda = 10^{-5}`, trained with Adam at 0.0003 for 200 epochs
# in batches of 256.

s_encoder, s_decoder, s_autoencoder = create_deep_sparse_ae(0.00001)
s_autoencoder.compile(optimizer=Adam(0.0003), loss="binary_crossentropy")
sparse = training.fit(
    s_autoencoder,
    x_train,
    x_train,
    epochs=200,
    batch_size=256,
    shuffle=True,
    validation_data=(x_test, x_test),
    name="sparse_ae_l1",
)

decoded_imgs = s_autoencoder.predict(imgs, batch_size=n, verbose=0)
plotting.plot_digits(imgs, decoded_imgs)

# %%
# Its reconstructions are blurrier than those without the penalty: the penalty costs some
# reconstruction. The joint distribution of its :math:`Z_1` and :math:`Z_3`:

s_codes = s_encoder.predict(x_test, verbose=0)
plotting.plot_code_joint(s_codes, 1, 3)

# %%
# The article: :math:`Z_1` and :math:`Z_3` still depend on each other, but now they are at
# least distributed around 0, and even more or less normally. Here too they are distributed
# around 0, and in a far narrower range (mind the axes); their dependence is much weaker
# than without the penalty. More or less normally they were already.
#
# The pictures, in numbers
# ------------------------
#
# Three readings of the joint plots, for both autoencoders. *Dependent*: the distance
# correlation of :math:`Z_1` and :math:`Z_3`, which is 0 exactly when they are independent
# and, unlike Pearson's correlation, also sees dependence that is not a straight line; next
# to it, what the same measure gives for independent variables (the same codes with
# :math:`Z_3` shuffled). *Centred near 0*: the distance of each mean from 0 in units of its
# standard deviation. *More or less normal*: skewness and excess kurtosis, both 0 for a
# normal distribution.

stats = [latent.code_statistics(codes, 1, 3), latent.code_statistics(s_codes, 1, 3)]
rows = [
    ("mean Z1, Z3", lambda s: s.mean),
    ("std Z1, Z3", lambda s: s.std),
    ("|mean| / std", lambda s: s.centredness),
    ("Pearson r", lambda s: (s.pearson,)),
    ("distance correlation", lambda s: (s.distance_correlation,)),
    ("  if independent", lambda s: (s.independent_distance_correlation,)),
    ("skewness Z1, Z3", lambda s: s.skewness),
    ("excess kurtosis Z1, Z3", lambda s: s.excess_kurtosis),
]
print(f"{'':24}{'lambda = 0':>16}{'lambda = 1e-5':>16}")
for label, value in rows:
    cells = ["".join(f"{v:8.2f}" for v in value(s)) for s in stats]
    print(f"{label:24}" + "".join(f"{c:>16}" for c in cells))

# %%
# The table reads the pictures. The largest effect of the penalty is on the spread: the
# codes' standard deviations shrink many times over, and their means come to 0
# (without the penalty they lie more than one standard deviation away from it). Without the
# penalty, the distance correlation of :math:`Z_1` and :math:`Z_3` is many times what
# independent variables give: they depend on each other. With it the dependence weakens,
# but stays above that of independent variables, as the article says: the regulariser does
# not make them independent. The skewness and excess kurtosis are small for both
# autoencoders: near normal, with or without the penalty. That also answers the question
# above, whether the regulariser gets the distribution it assumes: an :math:`L_1` penalty
# stands for a Laplace prior, whose excess kurtosis is 3. The penalty shrank the codes, but
# did not give them a Laplace shape.

# %%
# Sixteen variables in your hands
# -------------------------------
#
# On this lesson's page on the site, an explorer decodes codes of your making with both
# autoencoders, in your browser: one slider for each of the 16 code values, starting from
# the code of a test digit. Moving one variable shows what it does to the digit; the
# sliders' ranges (those of the test digits' codes) show how differently the two
# autoencoders spread their codes.
#
# .. _live-latent-variables:

# %%
# Training curves
# ---------------

plotting.plot_training_curves({"lambda = 0": plain.history, "lambda = 1e-5": sparse.history})

# %%
# How to control the latent space so that images can be meaningfully generated from it is
# the subject of the next part, on variational autoencoders (VAE).

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_code_joint(s_codes, 1, 3).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
