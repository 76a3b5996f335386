// The channels: a live thumbnail each, the encoder's figures, viewers and latency, refreshed
// every few seconds; and a form to create one.

import { all, get, post } from "./api.js";
import { el, field, liveFigures, notify, run, timers } from "./ui.js";

/** How often the figures and thumbnails are asked again, in ms. */
const REFRESH = 5_000;

export function thumbnailURL(name) {
  return `/hls/${encodeURIComponent(name)}/thumbnail.jpg?t=${Date.now()}`;
}

function card(channel, organisation) {
  const image = el("img", { alt: `${channel.name}, live picture`, class: "thumb", width: 320, height: 180, hidden: true });
  image.addEventListener("load", () => { image.hidden = false; placeholder.hidden = true; });
  image.addEventListener("error", () => { image.hidden = true; placeholder.hidden = false; });
  const placeholder = el("div", { class: "thumb placeholder" }, "offline");
  const stats = el("div", { class: "stats" });
  const node = el("li", { class: "channel card", "data-channel": channel.name },
    el("a", { href: `#/channel/${channel.id}`, class: "thumb-link", "aria-label": `Open ${channel.name}` }, image, placeholder),
    el("div", {},
      el("h2", {}, el("a", { href: `#/channel/${channel.id}` }, channel.name)),
      el("p", { class: "muted" }, [organisation, channel.visibility, `ladder ${channel.ladder}`].filter(Boolean).join(" · ")),
      stats));
  async function refresh() {
    const live = await get(`channels/${channel.id}/live`);
    node.dataset.live = live.live;
    stats.replaceChildren(el("dl", { class: "figures compact" },
      liveFigures(live).map(([k, v]) => [el("dt", {}, k), el("dd", { "data-figure": k }, v)])));
    if (live.live && channel.visibility === "public") image.src = thumbnailURL(channel.name);
    else { image.hidden = true; placeholder.hidden = false; placeholder.textContent = live.live ? "private" : "offline"; }
  }
  return { node, refresh };
}

export async function channelsView({ who, show }) {
  const channels = await all("channels");
  const organisations = new Map(who.organisations.map((o) => [o.id, o.name]));
  const list = el("ul", { class: "channels", "aria-label": "Channels" });
  const cards = channels.map((c) => card(c, who.admin ? organisations.get(c.organisationId) : undefined));
  list.append(...cards.map((c) => c.node));
  show(el("h1", {}, "Channels"),
    channels.length ? list : el("p", {}, "No channel yet."),
    createForm(who));
  timers.every(REFRESH, () => cards.forEach((c) => c.refresh().catch((e) => notify(e.message, "error"))));
}

function createForm(who) {
  const name = el("input", { name: "name", required: true, maxlength: 64 });
  const organisation = el("select", { name: "organisationId" },
    who.organisations.map((o) => el("option", { value: o.id }, o.name)));
  const button = el("button", { type: "submit" }, "Create channel");
  return el("form", {
    class: "card", "aria-labelledby": "create-title",
    onsubmit: (event) => {
      event.preventDefault();
      run(button, async () => {
        const body = { name: name.value };
        if (who.admin) body.organisationId = organisation.value;
        const channel = await post("channels", body);
        location.hash = `#/channel/${channel.id}`;
      });
    },
  },
  el("h2", { id: "create-title" }, "New channel"),
  field("Name", name, "Lowercase letters, digits, - and _."),
  who.admin ? field("Organisation", organisation) : null,
  el("div", { class: "actions" }, button));
}
