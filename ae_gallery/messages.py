"""The sentences ``ae_gallery`` prints on a page, each written once.

The library fills them with :meth:`str.format`; the site's translation extension
(``docs/_ext/gallery_i18n``) reads :data:`TEMPLATES` to recognise a printed line and rewrite
it in another language with the same values. Change a sentence here, and the library and
the extension both follow; ``nox -s gettext`` then asks for its translation.

>>> EPOCHS.format(epochs=200, batch=30)
'200 epochs of batch 30'
"""

from __future__ import annotations

#: A number as the library prints it (``1,000``, ``0.003``, ``1e-05``).
NUMBER = r"[0-9][0-9.,e+-]*"
#: A training profile's name (:data:`ae_gallery.budgets.PROFILES`).
PROFILE_NAME = "full|quick|smoke"

# The data a model trains on.
DATA_SINE = "the noisy sine curve's 1,000 points"
DATA_SINE_OVERFIT = "25 points of the noisy sine curve, each repeated 4,000 times"
DATA_MNIST_IMAGES = "the 60,000 MNIST training digits, validated on the 10,000 test digits"
DATA_MNIST_LABELS = (
    "the 60,000 MNIST training digits and their labels, validated on the test digits"
)

# Budgets in words.
EPOCHS = "{epochs} epochs of batch {batch}"
EPOCH = "{epochs} epoch of batch {batch}"
EPOCHS_STEPS = "{epochs} epochs of batch {batch}, {steps} batches each"
EPOCH_STEPS = "{epochs} epoch of batch {batch}, {steps} batches each"
#: The sentences that are one message with a plural (a translation takes the form that
#: its first number asks for: 1 эпоха, 2 эпохи, 5 эпох).
PLURALS = ((EPOCH, EPOCHS), (EPOCH_STEPS, EPOCHS_STEPS))

# What ``training.fit`` says: why it trains (when it does), then how the model was obtained.
NOT_PUBLISHED = (
    "{name}: no published weights match this model ({reason}), so this CPU trains it under "
    "the quick profile."
)
NOTHING_PUBLISHED = "nothing is published under this name"
PUBLISHED_DIFFERS = "it differs from the published model in its {parts}"
SHORTER = " (the fit asks for {asked}: AE_GALLERY_PROFILE=full trains that)"
TRAINED = (
    "{name}: trained {budget} in {time} on {device}; profile {profile}{shorter}; final {losses}."
)
LOADED = (
    "{name}: loaded from cache ({budget}, trained in {time} on {device}); profile "
    "{profile}{shorter}; final {losses}."
)
PUBLISHED = (
    "{name}: {budget}, published weights trained on {device} in {time}; final {losses}. "
    "Train them yourself with {how}."
)
PUBLISHED_DEVICE = "{device} with Keras {keras} on {backend}"
#: After a training's first epoch, on the console (a notebook's cell, a terminal).
ESTIMATE = (
    "{name}: epoch 1 of {epochs} took {time} (compiling included); the whole training: "
    "about {total}"
)
ESTIMATE_FULL = "; all {asked} the fit asks for: about {full} (AE_GALLERY_PROFILE=full)"
SECONDS = "{seconds} s"
MINUTES = "{minutes} min {seconds} s"
HOURS = "{hours} h {minutes} min"
CPU = "CPU ({name}, {cores} cores)"
MIXED_PRECISION = "{device}, in mixed bfloat16"

UNCHECKED_RELEASES = (
    "The library's own training loops were not checked with {releases}: Keras' own fit "
    "trains instead (the same results, maybe slower)."
)

# The stamp at the end of every lesson's page: what its output was made with.
BUILD_STAMP = (
    "This page's output was made on {date} with Keras {keras} on {backend} and Python "
    "{python}, on {device}; training profile: {profile}."
)
PROFILE_PER_MODEL = "each model's default (published weights, else quick on a CPU)"

