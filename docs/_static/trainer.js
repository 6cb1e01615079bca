/* ae-gallery's trainers: a lesson's sine-curve autoencoder, trained in the reader's browser.
 *
 * Each trainer's data (the lesson's layers, Adam's settings, budget, the noisy sine points and
 * the numbers the lesson measured) comes from a script of the site, _static/.../<lesson>.js,
 * written at build time by docs/_ext/trainer_data.py into window.aeGalleryTrainers. Nothing
 * is fetched. Training runs on the page's own thread (a page opened from disk cannot start a
 * worker) in slices of a few milliseconds between animation frames, so the page stays
 * responsive and its pictures move while it learns.
 *
 * The mathematics is Keras': Dense layers (the forward pass is docs/_static/ae-nn.js, shared
 * with the explorers), the mean squared error (a mean over the outputs and the batch), and
 * Adam as Keras 3 computes it, with the weights and Adam's moments stored in float32 after
 * every step as Keras stores them. The site's tests check 300 steps against Keras' own fit.
 *
 * For tests and the curious, window.aeGallery.trainer:
 *   .ready                     true once every trainer of the page is built;
 *   .state(lesson)             where a trainer stands: its choices, epoch, steps, losses,
 *                              seconds, the longest gap between animation frames and the
 *                              longest task while it trained, the lesson's measures;
 *   .check(lesson, checkData)  runs a Keras comparison (window.aeGalleryTrainerChecks[...]):
 *                              its steps from its initial weights and rows, unshuffled;
 *                              returns {weights: [[...], ...] in Keras' order, seconds};
 *   .train(lesson, options)    trains at once, without the page, the model the trainer starts
 *                              from, or another (options: epochs, seed, learningRate,
 *                              batchSize, depth, width, activation); returns the losses, the
 *                              seconds, the steps and the lesson's measures.
 */
