// The server (server admin only): CPU, memory, disk, archive health and transcoders.

import { get } from "./api.js";
import { bytes, el, figures, notify, number, timers } from "./ui.js";

const REFRESH = 5_000;

function meter(label, value, max) {
  if (value === null || value === undefined || !max) return null;
  return el("meter", { min: 0, max, value, "aria-label": label, low: max * 0.7, high: max * 0.9, optimum: 0 });
}

export function serverView({ who, show }) {
  if (!who.admin) {
    show(el("h1", {}, "Server"), el("p", {}, "The server page needs the server admin token."));
    return;
  }
  const host = el("div");
  const archive = el("div");
  const transcoders = el("div");
  show(el("h1", {}, "Server"),
    el("section", { class: "card", "aria-labelledby": "host-title" }, el("h2", { id: "host-title" }, "Host"), host),
    el("section", { class: "card", "aria-labelledby": "archive-title" }, el("h2", { id: "archive-title" }, "Archive"), archive),
    el("section", { class: "card", "aria-labelledby": "transcoders-title" }, el("h2", { id: "transcoders-title" }, "Transcoders"), transcoders));
  timers.every(REFRESH, async () => {
    let s;
    try {
      s = await get("server");
    } catch (error) {
      notify(error.message, "error");
      return;
    }
    const used = s.diskBytes !== null && s.diskFreeBytes !== null ? s.diskBytes - s.diskFreeBytes : null;
    host.replaceChildren(figures([
      ["CPU", s.cpu === null ? "–" : `${(s.cpu * 100).toFixed(0)} % of a core` + (s.cores ? ` (${s.cores} cores)` : "")],
      ["Memory", `${bytes(s.memoryBytes)} of ${bytes(s.memoryTotalBytes)}`],
      ["Disk", `${bytes(used)} used, ${bytes(s.diskFreeBytes)} free of ${bytes(s.diskBytes)}`],
      ["Live channels", String(s.liveChannels)],
      ["Up for", `${Math.floor(s.uptimeSeconds / 3600)} h ${Math.floor(s.uptimeSeconds / 60) % 60} min`],
    ]), el("div", { class: "meters" },
      meter("CPU", s.cpu, s.cores), meter("Memory", s.memoryBytes, s.memoryTotalBytes), meter("Disk", used, s.diskBytes)));
    const a = s.archive;
    archive.replaceChildren(figures([
      ["Health", a.failing ? "failing" : "ok"],
      ["Segments written", String(a.segments)],
      ["Pending", String(a.pending)],
      ["Write failures", String(a.failures)],
      ["Dropped", String(a.dropped)],
    ]));
    archive.dataset.health = a.failing ? "failing" : "ok";
    transcoders.replaceChildren(s.transcoders.length ? el("table", {},
      el("thead", {}, el("tr", {}, ["Channel", "Running", "Speed", "Lag", "Restarts", "Last error"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, s.transcoders.map((t) => el("tr", { "data-channel": t.channel },
        el("td", {}, t.channel), el("td", {}, t.running ? "yes" : "no"), el("td", {}, number(t.speed, 2, "×")),
        el("td", {}, number(t.lagSeconds, 1, " s")), el("td", {}, String(t.restarts)), el("td", {}, t.lastError ?? "")))))
      : el("p", {}, "No transcoder runs."));
  });
}
