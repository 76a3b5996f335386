// Small DOM helpers shared by the views, the confirmation of destructive actions and the
// formats of figures.

/** An element with attributes (on* are listeners) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, value);
  }
  node.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null));
  return node;
}

/** A labelled form field: the label names the control, for screen readers and for tests. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), control, hint ? el("small", {}, hint) : null);
}

/** Asks before a destructive action; resolves true if confirmed. Escape or Cancel says no. */
export function confirmAction(text, action = "Confirm") {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-text").textContent = text;
  document.getElementById("confirm-ok").textContent = action;
  dialog.returnValue = "cancel";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

/** A short message in the live region. */
export function notify(text, kind = "info") {
  const notice = document.getElementById("notice");
  notice.textContent = text;
  notice.className = kind;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { notice.textContent = ""; notice.className = ""; }, 6000);
}

/** Runs an action from a button: disables it meanwhile, reports a failure. */
export async function run(button, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (error) {
    notify(error.message, "error");
  } finally {
    if (button) button.disabled = false;
  }
}

export function bitrate(bps) {
  if (bps === null || bps === undefined) return "–";
  return bps >= 1e6 ? `${(bps / 1e6).toFixed(2)} Mb/s` : `${Math.round(bps / 1e3)} kb/s`;
}

export function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function number(value, digits = 1, unit = "") {
  return value === null || value === undefined ? "–" : `${Number(value).toFixed(digits)}${unit}`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : "–";
}

/** The input figures of a live status, as label/value pairs. */
export function liveFigures(live) {
  return [
    ["Status", live.live ? "live" : "offline"],
    ["Codec", [live.videoCodec, live.audioCodec].filter(Boolean).join(", ") || "–"],
    ["Resolution", live.width ? `${live.width}×${live.height}` : "–"],
    ["Bitrate", bitrate(live.bitrate)],
    ["Frame rate", number(live.framesPerSecond, 1, " fps")],
    ["Key frames every", number(live.keyFrameInterval, 2, " s")],
    ["Viewers", String(live.viewers)],
    ["Latency", number(live.latency, 1, " s")],
  ];
}

/** A definition list of figures; `name` marks each value for tests (`data-figure`). */
export function figures(pairs) {
  return el("dl", { class: "figures" }, pairs.map(([k, v]) => [el("dt", {}, k), el("dd", { "data-figure": k }, v)]));
}

/** Timers of the view on screen, stopped when the view changes. */
export const timers = {
  list: [],
  cleanups: [],
  every(ms, fn) { fn(); this.list.push(setInterval(fn, ms)); },
  /** `fn` runs when the view is left (a player to stop). */
  onClear(fn) { this.cleanups.push(fn); },
  clear() {
    this.list.forEach(clearInterval);
    this.cleanups.forEach((fn) => fn());
    this.list = [];
    this.cleanups = [];
  },
};
