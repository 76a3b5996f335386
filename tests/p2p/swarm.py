"""Pages for the P2P tests and the benchmark: a real player (antenne.js on a <video>) or a farm of
data-only peers (p2pdata.js) in one Chromium page, and what they report."""

from __future__ import annotations

import time

from player import browser_console

# A page of the server's own origin (http://127.0.0.1 is a secure context: WebCrypto works).
BLANK = "/healthz"

PLAYER_JS = """
const [options, done] = [arguments[0], arguments[arguments.length - 1]];
document.body.innerHTML = '<video id="player" muted playsinline autoplay style="width:320px"></video>';
window.__appended = [];
window.__corruptAppends = 0;
const marker = new TextEncoder().encode(options.marker || "ANTENNE-P2P-CORRUPT");
const append = SourceBuffer.prototype.appendBuffer;
SourceBuffer.prototype.appendBuffer = function (data) {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const tail = bytes.subarray(Math.max(0, bytes.length - marker.length));
  if (tail.length === marker.length && tail.every((b, i) => b === marker[i])) window.__corruptAppends += 1;
  window.__appended.push(bytes.length);
  return append.call(this, data);
};
import('/player/antenne.js').then(({ createPlayer }) => {
  const player = createPlayer(document.getElementById('player'), options.player);
  window.__player = player;
  window.__stalls = 0;
  window.__stallMs = 0;
  window.__loadedAt = performance.now();
  player.on('stall', ({ state, duration }) => { if (state === 'start') window.__stalls += 1; else window.__stallMs += duration * 1000; });
  player.on('firstframe', ({ elapsed }) => { window.__startup = elapsed; });
  player.load(options.channel, { token: options.token }).catch((e) => { window.__error = String(e); });
  done(true);
}).catch((e) => done(String(e)));
"""

PLAYER_STATE_JS = """
const p = window.__player, v = document.getElementById('player');
if (!p) return null;
const agent = p.session && p.session.p2p;
return {
  currentTime: v.currentTime, paused: v.paused, error: window.__error || null,
  stalls: window.__stalls, stallMs: window.__stallMs, startup: window.__startup ?? null,
  latency: p.latency ?? null, stats: { ...p.p2pStats },
  corruptAppends: window.__corruptAppends, appended: window.__appended.length,
  banned: agent ? [...agent.banned] : [], peers: agent ? [...agent.peers.values()].filter((x) => x.open).length : 0,
  id: agent ? agent.id ?? null : null,
};
"""

FARM_JS = """
const [options, done] = [arguments[0], arguments[arguments.length - 1]];
import('/player/p2pdata.js').then(async ({ DataPeer }) => {
  window.__peers = [];
  for (let i = 0; i < options.count; i += 1) {
    const peer = new DataPeer({ base: location.origin + '/', channel: options.channel, token: options.token, ...options.peer });
    window.__peers.push(peer);
    await peer.start().catch((e) => { peer.error = String(e); });
  }
  done(true);
}).catch((e) => done(String(e)));
"""

FARM_STATE_JS = """
return (window.__peers || []).map((p) => ({ stats: { ...p.stats }, error: p.error || null, id: p.agent ? p.agent.id ?? null : null,
  peers: p.agent ? [...p.agent.peers.values()].filter((x) => x.open).length : 0 }));
"""


def open_player(driver, antenne, channel: str = "demo", token: str | None = None, **player_options) -> None:
    driver.get(antenne.url(BLANK))
    result = driver.execute_async_script(PLAYER_JS, {"channel": channel, "token": token, "player": player_options})
    assert result is True, f"player did not load: {result}\n{browser_console(driver)}"


def open_farm(driver, antenne, count: int, channel: str = "demo", token: str | None = None, **peer_options) -> None:
    driver.get(antenne.url(BLANK))
    result = driver.execute_async_script(FARM_JS, {"channel": channel, "token": token, "count": count, "peer": peer_options})
    assert result is True, f"data peers did not start: {result}\n{browser_console(driver)}"


def player_state(driver) -> dict:
    return driver.execute_script(PLAYER_STATE_JS)


def farm_state(driver) -> list[dict]:
    return driver.execute_script(FARM_STATE_JS)


def wait_playing(driver, timeout: float = 40.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        s = player_state(driver)
        if s and s["currentTime"] > 0 and not s["paused"]:
            return s
        if s and s["error"]:
            raise AssertionError(f"player failed: {s['error']}\n{browser_console(driver)}")
        if time.monotonic() > deadline:
            raise AssertionError(f"player did not start within {timeout}s: {s}\n{browser_console(driver)}")
        time.sleep(0.25)


def offload(stats: dict) -> float:
    total = stats["httpBytes"] + stats["peerBytes"]
    return stats["peerBytes"] / total if total else 0.0
