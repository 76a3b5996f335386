#!/usr/bin/env python3
"""Glass-to-glass latency and channel change time in headless Chromium, for the Antenne player
(Media Source Extensions) and for Chromium's own HLS as the baseline, in the same run, on
loopback and over a shaped link (40 ms RTT, 20 Mbit/s).

Three channels are published with ffmpeg, each with the UTC wall clock in milliseconds burnt
into the picture when the frame is made (drawtext `%{gmtime}` with `%3N`). In the page, each
sample draws the frame being presented (requestVideoFrameCallback) into a canvas, cropped to the
clock; tesseract reads the clock back; glass-to-glass is the frame's display time (the page's
clock) minus the burnt-in time. A channel change is ArrowDown on /watch/{channel}: from the key
event to the first frame of the new channel (requestVideoFrameCallback), then glass-to-glass
2 s later.

The shaped link: the server and its publishers run in a network namespace of their own, joined
to this one by a link that delays each packet by 20 ms each way and carries 20 Mbit/s each way
(shaped_link.py: what `tc netem delay 20ms rate 20mbit` on both ends of a veth pair gives, for
kernels without netem). Chromium stays here and plays from the namespace's address, so only the
viewer's link is shaped; ingest stays on the namespace's loopback.

    python3 bench/player.py                 # both players, both links, 30 samples and 10 changes each
    python3 bench/player.py --link loopback --antenne-arg=--part-duration --antenne-arg=0.2 --latency 0.6
    python3 bench/player.py --smoke         # a few samples, the Antenne player only, loopback
    ANTENNE_BIN=.build/release/antenne python3 bench/player.py

Needs ffmpeg, chromium, chromedriver, tesseract-ocr, the antenne binary ($ANTENNE_BIN, default
.build/debug/antenne), and for the shaped link root, iproute2 and /dev/net/tun.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from antenne_server import antenne_bin, running_antenne  # noqa: E402
from player import make_driver  # noqa: E402
from procutil import kill_tree, log_tail, wait_for_status  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

WIDTH, HEIGHT, FONT = 640, 360, 44
# The clock's box, centred: the canvas crops this region (in video pixels).
CROP = (WIDTH // 2 - 190, HEIGHT // 2 - 40, 380, 80)


# The shaped link (shaped_link.py): 20 ms each way (40 ms RTT) and 20 Mbit/s, as issue 13 asks.
SHAPED_LINK = Path(__file__).resolve().parent / "shaped_link.py"
SHAPED_NS_ADDRESS = "198.18.0.2"
LINKS = {"loopback": "loopback", "shaped": "shaped (40 ms RTT, 20 Mbit/s)"}


@contextlib.contextmanager
def shaped_link():
    """A network namespace behind a shaped link (shaped_link.py); yields the command prefix that
    runs a program inside it. The namespace is removed on exit."""
    ns = f"antenne-bench-{os.getpid()}"
    link = subprocess.Popen([sys.executable, str(SHAPED_LINK), ns, "--delay-ms", "20", "--rate-mbit", "20"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if link.stdout.readline().strip() != "ready":
            raise RuntimeError(f"shaped_link.py did not start (exit {link.wait(5)})")
        yield ["ip", "netns", "exec", ns]
    finally:
        link.stdin.close()
        try:
            link.wait(10)
        except subprocess.TimeoutExpired:
            link.kill()


def publisher(url: str) -> list[str]:
    clock = (f"drawtext=text='%{{gmtime\\:%H\\\\\\:%M\\\\\\:%S.%3N}}':fontsize={FONT}:fontcolor=white"
             f":box=1:boxcolor=black:boxborderw=10:x=(w-tw)/2:y=(h-th)/2")
    return [
        shutil.which("ffmpeg") or "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning",
        "-re", "-f", "lavfi", "-i", f"testsrc2=size={WIDTH}x{HEIGHT}:rate=30",
        "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-vf", clock, "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
        "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-b:v", "1M",
        "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-f", "flv", url,
    ]


SAMPLE_JS = """
const done = arguments[arguments.length - 1];
const v = document.getElementById('player');
const [sx, sy, sw, sh] = arguments[0];
const scale = v.videoWidth / %d;
v.requestVideoFrameCallback((now, meta) => {
  const c = document.createElement('canvas');
  c.width = sw * 2; c.height = sh * 2;
  const g = c.getContext('2d');
  g.drawImage(v, sx * scale, sy * scale, sw * scale, sh * scale, 0, 0, c.width, c.height);
  // Black text on white for the OCR.
  const img = g.getImageData(0, 0, c.width, c.height);
  for (let i = 0; i < img.data.length; i += 4) {
    const y = 0.3 * img.data[i] + 0.59 * img.data[i + 1] + 0.11 * img.data[i + 2];
    img.data[i] = img.data[i + 1] = img.data[i + 2] = y > 128 ? 0 : 255;
  }
  g.putImageData(img, 0, 0);
  done({shown: performance.timeOrigin + meta.expectedDisplayTime, png: c.toDataURL('image/png')});
});
""" % WIDTH

ARM_ZAP_JS = """
const v = document.getElementById('player');
const z = window.__zap = {oldSrc: v.src};
addEventListener('keydown', (e) => { if (z.t0 === undefined) z.t0 = e.timeStamp; }, {capture: true, once: true});
function frame(now) {
  if (z.t0 !== undefined && v.src !== z.oldSrc) { z.t1 = now; return; }
  v.requestVideoFrameCallback(frame);
}
v.requestVideoFrameCallback(frame);
"""

COUNT_JS = """
window.__stalls = 0; window.__since = performance.now();
if (window.antenne) antenne.on('stall', (d) => { if (d.state === 'start') window.__stalls += 1; });
"""

CLOCK = re.compile(r"(\d\d):?(\d\d):?(\d\d)[.:,]?(\d\d\d)")


def read_clock(png: bytes, shown_ms: float) -> float | None:
    """The burnt-in UTC time (epoch ms) nearest to `shown_ms`, or None if unreadable."""
    out = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "7", "-c",
                          "tessedit_char_whitelist=0123456789:."], input=png, capture_output=True, timeout=30)
    m = CLOCK.search(out.stdout.decode(errors="replace").replace(" ", ""))
    if not m:
        return None
    h, mi, s, ms = (int(x) for x in m.groups())
    if h > 23 or mi > 59 or s > 59:
        return None
    shown = dt.datetime.fromtimestamp(shown_ms / 1000, dt.timezone.utc)
    best = None
    for day in (-1, 0, 1):
        d = (shown + dt.timedelta(days=day)).replace(hour=h, minute=mi, second=s, microsecond=ms * 1000)
        t = d.timestamp() * 1000
        if best is None or abs(t - shown_ms) < abs(best - shown_ms):
            best = t
    return best


def glass_to_glass(driver) -> float | None:
    r = driver.execute_async_script(SAMPLE_JS, list(CROP))
    burnt = read_clock(base64.b64decode(r["png"].split(",", 1)[1]), r["shown"])
    if burnt is None:
        return None
    g2g = r["shown"] - burnt
    # A misread digit gives an absurd figure: drop it rather than bend the percentiles.
    return g2g if -100 < g2g < 60_000 else None


def wait_playing(driver, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("const v = document.getElementById('player');"
                                 "return v.currentTime > 0 && !v.paused && v.readyState >= 3"):
            return
        time.sleep(0.1)
    raise RuntimeError("playback did not start")


def measure(driver, base: str, channels: list[str], engine: str, samples: int, zaps: int,
            latency: float | None, settle: float) -> dict:
    query = "?engine=native" if engine == "native" else f"?latency={latency}" if latency else ""
    driver.get(f"{base}/watch/{channels[0]}{query}")
    wait_playing(driver)
    # From navigation start to the first frame, on the page's clock.
    startup = driver.execute_script("return antenne.lastFirstFrame ? antenne.lastFirstFrame.at : null")
    driver.execute_script(COUNT_JS)
    time.sleep(settle)
    g2g = [x for x in (glass_to_glass(driver) for _ in range(samples)) if x is not None]
    zap_ms, after = [], []
    for _ in range(zaps):
        time.sleep(2.5)
        driver.execute_script(ARM_ZAP_JS)
        ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
        deadline = time.monotonic() + 15
        z = {}
        while time.monotonic() < deadline:
            z = driver.execute_script("return window.__zap")
            if z.get("t1") is not None:
                break
            time.sleep(0.02)
        if z.get("t1") is None:
            continue
        zap_ms.append(z["t1"] - z["t0"])
        time.sleep(max(0.0, 2.0 - (driver.execute_script("return performance.now()") - z["t1"]) / 1000))
        x = glass_to_glass(driver)
        if x is not None:
            after.append(x)
    stalls, since = driver.execute_script("return [window.__stalls, window.__since]")
    minutes = (driver.execute_script("return performance.now()") - since) / 60000
    return {"g2g": g2g, "zap": zap_ms, "after": after, "startup": startup, "stalls_per_min": stalls / minutes}


def pct(values: list[float], p: float) -> str:
    if not values:
        return "n/a"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]:.0f}"


def run_link(link: str, args, prefix: list[str]) -> dict:
    """One server and its three publishers (inside the namespace when `prefix` says so), and the
    players measured from here. Returns the rows by engine."""
    address = SHAPED_NS_ADDRESS if prefix else "127.0.0.1"
    keys = {name: "k" + secrets.token_hex(8) for name in ("ch1", "ch2")}
    extra = [a for name, key in keys.items() for a in ("--channel", f"{name}:{key}")]
    with tempfile.TemporaryDirectory() as tmp, running_antenne(antenne_bin(), Path(tmp), extra + args.antenne_arg,
                                                               prefix=prefix, address=address) as server:
        keys["demo"] = server.stream_key
        procs = []
        try:
            for name, key in keys.items():
                log = open(Path(tmp) / f"publisher-{name}.log", "wb")
                procs.append(subprocess.Popen(prefix + publisher(f"rtmp://127.0.0.1:{server.rtmp_port}/live/{key}"),
                                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                              start_new_session=True))
            for name in keys:
                wait_for_status(server.url(f"/hls/{name}/master.m3u8"), 200, 40, [server.process, *procs], name)
            driver = make_driver()
            try:
                driver.get(server.url("/healthz"))
                native = driver.execute_script(
                    "return document.createElement('video').canPlayType('application/vnd.apple.mpegurl')") != ""
                engines = [e for e in args.players if e == "mse" or native]
                return {e: measure(driver, server.base_url, ["demo", "ch1", "ch2"], e, args.samples, args.zaps,
                                   args.latency, args.settle) for e in engines}
            finally:
                driver.quit()
        except Exception:
            print(log_tail(server.log_path), file=sys.stderr)
            raise
        finally:
            for p in procs:
                kill_tree(p)


NAMES = {"mse": "Antenne (MSE)", "native": "Chromium HLS"}


def print_link(link: str, rows: dict, args) -> None:
    print(f"\n{LINKS[link]}, {args.samples} glass-to-glass samples and {args.zaps} channel changes per player (ms)")
    print(f"{'player':14s} {'g2g p50':>8s} {'g2g p90':>8s} {'zap p50':>8s} {'zap p90':>8s} "
          f"{'g2g 2s after zap p50':>21s} {'startup':>8s} {'stalls/min':>10s} {'read':>6s}")
    for e, r in rows.items():
        print(f"{NAMES[e]:14s} {pct(r['g2g'], 50):>8s} {pct(r['g2g'], 90):>8s} {pct(r['zap'], 50):>8s} "
              f"{pct(r['zap'], 90):>8s} {pct(r['after'], 50):>21s} {pct([r['startup']] if r['startup'] else [], 50):>8s} "
              f"{r['stalls_per_min']:>10.1f} "
              f"{len(r['g2g'])}/{args.samples}")
    if "native" in args.players and "native" not in rows:
        print("(Chromium's own HLS: not measured: this Chromium has none)")


def print_side_by_side(results: dict) -> None:
    """Each metric on one line: loopback, shaped, and their ratio, per player."""
    engines = [e for e in NAMES if all(e in rows for rows in results.values())]
    metrics = [("g2g p50", "g2g", 50), ("g2g p90", "g2g", 90), ("zap p50", "zap", 50), ("zap p90", "zap", 90),
               ("g2g 2s after zap p50", "after", 50)]
    print("\nloopback and shaped side by side (ms; ratio shaped / loopback)")
    print(f"{'':22s}" + "".join(f"{NAMES[e] + ': loopback':>26s} {'shaped':>8s} {'ratio':>6s}" for e in engines))
    for label, key, p in metrics:
        line = f"{label:22s}"
        for e in engines:
            lo, sh = pct(results["loopback"][e][key], p), pct(results["shaped"][e][key], p)
            ratio = f"{float(sh) / float(lo):.2f}" if "n/a" not in (lo, sh) and float(lo) > 0 else "n/a"
            line += f"{lo:>26s} {sh:>8s} {ratio:>6s}"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--zaps", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="a few samples, the Antenne player only, loopback")
    parser.add_argument("--link", choices=["loopback", "shaped", "both"], default="both")
    parser.add_argument("--players", default="mse,native", help="mse, native or both (mse,native)")
    parser.add_argument("--latency", type=float, help="the Antenne player's target latency (the watch page's ?latency=)")
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds of playback before the glass-to-glass samples (default 3)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every sample")
    parser.add_argument("--antenne-arg", action="append", default=[], help="extra `antenne serve` argument")
    args = parser.parse_args()
    args.players = [p for p in args.players.split(",") if p in NAMES]
    if args.smoke:
        args.samples, args.zaps, args.link, args.players = 3, 2, "loopback", ["mse"]
    links = ["loopback", "shaped"] if args.link == "both" else [args.link]
    tools = ["ffmpeg", "tesseract", "chromium", "chromedriver"] + (["ip"] if "shaped" in links else [])
    for tool in tools:
        if shutil.which(tool) is None:
            print(f"{tool} is missing", file=sys.stderr)
            return 2
    if "shaped" in links and os.geteuid() != 0:
        print("the shaped link needs root (ip netns, TUN devices)", file=sys.stderr)
        return 2
    results = {}
    for link in links:
        if link == "shaped":
            with shaped_link() as prefix:
                results[link] = run_link(link, args, prefix)
        else:
            results[link] = run_link(link, args, [])
        print_link(link, results[link], args)
        if args.verbose:
            for e, r in results[link].items():
                print(f"{NAMES[e]}: g2g {[round(x) for x in r['g2g']]}, zap {[round(x) for x in r['zap']]}, "
                      f"after {[round(x) for x in r['after']]}")
    if len(results) == 2:
        print_side_by_side(results)
    if args.smoke:
        print("(Chromium's own HLS: not measured in --smoke)")
    return 0 if all(r["g2g"] and r["zap"] for rows in results.values() for r in rows.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
