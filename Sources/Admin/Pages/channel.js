// A channel: the player, its figures and graphs of the last hour, stream keys, settings,
// events and recordings, clips cut on the DVR timeline, and the organisation's webhooks with
// their delivery log.

import { createPlayer } from "/player/antenne.js";
import { all, del, get, patch, post } from "./api.js";
import { drawGraph } from "./graph.js";
import { timeline } from "./timeline.js";
import {
  bitrate, bytes, confirmAction, el, field, figures, liveFigures, notify, run, time, timers,
} from "./ui.js";

/** How often the figures are asked again, and the graphs, in ms. */
const FIGURES_EVERY = 5_000;
const GRAPHS_EVERY = 10_000;
/** The longest span the clip timeline offers: the graphs' hour. */
const TIMELINE_SPAN = 3_600_000;

function section(id, title, ...children) {
  return el("section", { class: "card", id, "aria-labelledby": `${id}-title` }, el("h2", { id: `${id}-title` }, title), ...children);
}

function button(text, onclick, attributes = {}) {
  const node = el("button", { type: "button", ...attributes }, text);
  node.addEventListener("click", () => run(node, () => onclick(node)));
  return node;
}

/** A secret shown once, with a way to copy it. */
function shownOnce(label, secret) {
  const output = el("input", { type: "text", readonly: true, value: secret, class: "secret", "data-secret": label });
  return el("div", { class: "once", role: "alert" },
    el("p", {}, `${label}: shown once, copy it now.`),
    field(label, output),
    button("Copy", async () => { await navigator.clipboard.writeText(secret); notify("Copied."); }));
}

export async function channelView({ show }, id) {
  const channel = await get(`channels/${id}`);
  const view = el("div", { class: "channel-page", "data-channel": channel.name });
  show(el("p", {}, el("a", { href: "#/channels" }, "← Channels")), el("h1", {}, channel.name), view);

  // The player and the figures.
  const video = el("video", { muted: true, playsinline: true, controls: true, "aria-label": `${channel.name} player` });
  const stage = el("div", { class: "player" }, video);
  const now = el("div", { "aria-live": "off" });
  view.append(section("live", "Live", el("div", { class: "split" }, stage, now)));
  const player = createPlayer(video, { targetLatency: 2 });
  player.load(channel.name).catch(() => {});  // offline: the player waits and retries
  timers.onClear(() => player.destroy());
  timers.every(FIGURES_EVERY, async () => {
    const live = await get(`channels/${id}/live`).catch(() => null);
    if (live) now.replaceChildren(figures([...liveFigures(live), ["Renditions", live.renditions.join(", ") || "–"], ...inputFigures(live), ...p2pFigures(channel, live)]));
  });

  // Graphs of the last hour.
  const graphs = [
    { key: "bitrate", title: "Input bitrate", format: bitrate, color: "#2a7ae2" },
    { key: "viewers", title: "Viewers", format: (v) => String(Math.round(v)), integer: true, color: "#1e9e5a" },
    { key: "errors", title: "Playback errors", format: (v) => String(Math.round(v)), integer: true, color: "#d2462e" },
  ].map((g) => ({ ...g, canvas: el("canvas", { role: "img", class: "graph", id: `graph-${g.key}`, "aria-label": g.title }) }));
  view.append(section("graphs", "Last hour",
    el("div", { class: "graphs" }, graphs.map((g) => el("figure", {}, g.canvas, el("figcaption", {}, g.title))))));
  timers.every(GRAPHS_EVERY, async () => {
    const history = await get(`channels/${id}/history`);
    for (const g of graphs) drawGraph(g.canvas, history.samples, g);
  });

  view.append(
    keysSection(channel),
    settingsSection(channel),
    await eventsSection(channel),
    await clipsSection(channel),
    await webhooksSection(channel),
    dangerSection(channel));
}

