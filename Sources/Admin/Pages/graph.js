// A line graph of the last hour on a <canvas>, drawn in the page: no library. Gaps (null
// values: the channel was offline) break the line.

/** 1, 2, 2.5 or 5 times a power of ten, at least `value`: a step between grid lines; a whole
 *  number for counts. */
function niceStep(value, integer) {
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= value && (!integer || Number.isInteger(s)));
  return integer ? Math.max(1, step) : step;
}

/** The seconds shown: the samples' age in whole minutes, from five minutes up to `span`, so a
 *  server that just started has a readable graph. */
function shownSpan(samples, now, span) {
  const oldest = Math.min(now, ...samples.map((s) => Date.parse(s.at)));
  return Math.min(span, Math.max(300, Math.ceil((now - oldest) / 60_000) * 60));
}

/** Draws `samples` ({at, [key]}) over at most the `span` seconds up to now. The canvas says what
 *  it shows in its label, for those who cannot see it, and how many points it drew (data-points).
 *  `integer`: the values are counts, so grid lines fall on whole numbers. */
export function drawGraph(canvas, samples, { key, title, format, span = 3600, integer = false, color = "#2a7ae2" }) {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 160;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);

  const style = getComputedStyle(canvas);
  const ink = style.color || "#222";
  const pad = { left: 64, right: 12, top: 12, bottom: 22 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const now = Date.now();
  const shown = shownSpan(samples, now, span);
  const from = now - shown * 1000;
  const points = samples
    .map((s) => ({ t: Date.parse(s.at), v: s[key] }))
    .filter((p) => p.t >= from);
  const values = points.map((p) => p.v).filter((v) => v !== null && v !== undefined);
  // Four grid rows or so, on round values, above the highest point.
  const step = niceStep(Math.max(1, ...values) / 4, integer);
  const max = Math.max(step, Math.ceil(Math.max(0, ...values) / step) * step);
  const x = (t) => pad.left + ((t - from) / (shown * 1000)) * plotW;
  const y = (v) => pad.top + plotH - (v / max) * plotH;

  g.font = "11px system-ui, sans-serif";
  g.fillStyle = ink;
  g.strokeStyle = "rgba(128,128,128,0.35)";
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (let v = 0; v <= max + step / 2; v += step) {
    g.beginPath();
    g.moveTo(pad.left, y(v));
    g.lineTo(pad.left + plotW, y(v));
    g.stroke();
    g.fillText(format(v), pad.left - 6, y(v));
  }
  // A tick every 1, 2, 5, 10 or 15 minutes: at most six.
  const minutes = shown / 60;
  const every = [1, 2, 5, 10, 15].find((m) => minutes / m <= 6);
  g.textAlign = "center";
  g.textBaseline = "top";
  for (let m = 0; m <= minutes; m += every) {
    g.fillText(m === 0 ? "now" : `−${m} min`, x(now - m * 60_000), pad.top + plotH + 6);
  }

  // The line, broken at gaps, and a dot on a lone point.
  g.strokeStyle = color;
  g.fillStyle = color;
  g.lineWidth = 2;
  let drawn = 0;
  let open = false;
  g.beginPath();
  for (const p of points) {
    if (p.v === null || p.v === undefined) { open = false; continue; }
    if (open) g.lineTo(x(p.t), y(p.v));
    else g.moveTo(x(p.t), y(p.v));
    open = true;
    drawn += 1;
  }
  g.stroke();
  if (drawn === 1) {
    const p = points.find((q) => q.v !== null && q.v !== undefined);
    g.beginPath();
    g.arc(x(p.t), y(p.v), 3, 0, 2 * Math.PI);
    g.fill();
  }
  const last = [...points].reverse().find((p) => p.v !== null && p.v !== undefined);
  canvas.dataset.points = String(drawn);
  canvas.setAttribute("aria-label", `${title} over the last ${Math.round(minutes)} minutes: ${drawn} samples`
    + (last ? `, latest ${format(last.v)}` : ""));
}
