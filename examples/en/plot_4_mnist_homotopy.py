"""
Paths between digits: pixel space and code space
================================================

If you take two objects and look at the objects lying on an arbitrary curve between them,
the intermediate objects will most likely not belong to the population, because the
manifold on which the population lies can be strongly curved and of low dimension. A
convolutional autoencoder trained on MNIST shows the difference: the straight path between
two eights in pixel space leaves the digits, while the straight path between their codes,
once decoded, stays among them.
"""

# %%
# The data
# --------
#
# Let us return to the handwritten digits of the previous part: MNIST, images scaled to
# :math:`[0, 1]`, of shape :math:`28 \times 28 \times 1`.

import matplotlib.pyplot as plt
from keras.layers import Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D, UpSampling2D
from keras.models import Model

from ae_gallery import data, i18n, latent, plotting, training

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
# Two eights from the test set, and the straight path between them in the space of images:
# each frame is a weighted mean of the two images.

eights = x_test[y_test == 8][1:3]
plotting.plot_homotopy(eights[0], eights[1], n=10)

# %%
# A straight line in code space
# -----------------------------
#
# If instead we move along a curve between the codes (and if the manifold of codes is well
# parametrised), the decoder maps that curve from the code space into a curve in the object
# space that does not leave the defining manifold. That is, the intermediate objects on the
# curve will belong to the population.

codes = encoder.predict(eights, verbose=0)
plotting.plot_homotopy(codes[0], codes[1], n=10, decoder=decoder)

# %%
# The intermediate digits are quite decent eights.
#
# So we can say that the autoencoder has learnt, at least locally, the shape of the defining
# manifold.
#
# On this lesson's page on the site, an explorer shows both paths between two test digits
# of your choice, side by side, as you move along them: the blend of the two images and
# the decoder's image of the blend of their codes, computed in your browser by this very
# decoder.
#
# .. _live-digit-paths:
#
# Are they eights? A reader of digits decides
# -------------------------------------------
#
# "Decent eights" is a judgement by eye. To put a number on it, we train a small digit
# classifier on the MNIST training images and let it read every frame of both paths. It is
# not part of the article: two convolution blocks and a dense layer, with dropout (as
# keras-io's MNIST convnet), so that ten epochs pass 99 % test accuracy without overfitting.


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
# Each frame's caption is the probability that the reader gives to "8".

n_frames = 10
pixel_path = latent.homotopy(eights[0], eights[1], n_frames)
code_path = decoder.predict(latent.homotopy(codes[0], codes[1], n_frames), verbose=0)

scores = {}
for label, frames in (("pixel space", pixel_path), ("code space", code_path)):
    probabilities = reader.predict(frames, verbose=0)
    as_eight = probabilities.argmax(axis=1) == 8
    scores[label] = probabilities[:, 8]
    print(
        f"{label}: {as_eight.sum()} of {n_frames} frames read as an 8; probability of 8 "
        f"min {probabilities[:, 8].min():.3f}, mean {probabilities[:, 8].mean():.3f}"
    )

plotting.plot_digits(
    pixel_path,
    code_path,
    captions=[
        [f"{p:.2f}" for p in scores["pixel space"]],
        [f"{p:.2f}" for p in scores["code space"]],
    ],
)

# %%
# Top row: the pixel-space path; bottom row: the code-space path. The reader calls the
# decoded frames of the code-space path eights, nearly all of them without doubt (the line
# above gives the count: at the article's budget it takes one thin middle frame for a three,
# and gives 8 a probability of 0.4 there), which supports the article's judgement by eye.
# But it calls the frames of the pixel-space path eights too, although their middle frames
# are two eights laid over each other, not a digit anyone would draw: a classifier must
# choose one of ten digits, and a blend of two eights is still nearer to an eight than to
# anything else. So the reader cannot tell whether a frame belongs to the population of
# digits.
#
# How far a frame lies from the manifold of digits can be measured another way. A frame on
# that manifold is reproduced well by the autoencoder, which learnt it; a frame off it is
# not. The reconstruction loss of each frame (binary cross-entropy per pixel, the training
# loss), against the loss on real test eights:


def reconstruction_loss(images):
    return latent.image_reconstruction_loss(images, autoencoder.predict(images, verbose=0))


print(f"real test eights: {reconstruction_loss(x_test[y_test == 8][:500]).mean():.4f}")
for label, frames in (("pixel space", pixel_path), ("code space", code_path)):
    errors = reconstruction_loss(frames)
    print(f"{label}: middle frames {errors[3:7].mean():.4f}, ends {errors[[0, -1]].mean():.4f}")

# %%
# The middle frames of the pixel-space path are reproduced markedly worse than real eights,
# those of the code-space path much better, though not as well as real eights: by this
# measure the pixel-space path leaves the manifold of digits in its middle, and the
# code-space path stays much nearer to it.
#
# The animation
# -------------
#
# The code-space path again, slowly, in 40 frames: one eight turns into the other without
# ever stopping being an eight.

frames = decoder.predict(latent.homotopy(codes[0], codes[1], 40), verbose=0)
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

# %%
# At a glance
# -----------
#
# Every other frame of the two paths, pixel space above and code space below, drawn to be
# read small: the picture of this lesson's card.

plotting.plot_digits(pixel_path[::2], code_path[::2])

plt.show()

# sphinx_gallery_thumbnail_number = -1
