"""
Paths between digits: pixel space and code space
================================================

If you take two objects and look at the objects lying on an arbitrary curve between them,
the intermediate objects will most likely not belong to the population, because the
manifold on which the population lies can be strongly curved and of low dimension. A
convolutional autoencoder trained on MNIST shows the difference: the straight path between
two eights in pixel space leaves the digits, while the straight path between their codes,
once decoded, looks like eights for most of its length.
"""

# %%
# The data
# --------
#
# Let us return to the handwritten digits of the previous part: MNIST, images scaled to
# :math:`[0, 1]`, of shape :math:`28 \times 28 \times 1`.

import matplotlib.pyplot as plt
import numpy as np
from keras.layers import Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D, UpSampling2D
from keras.models import Model

from ae_gallery import data, i18n, plotting, training

i18n.set_language("en")  # what the library prints and draws, in English
(x_train, y_train), (x_test, y_test) = data.load_mnist()
print(f"training images {x_train.shape}, test images {x_test.shape}")

# %%
# The convolutional autoencoder
# -----------------------------
#
# The deep convolutional autoencoder of the article: the encoder maps a digit to a
# :math:`7 \times 7 \times 1` code, that is, 49 numbers, and the decoder maps the code back.


def create_deep_conv_ae():
    input_img = Input(shape=(28, 28, 1))

    x = Conv2D(128, (7, 7), activation="relu", padding="same")(input_img)
    x = MaxPooling2D((2, 2), padding="same")(x)
    x = Conv2D(32, (2, 2), activation="relu", padding="same")(x)
    x = MaxPooling2D((2, 2), padding="same")(x)
    encoded = Conv2D(1, (7, 7), activation="relu", padding="same")(x)

    # Here the representation is (7, 7, 1), that is, 49-dimensional

    input_encoded = Input(shape=(7, 7, 1))
    x = Conv2D(32, (7, 7), activation="relu", padding="same")(input_encoded)
    x = UpSampling2D((2, 2))(x)
    x = Conv2D(128, (2, 2), activation="relu", padding="same")(x)
    x = UpSampling2D((2, 2))(x)
    decoded = Conv2D(1, (7, 7), activation="sigmoid", padding="same")(x)

    # Models
    encoder = Model(input_img, encoded, name="encoder")
    decoder = Model(input_encoded, decoded, name="decoder")
    autoencoder = Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return encoder, decoder, autoencoder


encoder, decoder, autoencoder = create_deep_conv_ae()
encoder.summary()
decoder.summary()

# %%
# The article trains it with Adam (default settings) on binary cross-entropy, 50 epochs in
# batches of 256, validating on the test images.

autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
conv = training.fit(
    autoencoder,
    x_train,
    x_train,
    epochs=50,
    batch_size=256,
    shuffle=True,
    validation_data=(x_test, x_test),
    name="conv_ae",
)

# %%
# How well it reconstructs: ten test digits (top) and what the autoencoder makes of them
# (bottom).

decoded = autoencoder.predict(x_test[:10], batch_size=10, verbose=0)
plotting.plot_digits(x_test[:10], decoded)

# %%
# A straight line in pixel space
# ------------------------------
#
# The straight path from one point to another, in ``n`` steps: each step is a weighted
# mean of the two ends. The same function serves in any space, of images or of codes.


def homotopy(frm, to, n=10):
    z = np.zeros([n] + list(frm.shape))
    for i, t in enumerate(np.linspace(0.0, 1.0, n)):
        z[i] = frm * (1 - t) + to * t
    return z


# %%
# Two eights from the test set, and the straight path between them in the space of images.

eights = x_test[y_test == 8][1:3]
pixel_path = homotopy(eights[0], eights[1])
plotting.plot_digits(
    pixel_path,
    description="Ten images along the straight path between two eights in pixel space: "
    "each is a blend of the two.",
)

# %%
# A straight line in code space
# -----------------------------
#
# If instead we move along a curve between the codes (and if the manifold of codes is well
# parametrised), the decoder maps that curve from the code space into a curve in the object
# space that does not leave the defining manifold. That is, the intermediate objects on the
# curve will belong to the population.

codes = encoder.predict(eights, verbose=0)
code_path = decoder.predict(homotopy(codes[0], codes[1]), batch_size=10, verbose=0)
plotting.plot_digits(
    code_path,
    description="Ten images along the straight path between the codes of the same two "
    "eights, each code decoded to an image.",
)

# %%
# In the article, the intermediate digits are "quite decent eights". Here most of them are
# too; in the middle, where one eight's slant gives way to the other's, the frames are
# smudged and their upper loop is filled in.
#
# So, the article concludes, we can say that the autoencoder has learnt, at least
# locally, the shape of the defining manifold.
#
# On this lesson's page on the site, an explorer shows both paths between two test digits
# of your choice, side by side, as you move along them: the blend of the two images and
# the decoder's image of the blend of their codes, computed in your browser by this very
# decoder.
#
# .. _live-digit-paths:
#
# Are they eights? What a reader of digits can tell
# -------------------------------------------------
#
# "Decent eights" is a judgement by eye. To put a number on it, we train a small digit
# classifier on the MNIST training images and let it read every frame of both paths. It is
# not part of the article: two convolution blocks and a dense layer, with dropout (as
# keras-io's MNIST convnet), so that ten epochs give it a high test accuracy (printed below)
# without overfitting.


