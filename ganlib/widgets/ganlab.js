// The canvas front-end of ganlib.widgets.GANLab (an anywidget ES module).
//
// It only draws: the kernel sends arrays (float32 buffers) in the `frame`, `real` and
// `charts` traits and this module paints them on stacked canvases, one per view, so a view
// switched off is hidden without a redraw.  With `drawing` on, a click or drag on the plane
// sprays points and sends them to the kernel ({type: "draw", points: [[x, y], ...]}).

const SIZE = 420;          // px of the plane
const CHART_W = 420;
const CHART_H = 110;
const LAYERS = ["surface", "manifold", "real", "fake", "arrows"];

function floats(view) {
  // A DataView (a binary buffer of the widget state) as a Float32Array.
  if (!view) return new Float32Array(0);
  if (view instanceof Float32Array) return view;
  return new Float32Array(view.buffer, view.byteOffset, view.byteLength / 4);
}

function canvas(cls, w, h) {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  c.className = cls;
  return c;
}

// Diverging colours (as matplotlib's coolwarm_r): t = +1 blue ("real" side), -1 red.
function colour(t) {
  t = Math.max(-1, Math.min(1, t));
  const mid = [242, 242, 242];
  const end = t >= 0 ? [59, 96, 200] : [200, 40, 40];
  const a = Math.abs(t);
  return mid.map((m, i) => Math.round(m + (end[i] - m) * a));
}

