/* ae-gallery's small neural-network kit: the mathematics the pages' explorers and trainers share.
 *
 * Arrays come from the site's data scripts as base64 (little-endian float32 or uint8). The
 * forward pass computes the layer kinds the lessons' models use: dense, 2-D convolution with
 * 'same' padding (stride 1), nearest upsampling, reshape; activations linear, relu, elu,
 * sigmoid. Sums are taken in float64 and each layer's output stored in float32, as Keras
 * stores it. docs/_static/explorers.js runs decoders with it; docs/_static/ae-train.js adds
 * the backward pass and Adam on top of its dense layer, for the trainers.
 *
 * With it, the page helpers both use (element, fill, uid, onFrame, strokePath). It is
 * exposed as window.aeGallery.nn. A page may load it twice (an explorer and a trainer on the
 * same page): the first copy stays.
 */
(function () {
  "use strict";

  const gallery = (window.aeGallery = window.aeGallery || {});
  if (gallery.nn) return;

  // --- Arrays ----------------------------------------------------------------------------

  function decodeArray(entry) {
    const binary = atob(entry.data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (entry.dtype === "uint8") return bytes;
    if (entry.dtype !== "float32") throw new Error("ae-nn: unknown dtype " + entry.dtype);
    // Little-endian as written, whatever this machine's order.
    const view = new DataView(bytes.buffer);
    const out = new Float32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  // --- Activations -----------------------------------------------------------------------

  const ACTIVATIONS = ["linear", "relu", "elu", "sigmoid"];

  /** Apply an activation to float64 sums in place; return them as float32 (a new array). */
  function activate(values, name) {
    const kind = activationKind(name);
    for (let i = 0; i < values.length; i++) values[i] = applyKind(values[i], kind);
    return Float32Array.from(values);
  }

  /* Activations by number in the inner loops: a string compared per value costs more than
   * the activation. */
  function activationKind(name) {
    const kind = ACTIVATIONS.indexOf(name);
    if (kind < 0) throw new Error("ae-nn: unknown activation " + name);
    return kind;
  }

  function applyKind(v, kind) {
    if (kind === 0) return v;
    if (kind === 1) return v < 0 ? 0 : v;
    if (kind === 2) return v < 0 ? Math.expm1(v) : v;
    return 1 / (1 + Math.exp(-v));
  }

  // --- Dense -----------------------------------------------------------------------------

  /* ``rows`` inputs at once: out[r] = activation(x[r] . kernel + bias), with the kernel of
   * shape (nIn, nOut) in Keras' row-major order, ``out`` (float32) of rows * nOut values.
   * The trainers call it for a batch, the explorers for one code.
   *
   * Each sum starts from the bias and adds the inputs in order, in float64, and is stored
   * once in float32. Four rows and two outputs are computed together: eight sums held in
   * registers share each value loaded, which makes a batch about three times faster in
   * V8 than one output at a time (JavaScript has no SIMD); the sums are the same. */
  function denseRows(x, rows, kernel, bias, nIn, nOut, activation, out) {
    const kind = activationKind(activation);
    const pairs = nOut - (nOut % 2);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const x0 = r * nIn;
      const x1 = x0 + nIn;
      const x2 = x1 + nIn;
      const x3 = x2 + nIn;
      for (let o = 0; o < pairs; o += 2) {
        let a0 = bias[o], a1 = a0, a2 = a0, a3 = a0;
        let b0 = bias[o + 1], b1 = b0, b2 = b0, b3 = b0;
        for (let i = 0, k = o; i < nIn; i++, k += nOut) {
          const ka = kernel[k];
          const kb = kernel[k + 1];
          const v0 = x[x0 + i], v1 = x[x1 + i], v2 = x[x2 + i], v3 = x[x3 + i];
          a0 += v0 * ka; a1 += v1 * ka; a2 += v2 * ka; a3 += v3 * ka;
          b0 += v0 * kb; b1 += v1 * kb; b2 += v2 * kb; b3 += v3 * kb;
        }
        const p = r * nOut + o;
        out[p] = applyKind(a0, kind);
        out[p + nOut] = applyKind(a1, kind);
        out[p + 2 * nOut] = applyKind(a2, kind);
        out[p + 3 * nOut] = applyKind(a3, kind);
        out[p + 1] = applyKind(b0, kind);
        out[p + 1 + nOut] = applyKind(b1, kind);
        out[p + 1 + 2 * nOut] = applyKind(b2, kind);
        out[p + 1 + 3 * nOut] = applyKind(b3, kind);
      }
    }
    for (; r < rows; r++) {
      const base = r * nIn;
      for (let o = 0; o < pairs; o += 2) {
        let a = bias[o];
        let b = bias[o + 1];
        for (let i = 0, k = o; i < nIn; i++, k += nOut) {
          const v = x[base + i];
          a += v * kernel[k];
          b += v * kernel[k + 1];
        }
        out[r * nOut + o] = applyKind(a, kind);
        out[r * nOut + o + 1] = applyKind(b, kind);
      }
    }
    if (pairs < nOut) {
      // An odd last output (a one-number code): one sum at a time.
      const o = nOut - 1;
      for (let row = 0; row < rows; row++) {
        let a = bias[o];
        for (let i = 0, k = o; i < nIn; i++, k += nOut) a += x[row * nIn + i] * kernel[k];
        out[row * nOut + o] = applyKind(a, kind);
      }
    }
    return out;
  }

  /** One input vector through a dense layer {kernel, kernelShape, bias, activation}. */
  function dense(x, layer) {
    const [nIn, nOut] = layer.kernelShape;
    return denseRows(x, 1, layer.kernel, layer.bias, nIn, nOut, layer.activation,
      new Float32Array(nOut));
  }

  // --- Convolutions and upsampling -------------------------------------------------------

  function conv2d(x, shape, layer) {
    const [h, w, cIn] = shape;
    const [kh, kw, , cOut] = layer.kernelShape;
    // Keras' 'same' padding: an even kernel puts its extra row and column after.
    const top = Math.floor((kh - 1) / 2);
    const left = Math.floor((kw - 1) / 2);
    const kernel = layer.kernel;
    const sums = new Float64Array(h * w * cOut);
    for (let p = 0; p < h * w; p++) sums.set(layer.bias, p * cOut);
    for (let y = 0; y < h; y++) {
      for (let ky = 0; ky < kh; ky++) {
        const iy = y + ky - top;
        if (iy < 0 || iy >= h) continue;
        for (let xx = 0; xx < w; xx++) {
          const out = (y * w + xx) * cOut;
          for (let kx = 0; kx < kw; kx++) {
            const ix = xx + kx - left;
            if (ix < 0 || ix >= w) continue;
            const inBase = (iy * w + ix) * cIn;
            const wBase = (ky * kw + kx) * cIn * cOut;
            if (cOut === 1) {
              let sum = 0;
              for (let c = 0; c < cIn; c++) sum += x[inBase + c] * kernel[wBase + c];
              sums[out] += sum;
            } else {
              for (let c = 0; c < cIn; c++) {
                const v = x[inBase + c];
                if (v === 0) continue;
                const row = wBase + c * cOut;
                for (let o = 0; o < cOut; o++) sums[out + o] += v * kernel[row + o];
              }
            }
          }
        }
      }
    }
    return activate(sums, layer.activation);
  }

  function upsample(x, shape, size) {
    const [h, w, c] = shape;
    const [sy, sx] = size;
    const W = w * sx;
    const out = new Float32Array(h * sy * W * c);
    for (let y = 0; y < h * sy; y++) {
      const from = Math.floor(y / sy) * w;
      for (let xx = 0; xx < W; xx++) {
        const src = (from + Math.floor(xx / sx)) * c;
        out.set(x.subarray(src, src + c), (y * W + xx) * c);
      }
    }
    return out;
  }

  /* A nearest upsampling followed by a 'same' convolution, computed on the small image.
   * An output pixel of the convolution reads the upsampled image at rows y + ky - top; on
   * the small image that is row floor(y / sy) + floor((y % sy + ky - top) / sy), so for each
   * position (py, px) of the output within its sy x sx block, the kernel's taps fall on a
   * few rows and columns of the small image: their weights are added up once, here. The
   * zero padding agrees: a row lies outside the upsampled image exactly when its small
   * row lies outside the small one. For the conv decoder's last layer, 16 taps instead of
   * 49. */
  function fuseUpsampling(up, conv) {
    const [sy, sx] = up.size;
    const [kh, kw, cIn, cOut] = conv.kernelShape;
    const top = Math.floor((kh - 1) / 2);
    const left = Math.floor((kw - 1) / 2);
    const size = cIn * cOut;
    const blocks = [];
    for (let py = 0; py < sy; py++) {
      for (let px = 0; px < sx; px++) {
        const taps = new Map();
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const dy = Math.floor((py + ky - top) / sy);
            const dx = Math.floor((px + kx - left) / sx);
            const key = dy + "," + dx;
            if (!taps.has(key)) taps.set(key, { dy: dy, dx: dx, kernel: new Float64Array(size) });
            const summed = taps.get(key).kernel;
            const from = (ky * kw + kx) * size;
            for (let i = 0; i < size; i++) summed[i] += conv.kernel[from + i];
          }
        }
        blocks.push([...taps.values()]);
      }
    }
    return {
      kind: "upconv2d",
      activation: conv.activation,
      size: [sy, sx],
      cOut: cOut,
      bias: conv.bias,
      blocks: blocks,
    };
  }

  function upconv2d(x, shape, layer) {
    const [h, w, cIn] = shape;
    const [sy, sx] = layer.size;
    const cOut = layer.cOut;
    const W = w * sx;
    const sums = new Float64Array(h * sy * W * cOut);
    for (let p = 0; p < h * sy * W; p++) sums.set(layer.bias, p * cOut);
    for (let py = 0; py < sy; py++) {
      for (let px = 0; px < sx; px++) {
        const taps = layer.blocks[py * sx + px];
        for (let y = 0; y < h; y++) {
          for (let xx = 0; xx < w; xx++) {
            const out = ((y * sy + py) * W + (xx * sx + px)) * cOut;
            for (const tap of taps) {
              const iy = y + tap.dy;
              const ix = xx + tap.dx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const inBase = (iy * w + ix) * cIn;
              const kernel = tap.kernel;
              if (cOut === 1) {
                let sum = 0;
                for (let c = 0; c < cIn; c++) sum += x[inBase + c] * kernel[c];
                sums[out] += sum;
              } else {
                for (let c = 0; c < cIn; c++) {
                  const v = x[inBase + c];
                  if (v === 0) continue;
                  const row = c * cOut;
                  for (let o = 0; o < cOut; o++) sums[out + o] += v * kernel[row + o];
                }
              }
            }
          }
        }
      }
    }
    return activate(sums, layer.activation);
  }

  // --- Models ----------------------------------------------------------------------------

  /** A model as a data script writes it ({input, output, layers}), its arrays decoded and
   * each upsampling fused with the convolution after it. */
  function prepareModel(entry) {
    const decoded = entry.layers.map(function (layer) {
      if (!layer.kernel) return layer;
      return Object.assign({}, layer, {
        kernel: decodeArray(layer.kernel),
        kernelShape: layer.kernel.shape,
        bias: decodeArray(layer.bias),
      });
    });
    const layers = [];
    for (let i = 0; i < decoded.length; i++) {
      const next = decoded[i + 1];
      if (decoded[i].kind === "upsampling2d" && next && next.kind === "conv2d") {
        layers.push(fuseUpsampling(decoded[i], next));
        i += 1;
      } else {
        layers.push(decoded[i]);
      }
    }
    return { input: entry.input, output: entry.output, layers: layers };
  }

  /** A prepared model's output (a Float32Array, in Keras' row, column, channel order). */
  function forward(model, input) {
    let x = Float32Array.from(input);
    let shape = model.input.slice();
    for (const layer of model.layers) {
      if (layer.kind === "dense") {
        x = dense(x, layer);
        shape = [x.length];
      } else if (layer.kind === "conv2d") {
        x = conv2d(x, shape, layer);
        shape = [shape[0], shape[1], layer.kernelShape[3]];
      } else if (layer.kind === "upconv2d") {
        x = upconv2d(x, shape, layer);
        shape = [shape[0] * layer.size[0], shape[1] * layer.size[1], layer.cOut];
      } else if (layer.kind === "upsampling2d") {
        x = upsample(x, shape, layer.size);
        shape = [shape[0] * layer.size[0], shape[1] * layer.size[1], shape[2]];
      } else if (layer.kind === "reshape") {
        shape = layer.shape.slice();
      } else {
        throw new Error("ae-nn: unknown layer kind " + layer.kind);
      }
    }
    return x;
  }

  // --- Drawing ---------------------------------------------------------------------------

  // An element with attributes ("text": its text) and children.
  function element(tag, attributes, children) {
    const el = document.createElement(tag);
    for (const key of Object.keys(attributes || {})) {
      if (key === "text") el.textContent = attributes[key];
      else el.setAttribute(key, attributes[key]);
    }
    for (const child of children || []) el.appendChild(child);
    return el;
  }

  // A template's {fields} filled in from ``values`` (an unknown one stays as it is).
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  }

  // An id no other element of the page has.
  let counter = 0;
  function uid(prefix) {
    counter += 1;
    return prefix + "-" + counter;
  }

  // ``draw``, run once per animation frame however many input events ask for it.
  function onFrame(draw) {
    let pending = false;
    return function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    };
  }

  // A polyline of data points on a canvas; sx and sy map data to pixels.
  function strokePath(ctx, sx, sy, points, colour, lineWidth, dash) {
    ctx.beginPath();
    ctx.setLineDash(dash || []);
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    points.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
    ctx.stroke();
    ctx.setLineDash([]);
  }

  gallery.nn = {
    ACTIVATIONS: ACTIVATIONS,
    element: element,
    fill: fill,
    uid: uid,
    onFrame: onFrame,
    strokePath: strokePath,
    decodeArray: decodeArray,
    activate: activate,
    denseRows: denseRows,
    dense: dense,
    conv2d: conv2d,
    upsample: upsample,
    fuseUpsampling: fuseUpsampling,
    upconv2d: upconv2d,
    prepareModel: prepareModel,
    forward: forward,
  };
})();
