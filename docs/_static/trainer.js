/* ae-gallery's trainers: a lesson's sine-curve autoencoder, trained in the reader's browser.
 *
 * Each trainer's data (the lesson's layers, Adam's settings, budget, the noisy sine points and
 * the numbers the lesson measured) comes from a script of the site, _static/.../<lesson>.js,
 * written at build time by docs/_ext/trainer_data.py into window.aeGalleryTrainers. Nothing
 * is fetched. Training runs on the page's own thread (a page opened from disk cannot start a
 * worker) in slices of a few milliseconds between animation frames, so the page stays
 * responsive and its pictures move while it learns.
 *
 * The page's side: each trainer's controls, buttons, pictures and words, and its training
 * in slices. It is built from the trainers' other scripts, loaded before it: ae-nn.js (the
 * forward pass, shared with the explorers), ae-train.js (Keras' backward pass and Adam, in
 * float32 as Keras computes them), trainer-lesson.js (the lesson's data and measures, and
 * window.aeGallery.trainer, the hooks for tests) and trainer-views.js (what it draws and
 * says).
 */
(function () {
  "use strict";

  const gallery = (window.aeGallery = window.aeGallery || {});
  const nn = gallery.nn;
  const lessonSide = gallery.trainerLesson;
  const views = gallery.trainerViews;
  if (!nn || !lessonSide || !views) {
    throw new Error("trainer: load ae-nn.js, ae-train.js, trainer-lesson.js, trainer-views.js first");
  }
  const { trainUntil } = gallery.train;
  const { SEED, trainerData, lessonChoice, freshTraining, measures, warmUp } = lessonSide;
  const { pages, longTasks } = lessonSide;
  const { ACTIVATION_NAMES, budgetSentence, planeView, lossView, resultLines } = views;

  // --- The page ------------------------------------------------------------------------------

  const element = nn.element;
  const fill = nn.fill;

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