function render({ model, el }) {
  el.classList.add("ganlab-view");
  const plane = document.createElement("div");
  plane.className = "ganlab-plane";
  plane.style.width = SIZE + "px";
  plane.style.height = SIZE + "px";
  const layers = {};
  for (const name of LAYERS) {
    layers[name] = canvas("ganlab-layer ganlab-" + name, SIZE, SIZE);
    plane.appendChild(layers[name]);
  }
  const input = canvas("ganlab-layer ganlab-input", SIZE, SIZE);  // takes the pointer
  plane.appendChild(input);
  const phase = document.createElement("div");
  phase.className = "ganlab-phase";
  plane.appendChild(phase);

  const side = document.createElement("div");
  side.className = "ganlab-side";
  const losses = canvas("ganlab-chart ganlab-losses", CHART_W, CHART_H);
  const fit = canvas("ganlab-chart ganlab-fit", CHART_W, CHART_H);
  const legend = document.createElement("div");
  legend.className = "ganlab-legend";
  side.append(legend, losses, fit);
  el.append(plane, side);
  el.dataset.frames = "0";

  const limit = () => model.get("limit") || 3;
  const px = (x) => ((x + limit()) / (2 * limit())) * SIZE;
  const py = (y) => SIZE - ((y + limit()) / (2 * limit())) * SIZE;

  function points(ctx, xy, fill, stroke, r) {
    ctx.fillStyle = fill;
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 0.8;
    for (let i = 0; i + 1 < xy.length; i += 2) {
      if (!Number.isFinite(xy[i]) || !Number.isFinite(xy[i + 1])) continue;
      ctx.beginPath();
      ctx.arc(px(xy[i]), py(xy[i + 1]), r, 0, 2 * Math.PI);
      ctx.fill();
      if (stroke) ctx.stroke();
    }
  }

  function drawSurface(f) {
    const ctx = layers.surface.getContext("2d");
    const n = f.surface_n;
    const values = floats(f.surface);
    const small = canvas("", n, n);
    const sctx = small.getContext("2d");
    const img = sctx.createImageData(n, n);
    const span = f.span || 1;
    for (let i = 0; i < n; i++) {        // row i of the grid: y rising with i
      for (let j = 0; j < n; j++) {
        const v = values[i * n + j];
        const c = Number.isFinite(v) ? colour((v - f.centre) / span) : [0, 0, 0];
        const k = ((n - 1 - i) * n + j) * 4;
        img.data[k] = c[0];
        img.data[k + 1] = c[1];
        img.data[k + 2] = c[2];
        img.data[k + 3] = 255;
      }
    }
    sctx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.clearRect(0, 0, SIZE, SIZE);
    // The grid's values sit at cell centres spread over the whole square.
    const cell = SIZE / (n - 1);
    ctx.drawImage(small, -cell / 2, -cell / 2, SIZE + cell, SIZE + cell);
  }

  function drawManifold(f) {
    const ctx = layers.manifold.getContext("2d");
    ctx.clearRect(0, 0, SIZE, SIZE);
    const m = f.manifold_n;
    const xy = floats(f.manifold);
    ctx.strokeStyle = "rgba(20, 120, 60, 0.75)";
    ctx.lineWidth = 1;
    const at = (r, c) => [xy[(r * m + c) * 2], xy[(r * m + c) * 2 + 1]];
    for (let pass = 0; pass < 2; pass++) {
      for (let a = 0; a < m; a++) {
        ctx.beginPath();
        for (let b = 0; b < m; b++) {
          const [x, y] = pass ? at(b, a) : at(a, b);
          if (b === 0) ctx.moveTo(px(x), py(y));
          else ctx.lineTo(px(x), py(y));
        }
        ctx.stroke();
      }
    }
  }

  function drawArrows(f) {
    const ctx = layers.arrows.getContext("2d");
    ctx.clearRect(0, 0, SIZE, SIZE);
    const fake = floats(f.fake);
    const g = floats(f.arrows);
    ctx.strokeStyle = "rgba(0, 0, 0, 0.85)";
    ctx.lineWidth = 1.2;
    for (let i = 0; i + 1 < g.length; i += 2) {
      const norm = Math.hypot(g[i], g[i + 1]);
      if (!Number.isFinite(norm) || norm === 0) continue;
      // One fixed, saturating scale for every loss: a vanished gradient draws no arrow.
      const length = (0.6 * norm) / (norm + 0.3);
      const x0 = px(fake[i]), y0 = py(fake[i + 1]);
      const x1 = px(fake[i] + (g[i] / norm) * length), y1 = py(fake[i + 1] + (g[i + 1] / norm) * length);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      const ang = Math.atan2(y1 - y0, x1 - x0), head = Math.min(5, Math.hypot(x1 - x0, y1 - y0) / 2);
      ctx.lineTo(x1 - head * Math.cos(ang - 0.5), y1 - head * Math.sin(ang - 0.5));
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(ang + 0.5), y1 - head * Math.sin(ang + 0.5));
      ctx.stroke();
    }
  }

  function drawReal() {
    const ctx = layers.real.getContext("2d");
    ctx.clearRect(0, 0, SIZE, SIZE);
    points(ctx, floats(model.get("real")), "rgba(30, 30, 30, 0.55)", null, 1.6);
  }

  function chart(c, series, ymin, ymax, steps) {
    const ctx = c.getContext("2d");
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, c.width, c.height);
    const pad = 4;
    const n = steps.length;
    if (n < 1) return;
    let lo = ymin, hi = ymax;
    if (lo === null || hi === null) {
      lo = Infinity; hi = -Infinity;
      for (const s of series) for (const v of s.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
      if (hi - lo < 1e-6) { hi += 0.5; lo -= 0.5; }
    }
    const s0 = steps[0], s1 = Math.max(steps[n - 1], s0 + 1);
    const X = (s) => pad + ((s - s0) / (s1 - s0)) * (c.width - 2 * pad);
    const Y = (v) => c.height - pad - ((v - lo) / (hi - lo)) * (c.height - 2 * pad - 12);
    ctx.font = "10px sans-serif";
    let lx = pad;
    for (const s of series) {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 1.3;
      ctx.beginPath();
      let started = false;
      for (let i = 0; i < n; i++) {
        const v = s.values[i];
        if (!Number.isFinite(v)) { started = false; continue; }
        if (!started) { ctx.moveTo(X(steps[i]), Y(v)); started = true; } else ctx.lineTo(X(steps[i]), Y(v));
      }
      ctx.stroke();
      ctx.fillStyle = s.colour;
      ctx.fillText(s.label, lx, 10);
      lx += ctx.measureText(s.label).width + 12;
    }
    ctx.fillStyle = "#555";
    ctx.fillText(`${lo.toPrecision(3)} … ${hi.toPrecision(3)}, steps ${s0}-${steps[n - 1]}`, lx, 10);
  }

  function drawCharts() {
    const h = model.get("charts") || {};
    const steps = Array.from(floats(h.step));
    chart(losses, [
      { label: "D loss", colour: "#1f5fbf", values: floats(h.d_loss) },
      { label: "G loss", colour: "#d62728", values: floats(h.g_loss) },
    ], null, null, steps);
    const fsteps = Array.from(floats(h.fit_step));
    const series = [{ label: "JS divergence (bits)", colour: "#7b3294", values: floats(h.js) }];
    if (h.modes) series.push({ label: "share of modes covered", colour: "#1a9850", values: floats(h.modes) });
    chart(fit, series, 0, 1, fsteps);
  }

  function drawFrame() {
    const f = model.get("frame");
    if (!f || !f.surface) return;
    drawSurface(f);
    drawManifold(f);
    const ctx = layers.fake.getContext("2d");
    ctx.clearRect(0, 0, SIZE, SIZE);
    points(ctx, floats(f.fake), "rgba(255, 200, 0, 0.95)", "rgba(60, 40, 0, 0.9)", 2.6);
    drawArrows(f);
    legend.textContent = f.legend || "";
    el.dataset.step = String(f.step);
    el.dataset.dUpdates = String(f.d_updates);
    el.dataset.frames = String(Number(el.dataset.frames) + 1);
  }

  function applyViews() {
    const on = new Set(model.get("views") || []);
    for (const name of LAYERS) layers[name].style.display = on.has(name) ? "" : "none";
  }

  function applyPhase() {
    const p = model.get("phase") || "";
    phase.textContent = p;
    phase.style.display = p ? "" : "none";
  }

  function applyDrawing() {
    plane.classList.toggle("ganlab-drawing", !!model.get("drawing"));
  }

  // ---------------------------------------------------------------- drawing real points
  let pending = [];
  let down = false;
  let timer = null;
  function spray(ev) {
    const r = input.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * 2 * limit() - limit();
    const y = limit() - ((ev.clientY - r.top) / r.height) * 2 * limit();
    const brush = model.get("brush") || 0.06;
    const ctx = layers.real.getContext("2d");
    for (let k = 0; k < 6; k++) {
      // Box-Muller: a small Gaussian spray around the pointer
      const u = Math.random() || 1e-9, v = Math.random();
      const rad = brush * Math.sqrt(-2 * Math.log(u));
      const p = [x + rad * Math.cos(2 * Math.PI * v), y + rad * Math.sin(2 * Math.PI * v)];
      pending.push(p);
      points(ctx, p, "rgba(30, 30, 30, 0.55)", null, 1.6);
    }
    if (!timer) timer = setTimeout(flush, 80);
  }
  function flush() {
    timer = null;
    if (pending.length) {
      model.send({ type: "draw", points: pending });
      pending = [];
    }
  }
  input.addEventListener("pointerdown", (ev) => {
    if (!model.get("drawing")) return;
    down = true;
    input.setPointerCapture(ev.pointerId);
    spray(ev);
  });
  input.addEventListener("pointermove", (ev) => { if (down && model.get("drawing")) spray(ev); });
  const up = () => { if (down) { down = false; flush(); } };
  input.addEventListener("pointerup", up);
  input.addEventListener("pointercancel", up);

  model.on("change:frame", drawFrame);
  model.on("change:real", drawReal);
  model.on("change:charts", drawCharts);
  model.on("change:views", applyViews);
  model.on("change:phase", applyPhase);
  model.on("change:drawing", applyDrawing);
  drawReal();
  drawFrame();
  drawCharts();
  applyViews();
  applyPhase();
  applyDrawing();
  return () => { if (timer) clearTimeout(timer); };
}

export default { render };