def digit_classifier():
    inputs = Input(shape=(28, 28, 1))
    x = Conv2D(32, (3, 3), activation="relu")(inputs)
    x = MaxPooling2D((2, 2))(x)
    x = Conv2D(64, (3, 3), activation="relu")(x)
    x = MaxPooling2D((2, 2))(x)
    x = Flatten()(x)
    x = Dropout(0.5)(x)
    x = Dense(128, activation="relu")(x)
    outputs = Dense(10, activation="softmax")(x)
    return Model(inputs, outputs, name="digit_classifier")


reader = digit_classifier()
reader.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
reader_run = training.fit(
    reader,
    x_train,
    y_train,
    epochs=10,
    batch_size=128,
    validation_data=(x_test, y_test),
    name="digit_classifier",
)
accuracy = (reader.predict(x_test, batch_size=500, verbose=0).argmax(axis=1) == y_test).mean()
print(f"the reader's accuracy on the test images: {accuracy:.2%}")

# %%
# The reader reads every frame of both paths: the digit it sees in each frame, and the
# probability it gives to that digit.

captions = {}
for label, frames in (("pixel space", pixel_path), ("code space", code_path)):
    probabilities = reader.predict(frames, verbose=0)
    read_as, sureness = probabilities.argmax(axis=1), probabilities.max(axis=1)
    captions[label] = [f"{digit}: {p:.2f}" for digit, p in zip(read_as, sureness, strict=True)]
    print(f"{label}: {(read_as == 8).sum()} of {len(frames)} frames read as an 8")
    print("  read as:    " + "".join(f"{d:>5}" for d in read_as))
    print("  probability:" + "".join(f"{p:5.2f}" for p in sureness))

plotting.plot_digits(
    pixel_path,
    code_path,
    captions=[captions["pixel space"], captions["code space"]],
    description="The two paths between the eights, the pixel-space path above and the "
    "code-space path below; under each frame, the digit the reader sees in it and the "
    "probability it gives to that digit.",
)

# %%
# Top row: the pixel-space path; bottom row: the code-space path. The reader calls most
# decoded frames of the code-space path eights, those near the two ends without doubt; its
# doubt, where it has any, falls on the smudged middle frames, which it may even read as
# another digit (the rows above say which). Taken alone, that would seem to back the
# article's judgement by eye. But the reader calls every frame of the
# pixel-space path an eight too, and at least as surely, although its middle frames are two
# eights laid over each other, not a digit anyone would draw: a classifier must choose one
# of ten digits, and a blend of two eights is still nearer to an eight than to anything
# else. So the reader cannot tell whether a frame belongs to the population of digits.
#
# How far a frame lies from the manifold of digits can be measured another way, within a
# limit said below. The autoencoder reproduces well what lies near the manifold it learnt,
# and badly what lies off it. The reconstruction error of each frame is the mean squared
# difference, per pixel, between the frame and what the autoencoder makes of it: 0 for a
# frame reproduced exactly, grey or not. (The training's cross-entropy would not do here:
# it stays high on grey pixels however exactly they are reproduced, so that a blurred or
# blended frame would score badly for its greyness alone.) Against the error on real test
# eights:


def reconstruction_error(autoencoder, images):
    reconstructed = autoencoder.predict(images, verbose=0)
    return ((images - reconstructed) ** 2).mean(axis=(1, 2, 3))


real_eights = reconstruction_error(autoencoder, x_test[y_test == 8][:500])
print(f"real test eights: {real_eights.mean():.4f}")
for label, frames in (("pixel space", pixel_path), ("code space", code_path)):
    errors = reconstruction_error(autoencoder, frames)
    print(f"{label}: middle frames {errors[3:7].mean():.4f}, ends {errors[[0, -1]].mean():.4f}")

# %%
# The middle frames of the pixel-space path are reproduced markedly worse than real eights
# and than the path's own ends: in its middle, that path leaves the manifold the
# autoencoder learnt. The frames of the code-space path are reproduced better even than
# real eights; but for them this measure is no fair judge: they are this decoder's own
# outputs, images it can draw, and an autoencoder reproduces what its decoder draws well
# almost by construction. That they are also digits rests on your eye: the reader's
# verdicts cannot tell them from the blends.
#
# The animation
# -------------
#
# The code-space path again, slowly, in 40 frames: one eight turns into the other, through
# the smudged middle frames.

frames = decoder.predict(homotopy(codes[0], codes[1], 40), verbose=0)
animation = plotting.animate_frames(frames, interval=100)

# %%
# Training curves
# ---------------
#
# The autoencoder's loss on the training images and on the test images, per epoch; then the
# reader's.

plotting.plot_training_curves({"conv_ae": conv.history})

# %%

plotting.plot_training_curves({"digit_classifier": reader_run.history})

# sphinx_gallery_start_ignore
# The lesson's card in the list of lessons, drawn to be read small (not on its page).
plotting.plot_digits(
    pixel_path[::2],
    code_path[::2],
    description="Every other frame of the two paths between two eights: pixel space above, "
    "code space below.",
).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
