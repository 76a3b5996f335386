"""Request collapsing at scale (issue "Scale out delivery", tests): 200 LL-HLS viewers behind one
`antenne edge` cost its origin no more requests per second than one viewer does, and every viewer
gets its parts. A short run of bench/delivery.py's edge audience (the benchmark prints the latency
figures; this checks the origin's request rate and that no viewer failed).

The real binary ($ANTENNE_BIN) as origin and edge, real ffmpeg publishing; the viewers are
`antenne-loadgen` (next to $ANTENNE_BIN, or $LOADGEN_BIN), each on one keep-alive connection
following blocking reloads and the hinted parts as an LL-HLS player does.
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
# Seconds each audience is counted for (after a 1 s staggered start and 2 s to get in step).
WATCH = 5.0
VIEWERS = 200
# The origin's own count moves with where a request falls in a part's life (a blocking reload
# held at the edge, a part pulled once): half as many again is noise; 200 viewers reaching the
# origin would be some 800 more requests per second, a hundred times the edge's own.
SLACK_RATIO = 1.5

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
    loadgen = bench.loadgen_binary(binary)
    source = bench.make_source()
    with bench.running_origin(binary) as origin, \
            bench.publishing(source, [f"rtmp://127.0.0.1:{origin.rtmp}/live/demokey01"]):
        bench.wait_live(origin.base_url)
        with bench.running_edge(binary, [origin.base_url]) as (_, port):
            front = f"http://127.0.0.1:{port}"
            one = bench.audience(loadgen, front, origin, 1, WATCH)
            many = bench.audience(loadgen, front, origin, VIEWERS, WATCH)
    print(f"origin requests/s: 1 viewer {one['origin_rps']:.1f}, {VIEWERS} viewers {many['origin_rps']:.1f}; "
          f"parts delivered: {one['parts']} and {many['parts']}; errors {one['errors']} and {many['errors']}; "
          f"p99 {many['p99_ms']} ms")
    assert one["errors"] == 0 and many["errors"] == 0, (one, many)
    # Every viewer took part: each got parts during the count.
    assert one["viewers_with_parts"] == 1, one
    assert many["viewers_with_parts"] == VIEWERS, many
    assert one["origin_rps"] > 0, one
    assert many["origin_rps"] <= one["origin_rps"] * SLACK_RATIO, (one, many)
