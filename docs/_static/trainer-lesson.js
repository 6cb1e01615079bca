/* ae-gallery's trainers, the lesson's side: its data, what it measures, and hooks for tests.
 *
 * A trainer's data (the lesson's layers, Adam's settings, budget, the noisy sine points and
 * the numbers the lesson measured) comes from a script of the site, _static/.../<lesson>.js,
 * written at build time by docs/_ext/trainer_data.py into window.aeGalleryTrainers. The
 * measures are those of ae_gallery.latent, which the lesson prints.
 *
 * For tests and the curious, window.aeGallery.trainer:
 *   .ready                     true once every trainer of the page is built (trainer.js);
 *   .state(lesson)             where a trainer stands: its choices, epoch, steps, losses,
 *                              seconds, the longest gap between animation frames and the
 *                              longest task while it trained, the lesson's measures;
 *   .check(lesson, checkData)  trains the lesson's model (its layers and Adam's settings)
 *                              as Keras did for checkData (the site's tests): its epochs
 *                              from its initial weights, over its rows in batches, unshuffled;
 *                              returns {weights: [[...], ...] in Keras' order, steps, seconds};
 *   .train(lesson, options)    trains at once, without the page, the model the trainer starts
 *                              from, or another (options: epochs, seed, learningRate,
 *                              batchSize, depth, width, activation); returns the losses, the
 *                              seconds, the steps and the lesson's measures.
 * window.aeGallery.trainerLesson holds what the page (trainer.js) takes from here.
 */
(function () {
  "use strict";

  const gallery = (window.aeGallery = window.aeGallery || {});
  const nn = gallery.nn;
  const engine = gallery.train;
  if (!nn || !engine) throw new Error("trainer: load _static/ae-nn.js and ae-train.js first");
  const registry = (window.aeGalleryTrainers = window.aeGalleryTrainers || {});
  const { seeded, network, glorot, setWeights, getWeights, workspace, forward } = engine;
  const { training, trainUntil } = engine;

  // The seed of a page's first training (the site's tests expect its results); Reset and
  // every new start take the next one, so that a reader sees how much a training varies.
  const SEED = 1;

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
    const data = trainerData(lesson);
    const sizes = [2, ...data.layers.map((layer) => layer.units)];
    const net = network(sizes, data.layers.map((layer) => layer.activation));
    setWeights(net, checkData.initial.map(nn.decodeArray));
    const rows = nn.decodeArray(checkData.rows);
    const run = training(net, rows, checkData.batch_size, data.adam, null, false);
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
  gallery.trainerLesson = {
    SEED: SEED,
    trainerData: trainerData,
    lessonChoice: lessonChoice,
    freshTraining: freshTraining,
    measures: measures,
    warmUp: warmUp,
    pages: pages,
    longTasks: longTasks,
  };
})();
