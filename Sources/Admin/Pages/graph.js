// A line graph of the last hour on a <canvas>, drawn in the page: no library. Gaps (null
// values: the channel was offline) break the line.

/** Draws `samples` ({at, [key]}) over the `span` seconds up to now. The canvas says what it
 *  shows in its label, for those who cannot see it, and how many points it drew (data-points). */
export function drawGraph(canvas, samples, { key, title, format, span = 3600, color = "#2a7ae2" }) {
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
  const from = now - span * 1000;
  const points = samples
    .map((s) => ({ t: Date.parse(s.at), v: s[key] }))
    .filter((p) => p.t >= from);
  const values = points.map((p) => p.v).filter((v) => v !== null && v !== undefined);
  const max = Math.max(1, ...values) * 1.1;
  const x = (t) => pad.left + ((t - from) / (span * 1000)) * plotW;
  const y = (v) => pad.top + plotH - (v / max) * plotH;

  // Axes and grid: four rows, a tick every 15 minutes.
  g.font = "11px system-ui, sans-serif";
  g.fillStyle = ink;
  g.strokeStyle = "rgba(128,128,128,0.35)";
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (let i = 0; i <= 4; i += 1) {
    const v = (max / 4) * i;
    g.beginPath();
    g.moveTo(pad.left, y(v));
    g.lineTo(pad.left + plotW, y(v));
    g.stroke();
    g.fillText(format(v), pad.left - 6, y(v));
  }
  g.textAlign = "center";
  g.textBaseline = "top";
  for (let m = 0; m <= span / 60; m += 15) {
    const t = now - (span / 60 - m) * 60_000;
    g.fillText(m === span / 60 ? "now" : `−${span / 60 - m} min`, x(t), pad.top + plotH + 6);
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
  canvas.setAttribute("aria-label", `${title} over the last hour: ${drawn} samples` + (last ? `, latest ${format(last.v)}` : ""));
}
