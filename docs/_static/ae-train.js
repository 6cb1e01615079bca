/* ae-gallery's trainers, their mathematics: Keras' training of Dense layers, in plain JavaScript.
 *
 * The backward pass and Adam of the sine-curve autoencoders the trainers (trainer.js) train
 * in the reader's browser, as Keras computes them: the mean squared error (a mean over the
 * outputs and the batch), the activations' derivatives as TensorFlow takes them, and Adam
 * as Keras 3 computes it, with the weights and Adam's moments stored in float32 after every
 * step as Keras stores them. The forward pass is docs/_static/ae-nn.js, shared with the
 * explorers. The site's tests check 300 steps against Keras' own fit.
 *
 * window.aeGallery.train: seeded, network, glorot, setWeights, getWeights, workspace,
 * forward, training, trainUntil.
 */
(function () {
  "use strict";

  const gallery = (window.aeGallery = window.aeGallery || {});
  const nn = gallery.nn;
  if (!nn) throw new Error("ae-train: load _static/ae-nn.js before _static/ae-train.js");


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

  gallery.train = {
    seeded: seeded,
    network: network,
    glorot: glorot,
    setWeights: setWeights,
    getWeights: getWeights,
    workspace: workspace,
    forward: forward,
    training: training,
    trainUntil: trainUntil,
  };
})();
