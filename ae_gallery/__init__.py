"""ae_gallery: manifold learning and latent variables, taught with Keras autoencoders.

The library behind the ae-gallery tutorial site. Its modules, each named for what it holds:

- :mod:`ae_gallery.data`: the noisy sine curve and MNIST;
- :mod:`ae_gallery.models`: the article's autoencoders, in Keras 3;
- :mod:`ae_gallery.training`: profiles, budgets, seeded training and the weights cache;
- :mod:`ae_gallery.loops`: the fast training loops behind :func:`ae_gallery.training.train`;
- :mod:`ae_gallery.latent`: homotopies and the measures that turn pictures into numbers;
- :mod:`ae_gallery.plotting`: the article's figures, as functions that return them.

Import the modules you need (``from ae_gallery import data, models``); importing the package
itself loads no deep-learning framework.
"""

__version__ = "0.1.0"
