// The DVR timeline of a clip: in and out points chosen on the archived span of the channel,
// with two sliders (arrow keys move them a second, Page Up/Down ten) over a bar that shows the
// selection.

import { el } from "./ui.js";

function clock(ms) {
  return new Date(ms).toLocaleTimeString();
}

/** A timeline from `start` to `end` (epoch ms); `value()` is the chosen {start, end}. */
export function timeline(start, end) {
  const seconds = Math.max(1, Math.floor((end - start) / 1000));
  const first = Math.max(0, seconds - 30);
  const inPoint = el("input", { type: "range", min: 0, max: seconds, step: 1, value: first, id: "clip-in", name: "in" });
  const outPoint = el("input", { type: "range", min: 0, max: seconds, step: 1, value: seconds, id: "clip-out", name: "out" });
  const inText = el("output", { for: "clip-in" });
  const outText = el("output", { for: "clip-out" });
  const selection = el("div", { class: "selection" });
  const bar = el("div", { class: "track", "aria-hidden": "true" }, selection,
    el("span", { class: "edge left" }, clock(start)), el("span", { class: "edge right" }, clock(end)));
  const length = el("p", { class: "muted", "aria-live": "polite" });

  function update(moved) {
    let a = Number(inPoint.value);
    let b = Number(outPoint.value);
    if (a >= b) {
      if (moved === inPoint) { a = Math.max(0, b - 1); inPoint.value = a; }
      else { b = Math.min(seconds, a + 1); outPoint.value = b; }
    }
    selection.style.left = `${(a / seconds) * 100}%`;
    selection.style.width = `${((b - a) / seconds) * 100}%`;
    inText.textContent = clock(start + a * 1000);
    outText.textContent = clock(start + b * 1000);
    length.textContent = `Clip of ${b - a} s`;
  }
  inPoint.addEventListener("input", () => update(inPoint));
  outPoint.addEventListener("input", () => update(outPoint));
  update();

  const node = el("div", { class: "timeline" }, bar,
    el("div", { class: "field" }, el("label", { for: "clip-in" }, "In point "), inPoint, inText),
    el("div", { class: "field" }, el("label", { for: "clip-out" }, "Out point "), outPoint, outText),
    length);
  return {
    node,
    value() {
      return { start: start + Number(inPoint.value) * 1000, end: start + Number(outPoint.value) * 1000 };
    },
  };
}
