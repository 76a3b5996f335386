"""Request collapsing at scale (issue "Scale out delivery", tests): 200 LL-HLS viewers behind one
`antenne edge` cost its origin the same requests per second as one viewer, and every viewer gets
its parts. A short run of bench/delivery.py's edge audience (the benchmark prints the latency
figures; this checks the origin's request rate and that no viewer failed).

The real binary ($ANTENNE_BIN) as origin and edge, real ffmpeg publishing; the viewers are
Python threads, each following blocking reloads and the hinted parts as an LL-HLS player does.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from antenne_server import antenne_bin  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "bench" / "delivery.py"
# Seconds each audience is counted for (after 2 s to get in step).
WATCH = 10.0
# The origin's own count moves with where a viewer's request falls in a part's life (a blocking
# reload held at the edge, a part pulled once): one more request per second, or a quarter more,
# is noise; 200 viewers reaching the origin would be some 800 more per second.
SLACK_RPS = 1.0
SLACK_RATIO = 1.25

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is needed")


def _bench():
    """bench/delivery.py by path: the origin, edge, publisher and audience the benchmark uses."""
    spec = importlib.util.spec_from_file_location("bench_delivery", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_two_hundred_viewers_behind_an_edge_cost_the_origin_what_one_does() -> None:
    bench = _bench()
    binary = antenne_bin()
    source = bench.make_source()
    with bench.running_origin(binary) as origin, \
            bench.publishing(source, [f"rtmp://127.0.0.1:{origin.rtmp}/live/demokey01"]):
        bench.wait_live(origin.base_url)
        with bench.running_edge(binary, [origin.base_url]) as (_, port):
            front = f"http://127.0.0.1:{port}"
            one = bench.audience(front, origin, 1, WATCH)
            many = bench.audience(front, origin, 200, WATCH)
    print(f"origin requests/s: 1 viewer {one['origin_rps']:.1f}, 200 viewers {many['origin_rps']:.1f}; "
          f"parts delivered: {one['media']} and {many['media']}; errors {one['errors']} and {many['errors']}")
    assert one["errors"] == 0 and many["errors"] == 0, (one, many)
    # Every viewer took part: at least one part each per second of the count, on average.
    assert one["media"] >= WATCH, one
    assert many["media"] >= 200 * WATCH, many
    assert many["origin_rps"] <= one["origin_rps"] * SLACK_RATIO + SLACK_RPS, (one, many)