function keysSection(channel) {
  const list = el("ul", { class: "rows", "aria-label": "Stream keys" });
  const secretBox = el("div");
  const label = el("input", { name: "label", required: true, maxlength: 100, value: "encoder" });
  async function refresh() {
    const keys = await all(`channels/${channel.id}/keys`);
    list.replaceChildren(...keys.map((key) => el("li", { "data-key": key.id, class: key.revokedAt ? "revoked" : "" },
      el("span", {}, el("strong", {}, key.label), " ", el("span", { class: "muted" },
        key.revokedAt ? `revoked ${time(key.revokedAt)}` : `created ${time(key.createdAt)}`)),
      key.revokedAt ? null : el("span", { class: "actions" },
        button("Rotate", async () => {
          if (!await confirmAction(`Rotate the key “${key.label}”? An encoder publishing with it is cut off.`, "Rotate")) return;
          const created = await post(`keys/${key.id}/rotate`, {});
          secretBox.replaceChildren(shownOnce("New stream key", created.secret));
          await refresh();
        }, { "aria-label": `Rotate ${key.label}` }),
        button("Revoke", async () => {
          if (!await confirmAction(`Revoke the key “${key.label}”? An encoder publishing with it is cut off.`, "Revoke")) return;
          await del(`keys/${key.id}`);
          secretBox.replaceChildren();
          await refresh();
        }, { class: "danger", "aria-label": `Revoke ${key.label}` })))));
  }
  const create = el("button", { type: "submit" }, "Create key");
  const form = el("form", {
    class: "inline",
    onsubmit: (event) => {
      event.preventDefault();
      run(create, async () => {
        const created = await post(`channels/${channel.id}/keys`, { label: label.value });
        secretBox.replaceChildren(shownOnce("New stream key", created.secret));
        await refresh();
      });
    },
  }, field("Label", label), create);
  refresh().catch((e) => notify(e.message, "error"));
  return section("keys", "Stream keys",
    el("p", { class: "muted" }, `Encoders publish to rtmp://${location.hostname}:1935/live/{key} (1935 unless the server is told another RTMP port). A key is shown once, when it is made.`),
    list, secretBox, form);
}

/** Backup inputs: the input the channel follows (primary, backup or slate) and the switches made. */
function inputFigures(live) {
  return [["Input", live.input ?? "–"], ["Input switches", String(live.inputSwitches)]];
}

/** Peer-assisted delivery: players in the swarms and the share of bytes from peers, once P2P is on. */
function p2pFigures(channel, live) {
  if (!channel.p2p && !live.p2pPeers) return [];
  const offload = live.p2pOffload === null ? "–" : `${Math.round(live.p2pOffload * 100)} %`;
  return [["P2P peers", String(live.p2pPeers)], ["P2P offload", offload]];
}

function settingsSection(channel) {
  const ladder = el("input", { name: "ladder", value: channel.ladder, required: true });
  const visibility = el("select", { name: "visibility" },
    ["public", "token"].map((v) => el("option", { value: v, selected: v === channel.visibility }, v)));
  const archive = el("input", { type: "checkbox", name: "archive", checked: channel.archive.enabled });
  const p2p = el("input", { type: "checkbox", name: "p2p", checked: channel.p2p });
  const seconds = el("input", { type: "number", name: "retentionSeconds", min: 1, value: channel.archive.retentionSeconds ?? "" });
  const size = el("input", { type: "number", name: "retentionBytes", min: 1, value: channel.archive.retentionBytes ?? "" });
  const save = el("button", { type: "submit" }, "Save settings");
  return section("settings", "Ladder, visibility and archive", el("form", {
    onsubmit: (event) => {
      event.preventDefault();
      run(save, async () => {
        const updated = await patch(`channels/${channel.id}`, {
          ladder: ladder.value, visibility: visibility.value, p2p: p2p.checked,
          archive: {
            enabled: archive.checked,
            retentionSeconds: seconds.value ? Number(seconds.value) : null,
            retentionBytes: size.value ? Number(size.value) : null,
          },
        });
        Object.assign(channel, updated);
        notify("Settings saved.");
      });
    },
  },
  field("Ladder", ladder, "A preset (such as 1080p) or renditions; see the README."),
  field("Visibility", visibility, "token: only viewers with a playback token."),
  el("div", { class: "field check" }, archive, el("label", { for: (archive.id = "archive-enabled") }, "Keep a DVR archive")),
  field("Retention (seconds)", seconds, "Empty: no limit by age."),
  field("Retention (bytes)", size, "Empty: no limit by size."),
  el("div", { class: "field check" }, p2p, el("label", { for: (p2p.id = "p2p-enabled") }, "Peer-assisted delivery (P2P): viewers see each other's addresses")),
  el("div", { class: "actions" }, save)));
}