(function () {
  "use strict";

  const gallery = (window.aeGallery = window.aeGallery || {});
  const nn = gallery.nn;
  if (!nn) throw new Error("trainer: load _static/ae-nn.js before _static/trainer.js");
  const registry = (window.aeGalleryTrainers = window.aeGalleryTrainers || {});

  // Codes decoded to draw the autoencoder's curve.
  const CURVE_POINTS = 160;
  // The seed of a page's first training (the site's tests expect its results); Reset and
  // every new start take the next one, so that a reader sees how much a training varies.
  const SEED = 1;

  // --- Random numbers --------------------------------------------------------------------

  /** mulberry32: a small seeded generator of numbers in [0, 1), so that a run repeats. */
  function seeded(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(order, random) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const kept = order[i];
      order[i] = order[j];
      order[j] = kept;
    }
  }

  // --- The network -----------------------------------------------------------------------

  /** Dense layers of the given sizes ([2, 64, 64, 1, 64, 64, 2]) and activations, with
   * Keras' float32 weights (biases zero) and Adam's moments. */
  function network(sizes, activations) {
    const layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      layers.push({
        nIn: nIn,
        nOut: nOut,
        activation: activations[l],
        kernel: new Float32Array(nIn * nOut),
        bias: new Float32Array(nOut),
        gKernel: new Float64Array(nIn * nOut),
        gBias: new Float64Array(nOut),
        mKernel: new Float32Array(nIn * nOut),
        vKernel: new Float32Array(nIn * nOut),
        mBias: new Float32Array(nOut),
        vBias: new Float32Array(nOut),
      });
    }
    return { sizes: sizes, layers: layers, iterations: 0, code: sizes.indexOf(1) - 1 };
  }

  /** Keras' default initialisation: Glorot-uniform kernels, zero biases. */
  function glorot(net, random) {
    for (const layer of net.layers) {
      const limit = Math.sqrt(6 / (layer.nIn + layer.nOut));
      for (let i = 0; i < layer.kernel.length; i++) layer.kernel[i] = (2 * random() - 1) * limit;
    }
  }

  /** Weights in Keras' order: kernel, bias, kernel, bias... */
  function setWeights(net, arrays) {
    net.layers.forEach((layer, l) => {
      layer.kernel.set(arrays[2 * l]);
      layer.bias.set(arrays[2 * l + 1]);
    });
  }

  function getWeights(net) {
    const arrays = [];
    for (const layer of net.layers) arrays.push(Array.from(layer.kernel), Array.from(layer.bias));
    return arrays;
  }

  /** Room for the outputs of up to ``rows`` rows, and for a training their error signals. */
  function workspace(net, rows, training) {
    return {
      rows: rows,
      outs: net.layers.map((layer) => new Float32Array(rows * layer.nOut)),
      deltas: training ? net.layers.map((layer) => new Float64Array(rows * layer.nOut)) : null,
    };
  }

  /** Layers ``from`` to ``to`` (exclusive) on ``rows`` rows of ``x``; returns the output. */
  function forward(net, space, x, rows, from, to) {
    let input = x;
    for (let l = from || 0; l < (to === undefined ? net.layers.length : to); l++) {
      const layer = net.layers[l];
      nn.denseRows(input, rows, layer.kernel, layer.bias, layer.nIn, layer.nOut,
        layer.activation, space.outs[l]);
      input = space.outs[l];
    }
    return input;
  }

  /* The activation's derivative, from its output as TensorFlow computes it (EluGrad:
   * y + 1 below zero; ReluGrad: 1 where y > 0; SigmoidGrad: y (1 - y)). */
  function throughActivation(delta, out, n, activation) {
    if (activation === "elu") {
      for (let i = 0; i < n; i++) if (out[i] < 0) delta[i] *= out[i] + 1;
    } else if (activation === "relu") {
      for (let i = 0; i < n; i++) if (!(out[i] > 0)) delta[i] = 0;
    } else if (activation === "sigmoid") {
      for (let i = 0; i < n; i++) delta[i] *= out[i] * (1 - out[i]);
    }
  }

  /* gKernel[i, o] = sum over the batch of input[b, i] delta[b, o]. As in the forward pass,
   * a block of sums (two inputs by four outputs) stays in registers over the batch. */
  function kernelGradient(input, delta, rows, nIn, nOut, g) {
    const i2 = nIn - (nIn % 2);
    const o4 = nOut - (nOut % 4);
    for (let i = 0; i < i2; i += 2) {
      for (let o = 0; o < o4; o += 4) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (let b = 0, p = i, q = o; b < rows; b++, p += nIn, q += nOut) {
          const u = input[p];
          const v = input[p + 1];
          const d0 = delta[q], d1 = delta[q + 1], d2 = delta[q + 2], d3 = delta[q + 3];
          a0 += u * d0; a1 += u * d1; a2 += u * d2; a3 += u * d3;
          b0 += v * d0; b1 += v * d1; b2 += v * d2; b3 += v * d3;
        }
        const k = i * nOut + o;
        g[k] = a0; g[k + 1] = a1; g[k + 2] = a2; g[k + 3] = a3;
        g[k + nOut] = b0; g[k + nOut + 1] = b1; g[k + nOut + 2] = b2; g[k + nOut + 3] = b3;
      }
    }
    // The rest (an odd input, outputs beyond a multiple of four): one sum at a time.
    for (let i = 0; i < nIn; i++) {
      for (let o = i < i2 ? o4 : 0; o < nOut; o++) {
        let a = 0;
        for (let b = 0; b < rows; b++) a += input[b * nIn + i] * delta[b * nOut + o];
        g[i * nOut + o] = a;
      }
    }
  }

  /* back[b, i] = sum over outputs of delta[b, o] kernel[i, o]: four rows by two inputs. */
  function inputGradient(delta, kernel, rows, nIn, nOut, back) {
    const r4 = rows - (rows % 4);
    const i2 = nIn - (nIn % 2);
    for (let r = 0; r < r4; r += 4) {
      const d0 = r * nOut;
      const d1 = d0 + nOut;
      const d2 = d1 + nOut;
      const d3 = d2 + nOut;
      for (let i = 0; i < i2; i += 2) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        const k = i * nOut;
        for (let o = 0; o < nOut; o++) {
          const ka = kernel[k + o];
          const kb = kernel[k + nOut + o];
          const e0 = delta[d0 + o], e1 = delta[d1 + o], e2 = delta[d2 + o], e3 = delta[d3 + o];
          a0 += e0 * ka; a1 += e1 * ka; a2 += e2 * ka; a3 += e3 * ka;
          b0 += e0 * kb; b1 += e1 * kb; b2 += e2 * kb; b3 += e3 * kb;
        }
        const p = r * nIn + i;
        back[p] = a0; back[p + nIn] = a1; back[p + 2 * nIn] = a2; back[p + 3 * nIn] = a3;
        back[p + 1] = b0; back[p + 1 + nIn] = b1; back[p + 1 + 2 * nIn] = b2;
        back[p + 1 + 3 * nIn] = b3;
      }
    }
    for (let r = 0; r < rows; r++) {
      for (let i = r < r4 ? i2 : 0; i < nIn; i++) {
        let a = 0;
        for (let o = 0; o < nOut; o++) a += delta[r * nOut + o] * kernel[i * nOut + o];
        back[r * nIn + i] = a;
      }
    }
  }

  /** One batch forward and back: fills the gradients, returns the batch's loss (Keras'
   * mean squared error: the mean over the outputs and the rows). */
  function gradients(net, space, x, rows) {
    const layers = net.layers;
    const last = layers.length - 1;
    const out = forward(net, space, x, rows);
    const n = rows * layers[last].nOut;
    const delta = space.deltas[last];
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const error = out[i] - x[i];
      loss += error * error;
      delta[i] = (2 * error) / n;
    }
    for (let l = last; l >= 0; l--) {
      const layer = layers[l];
      const d = space.deltas[l];
      throughActivation(d, space.outs[l], rows * layer.nOut, layer.activation);
      const input = l ? space.outs[l - 1] : x;
      kernelGradient(input, d, rows, layer.nIn, layer.nOut, layer.gKernel);
      layer.gBias.fill(0);
      for (let b = 0; b < rows; b++) {
        for (let o = 0; o < layer.nOut; o++) layer.gBias[o] += d[b * layer.nOut + o];
      }
      if (l) inputGradient(d, layer.kernel, rows, layer.nIn, layer.nOut, space.deltas[l - 1]);
    }
    return loss / n;
  }

  const f32 = Math.fround;

  /* Keras 3's Adam (keras/src/optimizers/adam.py), in float32 as Keras computes it for
   * float32 weights: alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t); m += (g - m)(1 - beta_1);
   * v += (g^2 - v)(1 - beta_2); w -= alpha m / (sqrt(v) + epsilon). */
  function adam(net, settings, learningRate) {
    net.iterations += 1;
    const t = net.iterations;
    const beta1 = f32(settings.beta_1);
    const beta2 = f32(settings.beta_2);
    const power1 = f32(Math.pow(beta1, t));
    const power2 = f32(Math.pow(beta2, t));
    const alpha = f32(f32(f32(learningRate) * f32(Math.sqrt(f32(1 - power2)))) / f32(1 - power1));
    const c1 = f32(1 - settings.beta_1);
    const c2 = f32(1 - settings.beta_2);
    const epsilon = f32(settings.epsilon);
    for (const layer of net.layers) {
      update(layer.kernel, layer.gKernel, layer.mKernel, layer.vKernel, alpha, c1, c2, epsilon);
      update(layer.bias, layer.gBias, layer.mBias, layer.vBias, alpha, c1, c2, epsilon);
    }
  }

  function update(w, g, m, v, alpha, c1, c2, epsilon) {
    for (let k = 0; k < w.length; k++) {
      const gk = f32(g[k]);
      // Each operation rounded to float32, as TensorFlow's float32 kernels round it.
      const mk = (m[k] = f32(m[k] + f32(f32(gk - m[k]) * c1)));
      const vk = (v[k] = f32(v[k] + f32(f32(f32(gk * gk) - v[k]) * c2)));
      w[k] = f32(w[k] - f32(f32(mk * alpha) / f32(f32(Math.sqrt(vk)) + epsilon)));
    }
  }

  // --- A training: its rows, their order, its epochs --------------------------------------

  /** A training of ``net`` on ``rows`` (float32, two values a row) in batches of ``batch``.
   * ``shuffled``: a new order every epoch, as Keras' fit(shuffle=True). */
  function training(net, rows, batch, settings, random, shuffled) {
    const n = rows.length / 2;
    return {
      net: net,
      rows: rows,
      n: n,
      batch: batch,
      settings: settings,
      learningRate: settings.learning_rate,
      random: random,
      shuffled: shuffled,
      order: Array.from({ length: n }, (_, i) => i),
      space: workspace(net, batch, true),
      x: new Float32Array(2 * batch),
      epoch: 0,
      cursor: 0,
      sum: 0,
      steps: 0,
      losses: [],
    };
  }

  /** One step: the next batch, its gradients, Adam. Returns true at the end of an epoch. */
  function step(run) {
    if (run.cursor === 0 && run.shuffled) shuffle(run.order, run.random);
    const rows = Math.min(run.batch, run.n - run.cursor);
    for (let r = 0; r < rows; r++) {
      const i = run.order[run.cursor + r];
      run.x[2 * r] = run.rows[2 * i];
      run.x[2 * r + 1] = run.rows[2 * i + 1];
    }
    const loss = gradients(run.net, run.space, run.x, rows);
    adam(run.net, run.settings, run.learningRate);
    run.steps += 1;
    // Keras' epoch loss: the batches' losses weighted by their rows.
    run.sum += loss * rows;
    run.cursor += rows;
    if (run.cursor < run.n) return false;
    run.losses.push(run.sum / run.n);
    run.epoch += 1;
    run.cursor = 0;
    run.sum = 0;
    return true;
  }

  /** Steps until ``epochs`` are done or the clock passes ``deadline``. */
  function trainUntil(run, epochs, deadline) {
    while (run.epoch < epochs) {
      step(run);
      if (performance.now() >= deadline) break;
    }
  }

  // --- What the lesson measures (ae_gallery.latent) ----------------------------------------

  /** The outputs of the whole model for every row of ``dots``. */
  function predict(net, dots) {
    const n = dots.length / 2;
    return Float32Array.from(forward(net, workspace(net, n, false), dots, n));
  }

  // latent.distance_to_curve: the nearest of 70,001 points of y = sin x, x in [-3.5, 3.5].
  const CURVE = { low: -3.5, high: 3.5, samples: 70001 };
  let sineTable = null;

  function distanceToCurve(points) {
    const last = CURVE.samples - 1;
    const spacing = (CURVE.high - CURVE.low) / last;
    const xs = (k) => (k === last ? CURVE.high : CURVE.low + k * spacing); // numpy's linspace
    if (!sineTable) {
      sineTable = new Float64Array(CURVE.samples);
      for (let k = 0; k <= last; k++) sineTable[k] = Math.sin(xs(k));
    }
    const distances = new Float64Array(points.length / 2);
    for (let p = 0; p < distances.length; p++) {
      const px = points[2 * p];
      const py = points[2 * p + 1];
      const near = Math.min(last, Math.max(0, Math.round((px - CURVE.low) / spacing)));
      const dx0 = xs(near) - px;
      const dy0 = sineTable[near] - py;
      let best = dx0 * dx0 + dy0 * dy0; // squared
      // A nearer point of the curve lies within that distance of px along x. Points near the
      // curve (well inside its radius of curvature, 1 or more) see a single valley there:
      // every hundredth sample finds it, then every sample in it.
      const reach = Math.sqrt(best);
      const from = Math.max(0, Math.floor((px - reach - CURVE.low) / spacing));
      const to = Math.min(last, Math.ceil((px + reach - CURVE.low) / spacing));
      const squared = (k) => (xs(k) - px) ** 2 + (sineTable[k] - py) ** 2;
      let valley = near;
      for (let k = from; k <= to; k += 100) {
        const d = squared(k);
        if (d < best) {
          best = d;
          valley = k;
        }
      }
      for (let k = Math.max(from, valley - 100); k <= Math.min(to, valley + 100); k++) {
        best = Math.min(best, squared(k));
      }
      distances[p] = Math.sqrt(best);
    }
    return distances;
  }

  function mean(values, keep) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < values.length; i++) {
      if (keep && !keep(i)) continue;
      sum += values[i];
      count += 1;
    }
    return sum / count;
  }

  /** latent.principal_direction: the unit vector along which 2-D points vary most (the
   * leading eigenvector of their covariance), its largest component positive. */
  function principalDirection(points) {
    const n = points.length / 2;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += points[2 * i] / n;
      my += points[2 * i + 1] / n;
    }
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const dx = points[2 * i] - mx;
      const dy = points[2 * i + 1] - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    let u = [Math.cos(angle), Math.sin(angle)];
    if (Math.abs(u[1]) > Math.abs(u[0]) ? u[1] < 0 : u[0] < 0) u = [-u[0], -u[1]];
    return u;
  }

  /** The lesson's numbers for a model: those its lesson prints. */
  function measures(data, net) {
    const predicted = predict(net, data.dotsArray);
    const result = {};
    if (data.overfit) {
      const errors = new Float64Array(predicted.length / 2);
      for (let i = 0; i < errors.length; i++) {
        errors[i] = Math.hypot(predicted[2 * i] - data.dotsArray[2 * i],
          predicted[2 * i + 1] - data.dotsArray[2 * i + 1]);
      }
      const marked = new Set(data.markers);
      result.train = mean(errors, (i) => marked.has(i));
      result.elsewhere = mean(errors, (i) => !marked.has(i));
      result.ratio = result.elsewhere / result.train;
    } else {
      result.distance = mean(distanceToCurve(predicted));
      if (net.code === 0) {
        const u = principalDirection(predicted);
        const v = data.pca.direction;
        const cosine = Math.abs(u[0] * v[0] + u[1] * v[1]);
        result.angle = (Math.acos(Math.min(1, cosine)) * 180) / Math.PI;
      }
    }
    return result;
  }

  // --- The lesson's data -----------------------------------------------------------------

  const prepared = {};

  function trainerData(lesson) {
    if (!prepared[lesson]) {
      const raw = registry[lesson];
      if (!raw) throw new Error("trainer: no data for " + lesson);
      const dots = nn.decodeArray(raw.dots);
      const rows =
        raw.overfit
          ? Float32Array.from(raw.markers.flatMap((i) => [dots[2 * i], dots[2 * i + 1]]))
          : dots;
      // The trainer's budget: the lesson's, but where the data names a browser budget.
      const browser = Object.assign({
        epochs: raw.budget.epochs,
        batch_size: raw.budget.batch_size,
        learning_rate: raw.adam.learning_rate,
      }, raw.browser);
      prepared[lesson] = Object.assign({}, raw, { dotsArray: dots, trainRows: rows, browser });
    }
    return prepared[lesson];
  }

  /** The model family a reader chooses from: ``depth`` hidden layers of ``width`` units on
   * each side of a one-number code. The lesson's model is one of them. */
  function lessonChoice(data) {
    const depth = data.layers.findIndex((layer) => layer.units === 1);
    return {
      depth: depth,
      width: depth ? data.layers[0].units : 0,
      activation: data.browser.activation || (depth ? data.layers[0].activation : "linear"),
      learningRate: data.browser.learning_rate,
      epochs: data.browser.epochs,
      batchSize: data.browser.batch_size,
    };
  }

  function architecture(choice) {
    const hidden = Array(choice.depth).fill(choice.width);
    const act = Array(choice.depth).fill(choice.activation);
    return {
      sizes: [2, ...hidden, 1, ...hidden, 2],
      activations: [...act, "linear", ...act, "linear"],
    };
  }

  function freshTraining(data, choice, seed) {
    const shape = architecture(choice);
    const net = network(shape.sizes, shape.activations);
    const random = seeded(seed);
    glorot(net, random);
    const run = training(net, data.trainRows, choice.batchSize, data.adam, random, true);
    run.learningRate = choice.learningRate;
    return run;
  }

  // --- Hooks for tests ----------------------------------------------------------------------

  function check(lesson, checkData) {
    const layers = checkData.layers;
    const sizes = [2, ...layers.map((layer) => layer.units)];
    const net = network(sizes, layers.map((layer) => layer.activation));
    setWeights(net, checkData.initial.map(nn.decodeArray));
    const rows = nn.decodeArray(checkData.rows);
    const run = training(net, rows, checkData.batch_size, checkData.adam, null, false);
    const start = performance.now();
    trainUntil(run, checkData.epochs, Infinity);
    const seconds = (performance.now() - start) / 1000;
    return { weights: getWeights(net), steps: run.steps, seconds: seconds };
  }

  function trainAtOnce(lesson, options) {
    const data = trainerData(lesson);
    const choice = Object.assign(lessonChoice(data), options || {});
    const run = freshTraining(data, choice, choice.seed === undefined ? SEED : choice.seed);
    const start = performance.now();
    trainUntil(run, choice.epochs, Infinity);
    const seconds = (performance.now() - start) / 1000;
    return {
      loss: run.losses[run.losses.length - 1],
      losses: run.losses,
      steps: run.steps,
      seconds: seconds,
      measures: measures(data, run.net),
    };
  }

  const pages = {};

  /* The browser's own record of long tasks (over 50 ms), where it keeps one (Chromium): the
   * trainer's state reports those during its training beside its own timings. */
  const longTasks = [];
  const observed = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
  if (observed && observed.includes("longtask")) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: "longtask" });
  }

  /* A few hundred steps of a tiny network when the page is idle: the optimising compiler
   * then knows the training's functions before the reader's first slice runs them, which
   * would otherwise take tens of milliseconds in the interpreter. */
  function warmUp() {
    const net = network([2, 4, 1, 4, 2], ["elu", "elu", "linear", "elu", "elu"]);
    glorot(net, seeded(0));
    const rows = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i));
    const adam = { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
    const run = training(net, rows, 4, adam, seeded(0), true);
    trainUntil(run, 150, Infinity);
    distanceToCurve(rows); // and its table of the sine, once
  }

  function state(lesson) {
    const page = pages[lesson];
    if (!page) throw new Error("trainer: no trainer on this page for " + lesson);
    return page.state();
  }

  gallery.trainer = { ready: false, check: check, state: state, train: trainAtOnce };

  // --- The page ------------------------------------------------------------------------------

  const element = nn.element;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  }

  /** The page's words and numbers: ``say(english, fields)`` gives the translation the page
   * brought (data-words), its {fields} filled in; the formats follow the page's language. */
  function language(words) {
    const lang = document.documentElement.lang || "en";
    const format = (options) => {
      const f = new Intl.NumberFormat(lang, options);
      return (value) => f.format(value);
    };
    return {
      say: function (english, fields) {
        if (!(english in words)) console.error("trainer: no word for " + JSON.stringify(english));
        const text = english in words ? words[english] : english;
        return fields ? fill(text, fields) : text;
      },
      whole: format({ maximumFractionDigits: 0 }),
      fixed: (digits) => format({ minimumFractionDigits: digits, maximumFractionDigits: digits }),
      significant: format({ maximumSignificantDigits: 4 }),
      rate: format({ maximumSignificantDigits: 2 }),
    };
  }

  const ACTIVATION_NAMES = { linear: "linear", elu: "ELU", relu: "ReLU", sigmoid: "sigmoid" };

  /** What the trainer starts from, in words: the lesson's budget, or the browser's. */
  function budgetSentence(data, start, text) {
    const batches = (rows) => Math.ceil(rows / data.budget.batch_size);
    if (!data.overfit) {
      return text.say(
        "The lesson's budget: {epochs} epochs of {batches} batches of {batch}, learning rate " +
          "{rate}.",
        {
          epochs: text.whole(data.budget.epochs),
          batches: text.whole(batches(data.budget.rows)),
          batch: text.whole(data.budget.batch_size),
          rate: text.rate(data.adam.learning_rate),
        }
      );
    }
    let sentence = text.say(
      "A browser budget: the lesson trains {steps} steps, too many for a browser; here an " +
        "epoch is the 25 points once, in batches of {batch}, at a learning rate of {rate}, " +
        "and the same effect shows in seconds.",
      {
        steps: text.whole(data.budget.epochs * batches(data.budget.rows)),
        batch: text.whole(start.batchSize),
        rate: text.rate(start.learningRate),
      }
    );
    const own = start.depth ? data.layers[0].activation : "linear";
    if (start.activation !== own) {
      sentence += " " + text.say(
        "The hidden layers use {activation}, not the lesson's {lesson_activation}: the curve " +
          "reaches the points far sooner. Choose {lesson_activation} for the lesson's own " +
          "model, which needs many more epochs.",
        {
          activation: text.say(ACTIVATION_NAMES[start.activation]),
          lesson_activation: text.say(ACTIVATION_NAMES[own]),
        }
      );
    }
    return sentence;
  }

  /** A labelled control (<select> of [value, text] options, or a number <input>) as a row. */
  function control(id, label, options, selected) {
    let input;
    if (options) {
      input = element("select", { id: id });
      for (const [value, text] of options) {
        const option = element("option", { value: String(value), text: text });
        if (String(value) === String(selected)) option.selected = true;
        input.appendChild(option);
      }
    } else {
      input = element("input", {
        type: "number",
        id: id,
        min: "1",
        max: String(MAX_EPOCHS),
        step: "1",
        value: String(selected),
      });
    }
    const row = element("div", { class: "ae-trainer-control" }, [
      element("label", { for: id, text: label }),
      input,
    ]);
    return { row: row, input: input };
  }

  const MAX_EPOCHS = 20000;

  /** The reader's controls: the model's shape where it has hidden layers, the learning
   * rate, the epochs; ids prefixed by the lesson (a page may hold several trainers). */
  function controls(lesson, start, text) {
    const id = (name) => "ae-trainer-" + lesson + "-" + name;
    const made = {};
    if (start.depth > 0) {
      made.depth = control(id("depth"), text.say("Hidden layers on each side"),
        [1, 2, 3].map((d) => [d, text.whole(d)]), start.depth);
      made.width = control(id("width"), text.say("Units per hidden layer"),
        [8, 16, 32, 64, 128].map((w) => [w, text.whole(w)]), start.width);
      made.activation = control(id("activation"), text.say("Activation"),
        nn.ACTIVATIONS.map((a) => [a, text.say(ACTIVATION_NAMES[a])]), start.activation);
    }
    // The lesson's rate as float32 (0.003000000026): the same choice as 0.003.
    const same = (a, b) => Math.abs(a - b) < 1e-6 * b;
    const rates = [0.0003, 0.001, 0.003, 0.01, 0.03];
    if (!rates.some((r) => same(r, start.learningRate))) rates.push(start.learningRate);
    rates.sort((a, b) => a - b);
    made.rate = control(id("rate"), text.say("Learning rate"),
      rates.map((r) => [r, text.rate(r)]), rates.find((r) => same(r, start.learningRate)));
    made.epochs = control(id("epochs"), text.say("Epochs"), null, start.epochs);
    return made;
  }

  // The lessons' colours (seaborn's grey ground): blue data, red truth, white curve, orange PCA.
  const COLOURS = {
    ground: "#eaeaf2",
    grid: "#ffffff",
    dots: "rgba(76, 114, 176, 0.55)",
    faint: "rgba(76, 114, 176, 0.3)",
    marked: "#ff7f0e",
    truth: "#d62728",
    curve: "#ffffff",
    pca: "#ff7f0e",
    loss: "#4c72b0",
    lesson: "#55555f",
    ink: "#000000",
  };

  function legend(entries) {
    return element(
      "ul",
      { class: "ae-trainer-legend" },
      entries.map(([colour, kind, text]) =>
        element("li", {}, [
          element("span", {
            class: "ae-trainer-swatch ae-trainer-swatch-" + kind,
            style: "--ae-swatch:" + colour,
            "aria-hidden": "true",
          }),
          element("span", { text: text }),
        ])
      )
    );
  }

  function figure(picture, key) {
    return element("figure", { class: "ae-trainer-figure" }, [picture, key]);
  }

  function canvas(width, height, label) {
    return element("canvas", {
      width: String(width),
      height: String(height),
      role: "img",
      "aria-label": label,
    });
  }

  /** The plane: the data and the true curve, drawn once, and the autoencoder's curve over
   * them: its decoder over the range of the codes of the data. */
  function planeView(data, linear, text) {
    const width = 640;
    const height = 400;
    const marked = data.overfit;
    const name = text.say("The data, the true curve and the autoencoder's curve");
    const picture = canvas(width, height, name);
    const key = legend([
      [COLOURS.dots, "dot", text.say("the data")],
      ...(marked ? [[COLOURS.marked, "dot", text.say("the 25 training points")]] : []),
      [COLOURS.truth, "line", text.say("the true curve, y = sin x")],
      [
        COLOURS.curve,
        "wide",
        text.say("the autoencoder's curve (its decoder over the codes of the data)"),
      ],
      ...(linear ? [[COLOURS.pca, "dash", text.say("PCA's line")]] : []),
    ]);
    const dots = data.dotsArray;
    const box = { x: [Infinity, -Infinity], y: [Infinity, -Infinity] };
    for (let i = 0; i < dots.length; i += 2) {
      box.x = [Math.min(box.x[0], dots[i]), Math.max(box.x[1], dots[i])];
      box.y = [Math.min(box.y[0], dots[i + 1]), Math.max(box.y[1], dots[i + 1])];
    }
    const padX = 0.08 * (box.x[1] - box.x[0]);
    const padY = 0.15 * (box.y[1] - box.y[0]);
    const sx = (x) => ((x - box.x[0] + padX) / (box.x[1] - box.x[0] + 2 * padX)) * width;
    const sy = (y) => height - ((y - box.y[0] + padY) / (box.y[1] - box.y[0] + 2 * padY)) * height;

    const still = document.createElement("canvas");
    still.width = width;
    still.height = height;
    const ground = still.getContext("2d");
    ground.fillStyle = COLOURS.ground;
    ground.fillRect(0, 0, width, height);
    const markers = new Set(marked ? data.markers : []);
    ground.fillStyle = marked ? COLOURS.faint : COLOURS.dots;
    for (let i = 0; i < dots.length / 2; i++) {
      if (!markers.has(i)) ground.fillRect(sx(dots[2 * i]) - 1.5, sy(dots[2 * i + 1]) - 1.5, 3, 3);
    }
    for (const i of markers) {
      ground.beginPath();
      ground.arc(sx(dots[2 * i]), sy(dots[2 * i + 1]), 5, 0, 2 * Math.PI);
      ground.fillStyle = COLOURS.marked;
      ground.fill();
      ground.lineWidth = 1;
      ground.strokeStyle = COLOURS.ink;
      ground.stroke();
    }
    const truth = [];
    for (let i = 0; i <= 200; i++) {
      const x = data.x_range[0] + ((data.x_range[1] - data.x_range[0]) * i) / 200;
      truth.push([x, Math.sin(x)]);
    }
    // Every tenth point and the last: the range of the codes, cheaply, while training.
    const few = [];
    for (let i = 0; i < dots.length / 2; i += 10) few.push(dots[2 * i], dots[2 * i + 1]);
    few.push(dots[dots.length - 2], dots[dots.length - 1]);
    const some = Float32Array.from(few);
    // Room for the rows drawn, by their number, for the current model's shape only.
    const spaces = { shape: "", byRows: new Map() };
    function spaceFor(net, rows) {
      if (spaces.shape !== net.sizes.join(",")) {
        spaces.shape = net.sizes.join(",");
        spaces.byRows.clear();
      }
      if (!spaces.byRows.has(rows)) spaces.byRows.set(rows, workspace(net, rows, false));
      return spaces.byRows.get(rows);
    }

    const ctx = picture.getContext("2d");
    const path = (points, colour, lineWidth, dash) =>
      nn.strokePath(ctx, sx, sy, points, colour, lineWidth, dash);

    function decodedCurve(net, points) {
      const n = points.length / 2;
      const codes = forward(net, spaceFor(net, n), points, n, 0, net.code + 1);
      let low = Infinity;
      let high = -Infinity;
      for (let i = 0; i < n; i++) {
        low = Math.min(low, codes[i]);
        high = Math.max(high, codes[i]);
      }
      const span = new Float32Array(CURVE_POINTS);
      for (let i = 0; i < CURVE_POINTS; i++) {
        span[i] = low + ((high - low) * i) / (CURVE_POINTS - 1);
      }
      const xy = forward(net, spaceFor(net, CURVE_POINTS), span, CURVE_POINTS, net.code + 1);
      const curve = [];
      for (let i = 0; i < CURVE_POINTS; i++) curve.push([xy[2 * i], xy[2 * i + 1]]);
      return curve;
    }

    function pcaLine() {
      const [mx, my] = data.pca.mean;
      const [ux, uy] = data.pca.direction;
      let low = Infinity;
      let high = -Infinity;
      for (let i = 0; i < dots.length; i += 2) {
        const t = (dots[i] - mx) * ux + (dots[i + 1] - my) * uy;
        low = Math.min(low, t);
        high = Math.max(high, t);
      }
      return [[mx + low * ux, my + low * uy], [mx + high * ux, my + high * uy]];
    }

    /** ``exact``: the codes of all the points, not a tenth of them. */
    function draw(net, exact) {
      ctx.drawImage(still, 0, 0);
      // As wide as the lesson's figure draws it at page size (12 and 6 points at its dpi).
      path(decodedCurve(net, exact ? dots : some), COLOURS.curve, marked ? 5 : 10);
      if (linear) path(pcaLine(), COLOURS.pca, 2, [8, 5]);
      // The true curve over the learnt one, thin, as in the lesson's figures: both show.
      path(truth, COLOURS.truth, 2);
    }

    return { figure: figure(picture, key), draw: draw };
  }

  /** The loss per epoch on a log scale, and the lesson's final loss, dashed. */
  function lossView(data, text) {
    const width = 640;
    const height = 180;
    const picture = canvas(width, height, text.say("Loss per epoch"));
    const key = legend([
      [COLOURS.loss, "line", text.say("loss")],
      [COLOURS.lesson, "dash", text.say("the lesson's final loss")],
    ]);
    const ctx = picture.getContext("2d");
    const left = 64;
    const right = width - 12;
    const bottom = height - 24;

    function line(x0, y0, x1, y1, colour, dash) {
      ctx.strokeStyle = colour;
      ctx.setLineDash(dash || []);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      ctx.setLineDash([]);
    }

    function draw(losses, epochs) {
      const lesson = data.lesson_numbers.final_loss;
      const all = losses.concat([lesson]).filter((v) => v > 0 && isFinite(v));
      const top = Math.ceil(Math.log10(Math.max(...all)));
      const floor = Math.floor(Math.log10(Math.min(...all)));
      const span = Math.max(1, top - floor);
      const px = (e) => left + ((right - left) * e) / Math.max(epochs, losses.length, 1);
      const py = (v) => 10 + ((bottom - 10) * (top - Math.log10(v))) / span;
      ctx.fillStyle = COLOURS.ground;
      ctx.fillRect(0, 0, width, height);
      ctx.font = "14px sans-serif";
      ctx.fillStyle = COLOURS.ink;
      ctx.lineWidth = 1;
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (let p = floor; p <= top; p++) {
        line(left, py(10 ** p), right, py(10 ** p), COLOURS.grid);
        ctx.fillText(text.significant(10 ** p), left - 6, py(10 ** p));
      }
      ctx.textBaseline = "top";
      ctx.textAlign = "left";
      ctx.fillText(text.whole(0), left, bottom + 6);
      ctx.textAlign = "right";
      ctx.fillText(text.whole(Math.max(epochs, losses.length)), right, bottom + 6);
      ctx.lineWidth = 1.5;
      line(left, py(lesson), right, py(lesson), COLOURS.lesson, [6, 4]);
      if (!losses.length) return;
      // At most one point a pixel: the highest loss of the epochs it covers.
      ctx.strokeStyle = COLOURS.loss;
      ctx.lineWidth = 2;
      ctx.beginPath();
      const per = Math.max(1, Math.floor(losses.length / (right - left)));
      for (let e = 0; e < losses.length; e += per) {
        let v = 0;
        for (let k = e; k < Math.min(losses.length, e + per); k++) v = Math.max(v, losses[k]);
        if (e) ctx.lineTo(px(e + 1), py(v));
        else ctx.moveTo(px(e + 1), py(v));
      }
      ctx.stroke();
    }

    return { figure: figure(picture, key), draw: draw };
  }

  /** The lesson's numbers beside the trainer's, as the lesson prints them. */
  function resultLines(run, measured, lessonNumbers, text) {
    const lines = [];
    if (run.losses.length) {
      lines.push(text.say("Final loss: {loss} (the lesson: {lesson}).", {
        loss: text.significant(run.losses[run.losses.length - 1]),
        lesson: text.significant(lessonNumbers.final_loss),
      }));
    }
    if (measured.angle !== undefined) {
      lines.push(text.say(
        "Angle between the autoencoder's line and PCA's: {angle}° (the lesson: {lesson}°).",
        { angle: text.fixed(2)(measured.angle), lesson: text.fixed(2)(lessonNumbers.angle) }
      ));
    }
    if (measured.distance !== undefined) {
      lines.push(text.say("Mean distance to the true curve: {distance} (the lesson: {lesson}).", {
        distance: text.fixed(4)(measured.distance),
        lesson: text.fixed(4)(lessonNumbers.distance),
      }));
    }
    if (measured.ratio !== undefined) {
      lines.push(text.say(
        "Mean distance between a point and its reconstruction: {train} on the 25 training " +
          "points, {elsewhere} on the 975 others, {ratio} times larger (the lesson: " +
          "{lesson_train}, {lesson_elsewhere}, {lesson_ratio} times).",
        {
          train: text.fixed(4)(measured.train),
          elsewhere: text.fixed(4)(measured.elsewhere),
          ratio: text.fixed(1)(measured.ratio),
          lesson_train: text.fixed(4)(lessonNumbers.train),
          lesson_elsewhere: text.fixed(4)(lessonNumbers.elsewhere),
          lesson_ratio: text.fixed(1)(lessonNumbers.elsewhere / lessonNumbers.train),
        }
      ));
    }
    return lines.map((line) => element("li", { text: line }));
  }

  /* Training runs in slices of SLICE_MS, each its own task posted through a MessageChannel,
   * and drawing once per animation frame: between two slices the browser handles input and
   * paints when a frame is due, so frames keep their 60 Hz while training takes most of the
   * time between them (timers would add their own delays; work done only inside animation
   * frames would leave half of each frame idle). */
  const SLICE_MS = 8;
  // The pictures and the progress are redrawn at most every REDRAW_MS while training (20
  // times a second: the curve moves smoothly enough, and painting leaves time to train).
  const REDRAW_MS = 50;

  function build(root, lesson, words) {
    const text = language(words);
    const data = trainerData(lesson);
    const start = lessonChoice(data);
    const made = controls(lesson, start, text);
    const buttons = ["Train", "Pause", "Reset"].map((word) =>
      element("button", { type: "button", text: text.say(word) })
    );
    const plane = planeView(data, start.depth === 0, text);
    const loss = lossView(data, text);
    const progress = element("p", { class: "ae-trainer-progress" });
    const status = element("p", { class: "ae-trainer-status", role: "status" });
    const results = element("ul", { class: "ae-trainer-results" });
    root.append(
      element("p", { class: "ae-trainer-budget", text: budgetSentence(data, start, text) }),
      element("div", { class: "ae-trainer-controls" }, Object.values(made).map((c) => c.row)),
      element("div", { class: "ae-trainer-buttons" }, buttons),
      progress,
      status,
      element("div", { class: "ae-trainer-figures" }, [plane.figure, loss.figure]),
      results
    );

    let choice = Object.assign({}, start);
    let seed = SEED - 1; // each new start draws new weights: SEED first, then the next ones
    let run = null;
    let running = false;
    let done = false;
    let generation = 0; // a slice posted before a pause or reset finds a newer one and stops
    let clock = null;
    let measured = null;
    const channel = new MessageChannel();

    function epochs() {
      const value = Math.round(Number(made.epochs.input.value));
      return Math.max(1, Math.min(MAX_EPOCHS, value || 1));
    }

    function elapsed() {
      return clock.seconds + (running ? (performance.now() - clock.since) / 1000 : 0);
    }

    function reset(sentence) {
      running = false;
      done = false;
      generation += 1;
      measured = null;
      seed += 1;
      run = freshTraining(data, choice, seed);
      // Seconds trained, and what the state reports of the frames and tasks (milliseconds).
      clock = {
        seconds: 0,
        since: 0,
        started: 0,
        work: 0,
        drawing: 0,
        slices: 0,
        frames: 0,
        last: 0,
        drawn: 0,
        longestFrame: 0,
        longestTask: 0,
        tasks: [],
      };
      results.replaceChildren();
      plane.draw(run.net, true);
      loss.draw(run.losses, epochs());
      showProgress();
      status.textContent = text.say(sentence);
    }

    function showProgress() {
      const sentence = "Epoch {epoch} of {epochs}, {steps} steps, loss {loss}, {seconds} s";
      progress.textContent = text.say(sentence, {
        epoch: text.whole(run.epoch),
        epochs: text.whole(epochs()),
        steps: text.whole(run.steps),
        loss: run.losses.length ? text.significant(run.losses[run.losses.length - 1]) : "–",
        seconds: text.fixed(1)(elapsed()),
      });
    }

    function showResults() {
      measured = measures(data, run.net);
      results.replaceChildren(...resultLines(run, measured, data.lesson_numbers, text));
    }

    function slice(event) {
      if (!running || event.data !== generation) return;
      const begin = performance.now();
      trainUntil(run, epochs(), begin + SLICE_MS);
      clock.work += performance.now() - begin;
      clock.slices += 1;
      timed("slice", begin);
      if (run.epoch >= epochs()) finish();
      else channel.port2.postMessage(generation);
    }

    let drawnEpoch = -1;
    function frame(now) {
      if (!running) return;
      if (clock.last) {
        clock.longestFrame = Math.max(clock.longestFrame, now - clock.last);
        clock.frames += 1;
      }
      clock.last = now;
      requestAnimationFrame(frame);
      // Every frame redrawn would cost the browser its painting, and the training its time.
      if (now - clock.drawn < REDRAW_MS) return;
      clock.drawn = now;
      const begin = performance.now();
      plane.draw(run.net, false);
      if (run.epoch !== drawnEpoch) loss.draw(run.losses, epochs());
      drawnEpoch = run.epoch;
      showProgress();
      clock.drawing += performance.now() - begin;
      timed("frame", begin);
    }

    function stop() {
      clock.seconds = elapsed();
      running = false;
      generation += 1;
    }

    /** The last pictures, then, in a task of their own (a few tens of milliseconds), the
     * lesson's measures. */
    function finish() {
      stop();
      const begin = performance.now();
      plane.draw(run.net, true);
      loss.draw(run.losses, epochs());
      showProgress();
      timed("finish", begin);
      const current = generation;
      setTimeout(function () {
        if (generation !== current) return; // Reset or Train again came first
        const begin = performance.now();
        showResults();
        done = true;
        status.textContent = text.say("Done: {epochs} epochs, {steps} steps in {seconds} s.", {
          epochs: text.whole(run.epoch),
          steps: text.whole(run.steps),
          seconds: text.fixed(1)(clock.seconds),
        });
        timed("measures", begin);
      }, 0);
    }

    function timed(what, begin) {
      const spent = performance.now() - begin;
      clock.longestTask = Math.max(clock.longestTask, spent);
      if (spent > 20) clock.tasks.push([what, spent]);
    }

    function train() {
      if (running) return;
      if (done && run.epoch >= epochs()) reset("Training…");
      running = true;
      done = false;
      generation += 1;
      clock.since = performance.now();
      clock.started = clock.started || clock.since;
      clock.last = 0;
      results.replaceChildren();
      status.textContent = text.say("Training…");
      channel.port2.postMessage(generation);
      requestAnimationFrame(frame);
    }

    function pause() {
      if (!running) return;
      stop();
      plane.draw(run.net, true);
      showProgress();
      showResults();
      status.textContent = text.say("Paused.");
    }

    function rebuild() {
      choice = Object.assign({}, choice, {
        depth: Number(made.depth.input.value),
        width: Number(made.width.input.value),
        activation: made.activation.input.value,
      });
      reset("The model changed: it starts again from new weights.");
    }

    channel.port1.onmessage = slice;
    buttons[0].addEventListener("click", train);
    buttons[1].addEventListener("click", pause);
    const invitation = "Press Train to train this model in your browser.";
    buttons[2].addEventListener("click", () => reset(invitation));
    for (const name of ["depth", "width", "activation"]) {
      if (made[name]) made[name].input.addEventListener("change", rebuild);
    }
    made.rate.input.addEventListener("change", () => {
      choice.learningRate = Number(made.rate.input.value);
      run.learningRate = choice.learningRate;
    });
    made.epochs.input.addEventListener("change", () => {
      made.epochs.input.value = String(epochs());
      showProgress();
      loss.draw(run.losses, epochs());
    });
    reset(invitation);

    pages[lesson] = {
      state: () => ({
        lesson: lesson,
        running: running,
        done: done,
        epoch: run.epoch,
        epochs: epochs(),
        steps: run.steps,
        seconds: elapsed(),
        workSeconds: clock.work / 1000,
        drawingSeconds: clock.drawing / 1000,
        slices: clock.slices,
        tasks: clock.tasks,
        loss: run.losses.length ? run.losses[run.losses.length - 1] : null,
        losses: run.losses.slice(),
        longestFrameMs: clock.longestFrame,
        longestTaskMs: clock.longestTask,
        longTasks: longTasks.filter(([at]) => at >= clock.started),
        frames: clock.frames,
        measures: measured,
        lessonNumbers: data.lesson_numbers,
        choice: Object.assign({}, choice, { epochs: epochs(), seed: seed }),
      }),
    };
  }

  function start() {
    const roots = document.querySelectorAll(".ae-trainer[data-trainer]");
    for (const root of roots) {
      build(root, root.dataset.trainer, JSON.parse(root.dataset.words));
      root.classList.add("ae-trainer-ready");
    }
    if (roots.length) (window.requestIdleCallback || setTimeout)(warmUp);
    gallery.trainer.ready = true;
  }

  if (typeof document === "undefined") return; // a test outside a browser: the hooks only
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
