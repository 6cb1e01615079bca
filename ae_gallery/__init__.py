"""ae_gallery: manifold learning and latent variables, taught with Keras autoencoders.

The library behind the ae-gallery tutorial site. The article's models are written in its
lessons (``examples/``); the library trains them and keeps what the lessons reuse. Its
modules, each named for what it holds:

- :mod:`ae_gallery.data`: the noisy sine curve and MNIST;
- :mod:`ae_gallery.layers`: the one layer the article's Keras 2 code needs in Keras 3;
- :mod:`ae_gallery.training`: ``fit``, the lessons' training call, and ``train`` by name;
- :mod:`ae_gallery.design`: a compiled model's design as data (fingerprints, rebuilding);
- :mod:`ae_gallery.published`: the article's budget, trained once from the lessons;
- :mod:`ae_gallery.recipes`: each model's data and shorter budgets;
- :mod:`ae_gallery.budgets`: the training profiles and what a budget is;
- :mod:`ae_gallery.cache`: the trained-weights cache (keys, entries, the lock);
- :mod:`ae_gallery.resume`: resume points, so an interrupted training goes on;
- :mod:`ae_gallery.progress`: what a training says while it runs;
- :mod:`ae_gallery.device`: what trains (GPU or CPU), and in which precision;
- :mod:`ae_gallery.i18n`: the language it speaks (English or Russian), and numbers in it;
- :mod:`ae_gallery.loops`: the ways to train, chosen by timing, behind ``fit``;
- :mod:`ae_gallery.compiled_loops`, :mod:`ae_gallery.keras_fit`,
  :mod:`ae_gallery.cpu_routines`: what those ways use;
- :mod:`ae_gallery.latent`: the measures that turn pictures into numbers;
- :mod:`ae_gallery.plotting`: the article's figures, as functions that return them.

Import the modules you need (``from ae_gallery import data, training``); importing the
package itself loads no deep-learning framework.
"""

__version__ = "0.2.0"