function isoInput(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

async function eventsSection(channel) {
  const events = el("ul", { class: "rows", "aria-label": "Events" });
  const recordings = el("ul", { class: "rows", "aria-label": "Recordings" });
  const replay = el("div", { class: "player", hidden: true });
  async function refresh() {
    const [eventItems, recordingItems] = await Promise.all([all(`channels/${channel.id}/events`), all(`channels/${channel.id}/recordings`)]);
    events.replaceChildren(...eventItems.map((e) => el("li", {},
      el("span", {}, el("strong", {}, e.title), " ", el("span", { class: "muted" }, `${time(e.startsAt)} – ${time(e.endsAt)}`)),
      button("Delete", async () => {
        if (!await confirmAction(`Delete the event “${e.title}”? Its recording stays.`, "Delete")) return;
        await del(`events/${e.id}`);
        await refresh();
      }, { class: "danger", "aria-label": `Delete event ${e.title}` }))));
    recordings.replaceChildren(...recordingItems.reverse().map((r) => el("li", {},
      el("span", {}, el("strong", {}, r.title), " ", el("span", { class: "muted" },
        `${r.origin} · ${time(r.startsAt)} – ${r.endsAt ? time(r.endsAt) : "now"}`)),
      el("span", { class: "actions" },
        button("Play", () => {
          replay.hidden = false;
          const video = el("video", { controls: true, muted: true, playsinline: true, "aria-label": `Recording ${r.title}` });
          replay.replaceChildren(video);
          const player = createPlayer(video, {});
          timers.onClear(() => player.destroy());
          player.load(r.playbackPath).catch((e) => notify(e.message, "error"));
        }, { "aria-label": `Play recording ${r.title}` }),
        button("Delete", async () => {
          if (!await confirmAction(`Delete the recording “${r.title}”?`, "Delete")) return;
          await del(`recordings/${r.id}`);
          await refresh();
        }, { class: "danger", "aria-label": `Delete recording ${r.title}` })))));
  }
  const title = el("input", { name: "title", required: true, maxlength: 200 });
  const starts = el("input", { type: "datetime-local", name: "startsAt", required: true, value: isoInput(new Date(Date.now() + 3_600_000)) });
  const ends = el("input", { type: "datetime-local", name: "endsAt", required: true, value: isoInput(new Date(Date.now() + 7_200_000)) });
  const create = el("button", { type: "submit" }, "Schedule event");
  const form = el("form", {
    class: "inline",
    onsubmit: (event) => {
      event.preventDefault();
      run(create, async () => {
        await post(`channels/${channel.id}/events`, {
          title: title.value, startsAt: new Date(starts.value).toISOString(), endsAt: new Date(ends.value).toISOString(),
        });
        title.value = "";
        await refresh();
      });
    },
  }, field("Title", title), field("Starts", starts), field("Ends", ends), create);
  await refresh();
  return section("events", "Events and recordings",
    el("h3", {}, "Events"), events, form, el("h3", {}, "Recordings"), recordings, replay);
}

async function clipsSection(channel) {
  const list = el("ul", { class: "rows", "aria-label": "Clips" });
  const preview = el("div", { class: "player", hidden: true });
  const holder = el("div");
  let line = null;

  async function drawTimeline() {
    if (!channel.archive.enabled) {
      holder.replaceChildren(el("p", {}, "The archive is off: turn it on in the settings to cut clips."));
      line = null;
      return;
    }
    // The archived span: the oldest recording still open or within the hour, up to now.
    const recordings = await all(`channels/${channel.id}/recordings`);
    const end = Date.now() - 1_000;
    const starts = recordings.filter((r) => !r.endsAt || Date.parse(r.endsAt) > end - TIMELINE_SPAN).map((r) => Date.parse(r.startsAt));
    const start = Math.max(end - TIMELINE_SPAN, starts.length ? Math.min(...starts) : end - 600_000);
    line = timeline(start, end);
    holder.replaceChildren(line.node);
  }

  async function refresh() {
    const clips = await all(`channels/${channel.id}/clips`);
    list.replaceChildren(...clips.reverse().map((c) => el("li", { "data-clip": c.id, "data-status": c.status },
      el("span", {}, el("strong", {}, c.title ?? "clip"), " ", el("span", { class: "muted" },
        `${time(c.start)} · ${c.duration.toFixed(1)} s · ${c.status}` + (c.status === "processing" ? ` ${Math.round(c.progress * 100)} %` : "")
        + (c.size ? ` · ${bytes(c.size)}` : "") + (c.error ? ` · ${c.error}` : ""))),
      el("span", { class: "actions" },
        c.status === "ready" ? button("Play", () => {
          preview.hidden = false;
          const video = el("video", { controls: true, muted: true, playsinline: true, src: c.downloadPath, id: "clip-video", "aria-label": `Clip ${c.title ?? ""}` });
          preview.replaceChildren(video, el("p", {}, el("a", { href: c.downloadPath, download: "" }, "Download the MP4")));
          video.play().catch(() => {});
        }, { "aria-label": `Play clip ${c.title ?? ""}` }) : null,
        button("Delete", async () => {
          if (!await confirmAction("Delete this clip?", "Delete")) return;
          await del(`clips/${c.id}`);
          await refresh();
        }, { class: "danger", "aria-label": `Delete clip ${c.title ?? ""}` })))));
    return clips;
  }

  const title = el("input", { name: "title", maxlength: 200, value: "clip" });
  const cut = el("button", { type: "submit" }, "Make clip");
  const form = el("form", {
    onsubmit: (event) => {
      event.preventDefault();
      run(cut, async () => {
        if (!line) return;
        const { start, end } = line.value();
        await post(`channels/${channel.id}/clips`, {
          start: new Date(start).toISOString(), duration: (end - start) / 1000, title: title.value || undefined,
        });
        notify("Clip queued.");
        await refresh();
      });
    },
  }, holder, field("Title", title), el("div", { class: "actions" },
    el("button", { type: "button", onclick: () => drawTimeline().catch((e) => notify(e.message, "error")) }, "Refresh timeline"), cut));
  await drawTimeline();
  await refresh();
  // Pending clips become ready within seconds: follow them.
  timers.every(FIGURES_EVERY, () => {
    if (list.querySelector('[data-status="pending"], [data-status="processing"]')) refresh().catch(() => {});
  });
  return section("clips", "Clips", el("p", { class: "muted" }, "Choose the in and out points on the archived timeline."), form, list, preview);
}

async function webhooksSection(channel) {
  const list = el("ul", { class: "rows", "aria-label": "Webhooks" });
  const log = el("div", { class: "log" });
  const secretBox = el("div");
  async function showLog(hook) {
    const deliveries = await all(`webhooks/${hook.id}/deliveries`);
    log.replaceChildren(el("h3", { tabindex: -1, id: "delivery-log" }, `Deliveries to ${hook.url}`),
      deliveries.length ? el("table", { class: "deliveries" },
        el("thead", {}, el("tr", {}, ["Event", "State", "Attempts", "Created", "Delivered", "Last error"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, deliveries.reverse().map((d) => el("tr", { "data-state": d.state },
          el("td", {}, d.event), el("td", {}, d.state), el("td", {}, String(d.attempts)), el("td", {}, time(d.createdAt)),
          el("td", {}, time(d.deliveredAt)), el("td", {}, d.lastError ?? "")))))
        : el("p", {}, "No delivery yet."));
    log.querySelector("h3").focus();
  }
  async function refresh() {
    const hooks = await all(`webhooks?organisationId=${channel.organisationId}`);
    list.replaceChildren(...hooks.map((h) => el("li", { "data-webhook": h.id },
      el("span", {}, el("strong", {}, h.url), " ", el("span", { class: "muted" }, `${h.events.join(", ")}${h.active ? "" : " · inactive"}`)),
      el("span", { class: "actions" },
        button("Delivery log", () => showLog(h), { "aria-label": `Delivery log of ${h.url}` }),
        button("Delete", async () => {
          if (!await confirmAction(`Delete the webhook to ${h.url}, with its deliveries?`, "Delete")) return;
          await del(`webhooks/${h.id}`);
          log.replaceChildren();
          await refresh();
        }, { class: "danger", "aria-label": `Delete webhook ${h.url}` })))));
  }
  const url = el("input", { type: "url", name: "url", required: true, placeholder: "https://example.com/hooks/antenne" });
  const kinds = ["stream.started", "stream.stopped", "transcoder.failed", "channel.unhealthy", "clip.ready"];
  const boxes = kinds.map((k) => el("input", { type: "checkbox", name: "events", value: k, checked: true, id: `hook-${k}` }));
  const create = el("button", { type: "submit" }, "Add webhook");
  const form = el("form", {
    onsubmit: (event) => {
      event.preventDefault();
      run(create, async () => {
        const created = await post("webhooks", {
          organisationId: channel.organisationId, url: url.value, events: boxes.filter((b) => b.checked).map((b) => b.value),
        });
        secretBox.replaceChildren(shownOnce("Signing secret", created.secret));
        url.value = "";
        await refresh();
      });
    },
  }, field("URL", url), el("fieldset", {}, el("legend", {}, "Events"),
    boxes.map((b) => el("span", { class: "check" }, b, el("label", { for: b.id }, b.value)))),
  el("div", { class: "actions" }, create));
  await refresh();
  return section("webhooks", "Webhooks", el("p", { class: "muted" }, "The organisation's webhooks, for all its channels."),
    list, log, secretBox, form);
}

function dangerSection(channel) {
  return section("danger", "Delete",
    el("p", {}, "Deleting the channel deletes its stream keys, events, recordings and clips."),
    button("Delete channel", async () => {
      if (!await confirmAction(`Delete the channel “${channel.name}” with its keys, events, recordings and clips?`, "Delete channel")) return;
      await del(`channels/${channel.id}`);
      location.hash = "#/channels";
    }, { class: "danger" }));
}
