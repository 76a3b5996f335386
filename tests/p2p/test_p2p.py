"""Peer-assisted delivery in headless Chromium on loopback (issue 17): a channel with P2P on, a
swarm of data-only peers (p2pdata.js: the player's P2P code without decoding) and real players
in the P2P preset or at the LL-HLS live edge.

- later joiners take most of their segment bytes from peers in the P2P preset, and parts from
  peers at the LL-HLS edge, with no stall;
- a peer that serves corrupted objects is caught by the digest and banned, and nothing it sent
  reaches a SourceBuffer;
- the only holder of an object, killed mid-transfer, costs the player no stall: HTTP in time.
"""

from __future__ import annotations

import time

from player import browser_console
from swarm import farm_state, offload, open_farm, open_player, player_state, wait_playing

ANTENNE_ARGS = ["--p2p", "demo"]

# Seconds the later joiners are watched once playing: about a dozen segments.
WATCH = 30


def test_later_joiners_take_bytes_from_peers_in_both_modes_without_stalls(antenne, publisher, browsers):
    farm = browsers()
    open_farm(farm, antenne, count=3)
    # Data peers following the parts' preload hints 1 s behind live, as players at the edge do.
    edge_farm = browsers()
    open_farm(edge_farm, antenne, count=3, latency=1, parts=True)
    time.sleep(10)  # the swarm holds the window's newest segments
    preset, edge = browsers(), browsers()
    open_player(preset, antenne, preset="p2p", debug=True)
    open_player(edge, antenne, p2p=True, debug=True)
    players = [preset, edge]
    for p in players:
        wait_playing(p)
    start = [player_state(p) for p in players]
    time.sleep(WATCH)
    for p, before in zip(players, start):
        s = player_state(p)
        assert s["error"] is None, s
        assert s["currentTime"] - before["currentTime"] > WATCH * 0.8, (before, s)
        assert s["stalls"] == 0, f"{s}\n{browser_console(p)}"
        assert s["corruptAppends"] == 0
    s = player_state(preset)
    assert offload(s["stats"]) >= 0.5, f"{s}\nfarm {farm_state(farm)}\n{browser_console(preset)}"
    # At the edge a part has well under a second for peers: some come from them (the benchmark
    # measures how many), none late enough to stall.
    s, before = player_state(edge), start[1]
    assert s["stats"]["fromPeers"] > before["stats"]["fromPeers"], f"{s}\nfarm {farm_state(edge_farm)}\n{browser_console(edge)}"
    assert sum(x["stats"]["fromPeers"] for x in farm_state(edge_farm)) > 0, farm_state(edge_farm)


def test_a_corrupting_peer_is_caught_banned_and_never_appended(antenne, publisher, browsers):
    farm = browsers()
    # The only other peer: it fetches every segment first and serves it corrupted.
    open_farm(farm, antenne, count=1, corrupt=True)
    time.sleep(8)
    victim = browsers()
    open_player(victim, antenne, preset="p2p", debug=True)
    wait_playing(victim)
    deadline = time.monotonic() + 40
    while not (s := player_state(victim))["banned"]:
        assert time.monotonic() < deadline, f"never banned: {s}\n{farm_state(farm)}\n{browser_console(victim)}"
        time.sleep(0.5)
    assert s["stats"]["rejected"] >= 1
    cheater = farm_state(farm)[0]["id"]
    assert cheater in s["banned"]
    before = s["currentTime"]
    time.sleep(10)
    s = player_state(victim)
    assert s["error"] is None and s["currentTime"] - before > 8, s
    assert s["corruptAppends"] == 0, s
    assert s["stalls"] == 0, s
    # Nothing taken from the cheater after the ban: every byte came over HTTP.
    assert s["stats"]["peerBytes"] == 0, s


def test_killing_the_only_holder_mid_transfer_falls_back_to_http_in_time(antenne, publisher, browsers):
    holder = browsers()
    # Upload capped at 40 kB/s: every transfer of a ~250 kB segment lasts seconds.
    open_farm(holder, antenne, count=1, uploadRate=40_000)
    time.sleep(8)
    viewer = browsers()
    open_player(viewer, antenne, preset="p2p", debug=True)
    wait_playing(viewer)
    # Wait until the viewer is connected to the holder, then kill the holder's browser.
    deadline = time.monotonic() + 30
    while player_state(viewer)["peers"] < 1:
        assert time.monotonic() < deadline, f"no connection: {player_state(viewer)}\n{browser_console(viewer)}"
        time.sleep(0.25)
    time.sleep(3)
    browsers.kill(holder)
    before = player_state(viewer)
    time.sleep(20)
    s = player_state(viewer)
    assert s["error"] is None, s
    assert s["stalls"] == 0, f"{s}\n{browser_console(viewer)}"
    assert s["currentTime"] - before["currentTime"] > 16, (before, s)
    assert s["stats"]["fromHttp"] > before["stats"]["fromHttp"], (before, s)
