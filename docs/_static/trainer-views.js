/* ae-gallery's trainers, what they draw and say: the plane and the loss, the budget and
 * the results, on a canvas and in the page's words (trainer.js builds the page from them).
 *
 * window.aeGallery.trainerViews: planeView, lossView, budgetSentence, resultLines and the
 * activations' names.
 */
(function () {
  "use strict";

  const gallery = (window.aeGallery = window.aeGallery || {});
  const nn = gallery.nn;
  if (!nn || !gallery.train) throw new Error("trainer: load ae-nn.js and ae-train.js first");
  const { workspace, forward } = gallery.train;
  const element = nn.element;

  // Codes decoded to draw the autoencoder's curve.
  const CURVE_POINTS = 160;

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

  gallery.trainerViews = {
    ACTIVATION_NAMES: ACTIVATION_NAMES,
    budgetSentence: budgetSentence,
    planeView: planeView,
    lossView: lossView,
    resultLines: resultLines,
  };
})();
