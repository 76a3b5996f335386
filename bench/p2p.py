#!/usr/bin/env python3
"""Peer-assisted delivery (issue 17): offload, stalls, startup time and latency for 2, 5 and 10
peers of one channel, in the P2P preset (8 s behind live, whole segments), at the LL-HLS edge
(P2P on, default latency, parts), and with P2P off as the baseline at both latencies ("off" at
the P2P preset's, "off-edge" at the LL-HLS edge's).

Each run has two real players (antenne.js on a <video>, each in its own headless Chromium) and
the rest of the peers as data-only peers
(p2pdata.js: the same P2P code without decoding) in one more Chromium page, started first so
the players join a swarm that is already there. The figures are the players': offload = bytes
from peers / all media bytes, stalls per minute, startup (load to first frame), latency (seconds
behind the live edge); the data peers' offload is shown beside. A player's first segments come
over HTTP (nobody holds what it needs to start), which weighs heavily in a short run: the
steady offload counts only the bytes after the players' first `--settle` seconds.

    python3 bench/p2p.py                       # 2, 5, 10 peers x off, off-edge, edge, p2p; 30 s each
    python3 bench/p2p.py --seconds 60 --peers 10 --modes off-edge edge
    python3 bench/p2p.py --seconds 120 --peers 10 --modes p2p
    ANTENNE_BIN=.build/release/antenne python3 bench/p2p.py

Needs ffmpeg, chromium, chromedriver and the antenne binary ($ANTENNE_BIN, default
.build/debug/antenne). Writes bench/out/p2p.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests" / "p2p"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from browser_env import publisher_command  # noqa: E402
from player import make_driver  # noqa: E402
from procutil import descendants, kill_tree, wait_for_status  # noqa: E402
from swarm import farm_state, offload, open_farm, open_player, player_state  # noqa: E402

WEBRTC_ARGS = ("--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns")
REAL_PLAYERS = 2
# What each mode sets on the players and on the data peers. At the LL-HLS edge the data peers
# follow the parts' preload hints 1 s behind live, as the players do.
MODES = {
    "off": ({"p2p": False, "preset": "p2p"}, {"p2p": False, "latency": 8}),
    "off-edge": ({"p2p": False}, {"p2p": False, "latency": 1, "parts": True}),
    "edge": ({"p2p": True}, {"latency": 1, "parts": True}),
    "p2p": ({"preset": "p2p"}, {"latency": 8}),
}


def quit_all(drivers) -> None:
    for d in drivers:
        tree = descendants(d.service.process.pid)
        try:
            d.quit()
        except Exception:
            pass
        for pid in tree:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass


def run(server, mode: str, peers: int, duration: float, warmup: float, settle: float) -> dict:
    player_options, peer_options = MODES[mode]
    drivers = []
    try:
        farm = None
        if peers > REAL_PLAYERS:
            farm = make_driver(None, WEBRTC_ARGS)
            drivers.append(farm)
            open_farm(farm, server, count=peers - REAL_PLAYERS, **peer_options)
            time.sleep(warmup)
        players = []
        for _ in range(REAL_PLAYERS):
            d = make_driver(None, WEBRTC_ARGS)
            drivers.append(d)
            open_player(d, server, **player_options)
            players.append(d)
        time.sleep(settle)
        settled = [player_state(d) for d in players]
        time.sleep(max(0.0, duration - settle))
        states = [player_state(d) for d in players]
        farm_states = farm_state(farm) if farm else []
    finally:
        quit_all(drivers)
    minutes = duration / 60
    total = {k: sum(s["stats"][k] for s in states) for k in ("httpBytes", "peerBytes")}
    steady = {k: total[k] - sum(s["stats"][k] for s in settled) for k in ("httpBytes", "peerBytes")}
    farm_total = {k: sum(s["stats"][k] for s in farm_states) for k in ("httpBytes", "peerBytes")}
    # What checking peers' objects costs: the digests' listings asked over HTTP, against the bytes
    # peers sent (absent before the players counted them).
    digests = sum(s["stats"].get("digestBytes", 0) for s in states)
    latencies = [s["latency"] for s in states if s["latency"] is not None]
    startups = [s["startup"] for s in states if s["startup"] is not None]
    return {
        "mode": mode, "peers": peers, "duration": duration,
        "offload": round(offload(total), 3),
        "steady_offload": round(offload(steady), 3),
        "data_peer_offload": round(offload(farm_total), 3) if farm_states else None,
        # Objects the data peers got after the time a player would have needed them.
        "data_peer_late": sum(s["stats"]["late"] for s in farm_states),
        "digest_bytes_per_peer_byte": round(digests / total["peerBytes"], 3) if total["peerBytes"] else None,
        "stalls_per_min": round(sum(s["stalls"] for s in states) / len(states) / minutes, 2),
        "startup_ms": round(statistics.median(startups)) if startups else None,
        "latency_s": round(statistics.median(latencies), 2) if latencies else None,
        # The machine's load over the last minute, at the end of the run.
        "load": round(os.getloadavg()[0], 1),
        "players": states,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", type=int, nargs="+", default=[2, 5, 10])
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES))
    parser.add_argument("--seconds", "--duration", dest="seconds", type=float, default=30,
                        help="seconds each run is measured (default 30)")
    parser.add_argument("--settle", type=float, default=None,
                        help="seconds of a run left out of the steady offload (default: a quarter of the run, at most 20)")
    parser.add_argument("--warmup", type=float, default=8, help="seconds the data peers run before the players join")
    args = parser.parse_args()
    settle = args.settle if args.settle is not None else min(20.0, args.seconds / 4)
    binary = antenne_bin()
    results = []
    with tempfile.TemporaryDirectory() as work, running_antenne(binary, Path(work), ["--p2p", "demo"]) as server:
        log = open(Path(work) / "publisher.log", "wb")
        pub = subprocess.Popen(publisher_command(server.publish_url), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_status(server.url("/hls/demo/master.m3u8"), 200, 30, [pub, server.process], "master playlist")
            time.sleep(6)
            for peers in args.peers:
                for mode in args.modes:
                    r = run(server, mode, peers, args.seconds, args.warmup, settle)
                    results.append(r)
                    print(f"{mode:8} {peers:3} peers: offload {r['offload']:.0%}, after {settle:.0f} s {r['steady_offload']:.0%} "
                          f"(data peers {r['data_peer_offload']}, {r['data_peer_late']} late), stalls/min {r['stalls_per_min']}, startup {r['startup_ms']} ms, "
                          f"latency {r['latency_s']} s, digests/peer bytes {r['digest_bytes_per_peer_byte']}, load {r['load']}", flush=True)
        finally:
            kill_tree(pub)
            log.close()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "p2p.json").write_text(json.dumps(results, indent=2))
    print(table(results, settle))
    return 0


def table(results: list[dict], settle: float) -> str:
    """The runs as a Markdown table."""
    def percent(value):
        return "–" if value is None else f"{value:.0%}"
    lines = [
        f"| mode | peers | seconds | offload | offload after {settle:.0f} s | data peers | stalls/min | startup ms | latency s | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['mode']} | {r['peers']} | {r['duration']:.0f} | {percent(r['offload'])} | {percent(r['steady_offload'])} | "
                     f"{percent(r['data_peer_offload'])} | {r['stalls_per_min']} | {r['startup_ms']} | {r['latency_s']} | {r['load']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