# What each figure shows: its alt text on the site, for readers who cannot see it.
ALT_SINE_DATA = "Noisy blue points along a sine curve; the true curve is drawn in red."
ALT_MANIFOLD = (
    "The noisy blue points and the true sine curve in red, with the curve the autoencoder "
    "maps them to in white; {markers} points are circled in colours, and stars of the same "
    "colours mark where the autoencoder puts them."
)
ALT_MANIFOLD_NO_DATA = (
    "Without the data points: the true sine curve in red and the curve the autoencoder maps "
    "the data to in white; {markers} points are circled in colours, and stars of the same "
    "colours mark where the autoencoder puts them."
)
ALT_MANIFOLD_PCA = "{manifold} The orange line is where PCA with one component puts them."
ALT_DIGITS = "Images of digits, a grid of {rows} by {columns}."
ALT_DIGITS_CAPTIONED = "{digits} Under each image, a number."
ALT_PIXEL_PATH = (
    "{frames} images along the straight path between two digits in pixel space: each is a "
    "blend of the two."
)
ALT_CODE_PATH = (
    "{frames} images along the straight path between the codes of two digits, each code "
    "decoded to an image."
)
ALT_CODE_JOINT = (
    "Scatter plot of the code variables Z{i} and Z{j}, with the histogram of each on the "
    "top and right edges."
)
ALT_CURVES = "The loss per epoch ({scale} scale) of {labels}."
ALT_CURVES_VALIDATION = "{curves} Solid lines: training data; dashed: test data."
ALT_ANIMATION = "An animation of {frames} images, one after the other."
ALT_GLANCE_DATA = "Grey points along the sine curve, drawn in red."
ALT_GLANCE = (
    "The sine curve in red, the points the autoencoder learnt from, and in thick dark blue "
    "the curve it maps the data to."
)
LOG = "logarithmic"
LINEAR = "linear"

# Why published weights were not loaded (a warning; the model is trained instead).
PUBLISHED_REFUSED = "{name}: published weights not used, {problem}; training the model instead."
PUBLISHED_MISSING = "{path} is missing"
PUBLISHED_SIZE = "{path} has {size} bytes, not the manifest's {expected} (truncated?)"
PUBLISHED_ALTERED = "{path} does not match the manifest's sha256 (altered?)"

#: Every sentence above, with what each placeholder may match (any text unless named here):
#: what the translation extension needs to recognise the lines the library printed.
TEMPLATES: tuple[tuple[str, dict[str, str]], ...] = (
    (DATA_SINE, {}),
    (DATA_SINE_OVERFIT, {}),
    (DATA_MNIST_IMAGES, {}),
    (DATA_MNIST_LABELS, {}),
    (EPOCHS, {"epochs": NUMBER, "batch": NUMBER}),
    (EPOCH, {"epochs": NUMBER, "batch": NUMBER}),
    (EPOCHS_STEPS, {"epochs": NUMBER, "batch": NUMBER, "steps": NUMBER}),
    (EPOCH_STEPS, {"epochs": NUMBER, "batch": NUMBER, "steps": NUMBER}),
    (NOT_PUBLISHED, {}),
    (NOTHING_PUBLISHED, {}),
    (PUBLISHED_DIFFERS, {}),
    (SHORTER, {}),
    # A profile is one word: what follows it is the optional clause of SHORTER.
    (TRAINED, {"profile": PROFILE_NAME, "shorter": ".*?"}),
    (LOADED, {"profile": PROFILE_NAME, "shorter": ".*?"}),
    (PUBLISHED, {}),
    (PUBLISHED_DEVICE, {}),
    (SECONDS, {"seconds": NUMBER}),
    (MINUTES, {"minutes": NUMBER, "seconds": NUMBER}),
    (HOURS, {"hours": NUMBER, "minutes": NUMBER}),
    (CPU, {"cores": NUMBER}),
    (MIXED_PRECISION, {}),
    (UNCHECKED_RELEASES, {}),
    (BUILD_STAMP, {}),
    (PROFILE_PER_MODEL, {}),
    (ALT_SINE_DATA, {}),
    (ALT_MANIFOLD, {"markers": NUMBER}),
    (ALT_MANIFOLD_NO_DATA, {"markers": NUMBER}),
    (ALT_MANIFOLD_PCA, {}),
    (ALT_DIGITS, {"rows": NUMBER, "columns": NUMBER}),
    (ALT_DIGITS_CAPTIONED, {}),
    (ALT_PIXEL_PATH, {"frames": NUMBER}),
    (ALT_CODE_PATH, {"frames": NUMBER}),
    (ALT_CODE_JOINT, {"i": NUMBER, "j": NUMBER}),
    (ALT_CURVES, {}),
    (ALT_CURVES_VALIDATION, {}),
    (ALT_ANIMATION, {"frames": NUMBER}),
    (ALT_GLANCE_DATA, {}),
    (ALT_GLANCE, {}),
    (LOG, {}),
    (LINEAR, {}),
)
