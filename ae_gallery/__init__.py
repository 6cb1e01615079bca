"""ae_gallery: manifold learning and latent variables, taught with Keras autoencoders.

The library behind the ae-gallery tutorial site. Its modules, each named for what it holds:

- :mod:`ae_gallery.data`: the noisy sine curve and MNIST;
- :mod:`ae_gallery.models`: the article's autoencoders, in Keras 3;
- :mod:`ae_gallery.recipes`: each trained model's settings, data and budgets, written once;
- :mod:`ae_gallery.training`: seeded training of a recipe, through the weights cache;
- :mod:`ae_gallery.budgets`: the training profiles and what a budget is;
- :mod:`ae_gallery.cache`: the trained-weights cache (keys, entries, the lock);
- :mod:`ae_gallery.resume`: resume points, so an interrupted training goes on;
- :mod:`ae_gallery.device`: what trains (GPU or CPU) and whether it computes bfloat16;
- :mod:`ae_gallery.messages`: the sentences the library prints, written once;
- :mod:`ae_gallery.loops`: the training loops, chosen by timing, behind ``train``;
- :mod:`ae_gallery.compiled_loops`, :mod:`ae_gallery.cpu_rewrites`: what those loops use;
- :mod:`ae_gallery.latent`: homotopies and the measures that turn pictures into numbers;
- :mod:`ae_gallery.plotting`: the article's figures, as functions that return them.

Import the modules you need (``from ae_gallery import data, models``); importing the package
itself loads no deep-learning framework.
"""

__version__ = "0.1.0"
