// The back-office: log in with an API token, then one view at a time by the URL's fragment:
// #/channels, #/channel/{id}, #/server. Every figure comes from the control API, scoped to the
// token's organisation (the server admin sees every organisation).

import { APIError, session, whoami } from "./api.js";
import { el, field, notify, run, timers } from "./ui.js";
import { channelsView } from "./channels.js";
import { channelView } from "./channel.js";
import { serverView } from "./server.js";

const main = document.getElementById("main");
let who = null;

function show(...nodes) {
  timers.clear();
  main.replaceChildren(...nodes);
}

function loginView(message) {
  const input = el("input", { type: "password", name: "token", autocomplete: "current-password", required: true, id: "token" });
  const button = el("button", { type: "submit" }, "Log in");
  const form = el("form", {
    class: "card narrow", "aria-labelledby": "login-title",
    onsubmit: (event) => {
      event.preventDefault();
      run(button, () => login(input.value.trim()));
    },
  },
  el("h1", { id: "login-title" }, "Back-office"),
  el("p", {}, "Log in with an API token: an organisation's token shows its channels; the server admin token shows all."),
  message ? el("p", { class: "error", role: "alert" }, message) : null,
  field("API token", input),
  el("div", { class: "actions" }, button));
  document.getElementById("nav").hidden = true;
  show(form);
  input.focus();
}

async function login(token) {
  session.token = token;
  try {
    who = await whoami();
  } catch (error) {
    session.token = null;
    who = null;
    loginView(error instanceof APIError && error.status === 401 ? "This token is not valid." : error.message);
    return;
  }
  if (!location.hash || location.hash === "#/login") location.hash = "#/channels";
  else route();
}

function route() {
  if (!session.token) return loginView();
  if (!who) return login(session.token);
  document.getElementById("nav").hidden = false;
  document.getElementById("nav-server").hidden = !who.admin;
  document.getElementById("who").textContent = who.admin ? "Server admin" : who.organisations.map((o) => o.name).join(", ");
  for (const link of document.querySelectorAll("#nav a")) {
    link.toggleAttribute("aria-current", location.hash.startsWith(link.getAttribute("href")));
  }
  const [, view, id] = location.hash.split("/");
  const context = { who, show, main };
  const render = view === "channel" && id ? channelView(context, decodeURIComponent(id))
    : view === "server" ? serverView(context)
      : channelsView(context);
  Promise.resolve(render).catch((error) => {
    if (error instanceof APIError && error.status === 401) {
      session.token = null;
      who = null;
      return loginView("The token is no longer valid.");
    }
    notify(error.message, "error");
  });
  main.focus({ preventScroll: true });
}

document.getElementById("logout").addEventListener("click", () => {
  session.token = null;
  who = null;
  location.hash = "#/login";
  loginView();
});
addEventListener("hashchange", route);
route();
