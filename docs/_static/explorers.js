/* ae-gallery's live explorers: a lesson's trained decoder, run in the reader's browser.
 *
 * The data of each explorer (its decoders' layers and weights, the digits it offers) comes
 * from a script of the site, _static/explorers/<name>.js, written at build time by
 * docs/_ext/explorer_data.py from the very weights the lesson's figures came from. Nothing is
 * fetched, so a page opened from disk works as well as one served over HTTP.
 *
 * The forward pass is docs/_static/ae-nn.js (window.aeGallery.nn), which the page loads first:
 * the few layer kinds the lessons' decoders use (dense, 2-D convolution with 'same' padding,
 * nearest upsampling, reshape), summed in float64 and stored in float32, as Keras stores
 * them.
 *
 * For tests and the curious: window.aeGallery.decode(explorer, model, code) returns the
 * decoded values (a plain array), window.aeGallery.benchmark(explorer, model, n) the median,
 * mean and longest time of n decodes in milliseconds.
 */
(function () {
  "use strict";

  const registry = (window.aeGalleryExplorers = window.aeGalleryExplorers || {});

  // The arrays and the forward pass: docs/_static/ae-nn.js, shared with the trainers.
  const gallery = (window.aeGallery = window.aeGallery || {});
  const nn = gallery.nn;
  if (!nn) throw new Error("explorers: load _static/ae-nn.js before _static/explorers.js");
  const decodeArray = nn.decodeArray;
  const forward = nn.forward;

  // --- Loading ---------------------------------------------------------------------------

  const prepared = {};

  function explorerData(name) {
    if (!prepared[name]) {
      const raw = registry[name];
      if (!raw) throw new Error("explorers: no data for " + name);
      const models = {};
      for (const key of Object.keys(raw.models)) models[key] = nn.prepareModel(raw.models[key]);
      const codes = {};
      for (const key of Object.keys(raw.codes || {})) codes[key] = decodeArray(raw.codes[key]);
      const digits = raw.digits
        ? Object.assign({}, raw.digits, { pixels: decodeArray(raw.digits.images) })
        : null;
      prepared[name] = Object.assign({}, raw, { models: models, codes: codes, digits: digits });
    }
    return prepared[name];
  }

  function decode(name, model, code) {
    return Array.from(forward(explorerData(name).models[model], code));
  }

  function benchmark(name, model, n) {
    const entry = explorerData(name).models[model];
    const size = entry.input.reduce((a, b) => a * b, 1);
    const times = [];
    const code = new Float32Array(size);
    forward(entry, code); // warm the JIT
    const first = performance.now();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < size; j++) code[j] = Math.random() * 2;
      const start = performance.now();
      forward(entry, code);
      times.push(performance.now() - start);
    }
    const mean = (performance.now() - first) / n;
    times.sort((a, b) => a - b);
    // Browsers round performance.now() (to 0.1 ms in Chromium): the mean over all the
    // decodes resolves the small decoders that a median of single decodes cannot.
    return { median: times[Math.floor(n / 2)], mean: mean, max: times[n - 1] };
  }

  // --- Drawing ---------------------------------------------------------------------------

  const { element, fill, uid, onFrame } = nn;

  function numberFormat(digits) {
    const lang = document.documentElement.lang || "en";
    return new Intl.NumberFormat(lang, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  }

  /** A labelled slider and its value, as one row. */
  function slider(label, min, max, step, value, format) {
    const id = uid("ae-explorer-slider");
    const input = element("input", {
      type: "range",
      id: id,
      min: String(min),
      max: String(max),
      step: String(step),
      value: String(value),
    });
    const output = element("output", { for: id, "aria-live": "off" });
    const row = element("div", { class: "ae-explorer-slider" }, [
      element("label", { for: id, text: label }),
      input,
      output,
    ]);
    const show = () => {
      output.textContent = format(Number(input.value));
    };
    input.addEventListener("input", show);
    show();
    return { row: row, input: input, output: output, show: show };
  }

  /** Draw a 28 x 28 image (values 0..1) into a canvas, black on white like the lessons'
   * figures (matplotlib's gray colormap: 0 black, 1 white). */
  function drawDigit(canvas, values) {
    const side = 28;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const v = Math.max(0, Math.min(255, Math.round(values[i] * 255)));
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  function digitCanvas(label) {
    return element("canvas", { width: "28", height: "28", role: "img", "aria-label": label });
  }


  // --- Explorer 1: the code of the sine curve ---------------------------------------------

  function sineCode(root, data, words) {
    const model = "deep_ae";
    const [low, high] = data.code_range;
    const margin = 0.25 * (high - low);
    const min = low - margin;
    const max = high + margin;
    const fmt = numberFormat(2);
    // Where the decimal mark is a comma, coordinates are separated by a semicolon.
    const separator = fmt.format(0.5).includes(",") ? "; " : ", ";
    const width = 640;
    const height = 400;
    const canvas = element("canvas", {
      width: String(width),
      height: String(height),
      role: "img",
      "aria-label": words["Decoded point"],
    });
    const control = slider(words["Code"], min.toFixed(4), max.toFixed(4), ((max - min) / 1000).toFixed(6),
      ((low + high) / 2).toFixed(4), (v) => fmt.format(v));
    const band = element("div", { class: "ae-explorer-band", "aria-hidden": "true" }, [
      element("span", {
        style: `left:${(100 * margin) / (max - min)}%;width:${(100 * (high - low)) / (max - min)}%`,
        title: words["Codes of the data"],
      }),
    ]);
    const status = element("p", { class: "ae-explorer-status", "aria-live": "polite" });
    const point = element("p", { class: "ae-explorer-readout" });
    control.row.appendChild(band);
    root.append(canvas, control.row, point, status);

    // The learnt curve: the decoder's image of codes across the slider's range.
    const steps = 400;
    const curve = [];
    for (let i = 0; i <= steps; i++) {
      const code = min + ((max - min) * i) / steps;
      curve.push({ code: code, xy: forward(explorerData("sine_code").models[model], [code]) });
    }
    // Everything in view: the data and the whole decoded curve, the slider's ends included.
    const xs = [Infinity, -Infinity];
    const ys = [Infinity, -Infinity];
    for (const [x, y] of [...data.dots, ...curve.map((p) => p.xy)]) {
      xs[0] = Math.min(xs[0], x);
      xs[1] = Math.max(xs[1], x);
      ys[0] = Math.min(ys[0], y);
      ys[1] = Math.max(ys[1], y);
    }
    const padX = 0.05 * (xs[1] - xs[0]);
    const padY = 0.1 * (ys[1] - ys[0]);
    const sx = (x) => ((x - xs[0] + padX) / (xs[1] - xs[0] + 2 * padX)) * width;
    const sy = (y) => height - ((y - ys[0] + padY) / (ys[1] - ys[0] + 2 * padY)) * height;
    const ctx = canvas.getContext("2d");

    const path = (points, colour, lineWidth, dash) =>
      nn.strokePath(ctx, sx, sy, points, colour, lineWidth, dash);

    function draw() {
      const code = Number(control.input.value);
      const inside = code >= low && code <= high;
      const xy = forward(explorerData("sine_code").models[model], [code]);
      // The lessons' colours (seaborn's grey ground): blue data, red truth, white curve.
      ctx.fillStyle = "#eaeaf2";
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = "rgba(76, 114, 176, 0.55)";
      for (const [x, y] of data.dots) ctx.fillRect(sx(x) - 1.5, sy(y) - 1.5, 3, 3);
      const within = curve.filter((p) => p.code >= low && p.code <= high).map((p) => p.xy);
      const before = curve.filter((p) => p.code <= low).map((p) => p.xy);
      const after = curve.filter((p) => p.code >= high).map((p) => p.xy);
      path(within, "#ffffff", 8);
      path(before, "#ffffff", 3, [6, 5]);
      path(after, "#ffffff", 3, [6, 5]);
      // The true curve over the learnt one, thin, as in the lesson's figure: both show.
      path(data.curve, "#d62728", 2);
      ctx.beginPath();
      ctx.arc(sx(xy[0]), sy(xy[1]), 8, 0, 2 * Math.PI);
      ctx.fillStyle = inside ? "#ff7f0e" : "#9467bd";
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#000000";
      ctx.stroke();
      point.textContent = `${words["Decoded point"]}: (${fmt.format(xy[0])}${separator}${fmt.format(xy[1])})`;
      const said = inside
        ? `${words["Inside the codes of the data"]} (${fmt.format(low)} … ${fmt.format(high)})`
        : words["Beyond the codes of the data: the decoder continues the curve where no data taught it"];
      // A live region: a screen reader hears it when it changes, not at every step.
      if (status.textContent !== said) status.textContent = said;
      root.classList.toggle("ae-explorer-outside", !inside);
    }
    control.input.addEventListener("input", onFrame(draw));
    draw();
  }

  // --- Explorer 2: paths between digits ---------------------------------------------------

  function digitChoice(label, digits, words, selected) {
    const id = uid("ae-explorer-digit");
    const select = element("select", { id: id });
    digits.labels.forEach((digit, i) => {
      const option = element("option", {
        value: String(i),
        text: fill(words["a {digit}, test image {index}"], {
          digit: digit,
          index: digits.test_index[i],
        }),
      });
      if (i === selected) option.selected = true;
      select.appendChild(option);
    });
    const row = element("div", { class: "ae-explorer-choice" }, [
      element("label", { for: id, text: label }),
      select,
    ]);
    return { row: row, select: select };
  }

  function figure(canvas, caption) {
    return element("figure", { class: "ae-explorer-figure" }, [
      canvas,
      element("figcaption", { text: caption }),
    ]);
  }

  function digitPaths(root, data, words) {
    const model = "conv_ae";
    const digits = data.digits;
    const codes = data.codes[model];
    const codeSize = codes.length / digits.labels.length;
    const pixelsOf = (i) => digits.pixels.subarray(784 * i, 784 * (i + 1));
    const from = digitChoice(words["From"], digits, words, data.start[0]);
    const to = digitChoice(words["To"], digits, words, data.start[1]);
    const fmt = numberFormat(2);
    const t = slider(words["Position on the path, t"], 0, 1, 0.01, 0.5, (v) => fmt.format(v));
    const blendCaption = words["Pixel space: the blend of the two images"];
    const decodedCaption = words["Code space: the decoded blend of the two codes"];
    const blend = digitCanvas(blendCaption);
    const decoded = digitCanvas(decodedCaption);
    const pictures = element("div", { class: "ae-explorer-figures" }, [
      figure(blend, blendCaption),
      figure(decoded, decodedCaption),
    ]);
    root.append(element("div", { class: "ae-explorer-choices" }, [from.row, to.row]), t.row, pictures);

    function draw() {
      const a = Number(from.select.value);
      const b = Number(to.select.value);
      const s = Number(t.input.value);
      const pa = pixelsOf(a);
      const pb = pixelsOf(b);
      const mixed = new Float32Array(784);
      for (let i = 0; i < 784; i++) mixed[i] = ((1 - s) * pa[i] + s * pb[i]) / 255;
      drawDigit(blend, mixed);
      const code = new Float32Array(codeSize);
      for (let i = 0; i < codeSize; i++) {
        code[i] = (1 - s) * codes[a * codeSize + i] + s * codes[b * codeSize + i];
      }
      drawDigit(decoded, forward(data.models[model], code));
    }
    const redraw = onFrame(draw);
    t.input.addEventListener("input", redraw);
    from.select.addEventListener("change", redraw);
    to.select.addEventListener("change", redraw);
    draw();
  }

  // --- Explorer 3: sixteen latent variables -----------------------------------------------

  function latentVariables(root, data, words) {
    const models = [
      ["sparse_ae", words["Without the penalty (λ = 0)"]],
      ["sparse_ae_l1", words["Sparse (λ = 1e-5)"]],
    ];
    const digits = data.digits;
    const choice = digitChoice(words["Test digit"], digits, words, 0);
    const reset = element("button", { type: "button", text: words["Back to the digit's code"] });
    const fmt = numberFormat(2);
    const panels = [];
    for (const [model, title] of models) {
      const ranges = data.ranges[model];
      const size = ranges.length;
      const canvas = digitCanvas(`${words["Decoded digit"]}, ${title}`);
      const sliders = ranges.map(([low, high], i) => {
        const name = `Z${i}`; // counted from 0, as the lesson's Z1 and Z3 (codes[:, 1], [:, 3])
        const span = high - low || 1;
        const range = fill(words["from {low} to {high} on the test digits"], {
          low: fmt.format(low),
          high: fmt.format(high),
        });
        const control = slider(name, low.toFixed(4), high.toFixed(4), (span / 200).toFixed(6),
          low, (v) => fmt.format(v));
        control.input.setAttribute(
          "aria-label",
          `${fill(words["Latent variable {name}"], { name: name })}, ${range}`
        );
        control.row.appendChild(
          element("span", {
            class: "ae-explorer-range",
            title: range,
            text: `${fmt.format(low)} … ${fmt.format(high)}`,
          })
        );
        return control;
      });
      const panel = element("section", { class: "ae-explorer-panel ae-explorer-latent", "aria-label": title }, [
        element("p", { class: "ae-explorer-panel-title", text: title }),
        figure(canvas, words["Decoded digit"]),
        element("div", { class: "ae-explorer-sliders" }, sliders.map((s) => s.row)),
      ]);
      // The code decoded: the digit's own (a slider would round it to its steps) until a
      // slider moves.
      const code = new Float32Array(size);
      const draw = () => drawDigit(canvas, forward(data.models[model], code));
      const redraw = onFrame(draw);
      sliders.forEach((s, j) =>
        s.input.addEventListener("input", () => {
          code[j] = Number(s.input.value);
          redraw();
        })
      );
      panels.push({ model: model, code: code, sliders: sliders, draw: draw, element: panel });
    }
    function toDigit() {
      const i = Number(choice.select.value);
      for (const panel of panels) {
        const size = panel.code.length;
        panel.code.set(data.codes[panel.model].subarray(i * size, (i + 1) * size));
        panel.sliders.forEach((s, j) => {
          s.input.value = String(panel.code[j]);
          s.show();
        });
        panel.draw();
      }
    }
    choice.select.addEventListener("change", toDigit);
    reset.addEventListener("click", toDigit);
    root.append(
      element("div", { class: "ae-explorer-choices" }, [choice.row, reset]),
      element("p", {
        class: "ae-explorer-status",
        text: words["Each slider spans its variable's values in the codes of the test digits."],
      }),
      element("div", { class: "ae-explorer-panels" }, panels.map((p) => p.element))
    );
    toDigit();
  }

  // --- Explorer 4: the plane of codes -----------------------------------------------------

  // matplotlib's tab10, the colours of the lesson's maps.
  const DIGIT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

  function codePlane(root, data, words) {
    const model = "plane_ae";
    const codes = data.codes[model];
    const labels = data.labels;
    // The plane shown: the test digits' codes, and a margin beyond them to decode too.
    const view = data.bounds.map(([low, high]) => {
      const margin = 0.15 * (high - low);
      return [low - margin, high + margin];
    });
    const side = 420;
    const plane = element("canvas", {
      width: String(side),
      height: String(side),
      role: "img",
      "aria-label": words["The codes of the test digits on the plane, coloured by digit"],
      class: "ae-explorer-plane",
    });
    const fmt = numberFormat(2);
    const controls = view.map(([low, high], i) =>
      slider(words[i === 0 ? "First number of the code" : "Second number of the code"],
        low.toFixed(4), high.toFixed(4), ((high - low) / 400).toFixed(6), (low + high) / 2,
        (v) => fmt.format(v)));
    const digitCaption = words["The digit the decoder draws at this code"];
    const digit = digitCanvas(digitCaption);
    const status = element("p", { class: "ae-explorer-status", "aria-live": "polite" });
    const legend = element("ul", { class: "ae-explorer-legend", "aria-label": words["Colours of the digits"] },
      DIGIT_COLOURS.map((colour, d) => element("li", {}, [
        element("span", { class: "ae-explorer-swatch", style: `background:${colour}`, "aria-hidden": "true" }),
        element("span", { text: String(d) }),
      ])));
    root.append(
      element("div", { class: "ae-explorer-figures" }, [
        element("figure", { class: "ae-explorer-figure" }, [plane, legend]),
        element("div", {}, [figure(digit, digitCaption), status]),
      ]),
      ...controls.map((c) => c.row)
    );

    const sx = (x) => ((x - view[0][0]) / (view[0][1] - view[0][0])) * side;
    const sy = (y) => side - ((y - view[1][0]) / (view[1][1] - view[1][0])) * side;
    // The dots are drawn once, then copied under the pointer's cross at every frame.
    const dots = document.createElement("canvas");
    dots.width = dots.height = side;
    const dctx = dots.getContext("2d");
    dctx.fillStyle = "#ffffff";
    dctx.fillRect(0, 0, side, side);
    dctx.globalAlpha = 0.7;
    labels.forEach((d, i) => {
      dctx.fillStyle = DIGIT_COLOURS[d];
      dctx.fillRect(sx(codes[2 * i]) - 1.5, sy(codes[2 * i + 1]) - 1.5, 3, 3);
    });
    const ctx = plane.getContext("2d");

    function nearestLabel(x, y) {
      let best = Infinity;
      let label = null;
      for (let i = 0; i < labels.length; i++) {
        const d = (codes[2 * i] - x) ** 2 + (codes[2 * i + 1] - y) ** 2;
        if (d < best) [best, label] = [d, labels[i]];
      }
      return label;
    }

    function draw() {
      const code = controls.map((c) => Number(c.input.value));
      ctx.drawImage(dots, 0, 0);
      const [px, py] = [sx(code[0]), sy(code[1])];
      ctx.strokeStyle = "#000000";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(px - 10, py);
      ctx.lineTo(px + 10, py);
      ctx.moveTo(px, py - 10);
      ctx.lineTo(px, py + 10);
      ctx.stroke();
      drawDigit(digit, forward(data.models[model], code));
      const said = fill(words["The nearest code of a test digit is a {digit}'s."], {
        digit: nearestLabel(code[0], code[1]),
      });
      if (status.textContent !== said) status.textContent = said;
    }
    const redraw = onFrame(draw);
    controls.forEach((c) => c.input.addEventListener("input", redraw));
    function point(event) {
      const box = plane.getBoundingClientRect();
      const fx = (event.clientX - box.left) / box.width;
      const fy = (event.clientY - box.top) / box.height;
      if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
      const values = [
        view[0][0] + fx * (view[0][1] - view[0][0]),
        view[1][0] + (1 - fy) * (view[1][1] - view[1][0]),
      ];
      controls.forEach((c, i) => {
        c.input.value = String(values[i]);
        c.show();
      });
      redraw();
    }
    plane.addEventListener("pointermove", point);
    plane.addEventListener("pointerdown", point);
    draw();
  }

  const BUILDERS = {
    sine_code: sineCode,
    digit_paths: digitPaths,
    latent_variables: latentVariables,
    code_plane: codePlane,
  };

  function start() {
    for (const root of document.querySelectorAll(".ae-explorer[data-explorer]")) {
      const name = root.dataset.explorer;
      const words = JSON.parse(root.dataset.words);
      BUILDERS[name](root, explorerData(name), words);
      root.classList.add("ae-explorer-ready");
    }
    window.aeGallery.ready = true;
  }

  // Other scripts of the page (ae-nn.js, the trainers) keep their parts of window.aeGallery.
  Object.assign(gallery, { decode: decode, benchmark: benchmark, ready: false });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
