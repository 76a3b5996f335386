"""Captions in HEVC (issue 18, item 4): the captioned vector encoded by libx265, its CEA-608 in
prefix SEI NAL units (H.265 §D.2.6), published as MPEG-TS over SRT to a real `antenne serve`.

- Passthrough: the source rendition keeps them (ffmpeg reads the text out of its segments), and
  the multivariant playlist and the MPD signal its channels (CC1, CC3, CEA-708 service 1).
- The web player's caption reader, in Chromium, finds the cues in the server's HEVC fragments.
  Chromium on Linux cannot decode HEVC, so the picture itself is not played here.
- A ladder: FFmpeg decodes the HEVC and libx264 writes the captions into each H.264 rung.

Waits have upper bounds only; no timing is asserted."""

from __future__ import annotations

import time
import urllib.request

import pytest
from captions_env import captioned_channel
from captions_probe import CC_ACCESSIBILITY, CC_MEDIA, assert_rendition_keeps_captions, captions_media, variants, video_accessibility, wait_for_signalling

# Five 2 s segments are listed within this of the publish starting (ffmpeg's start-up included).
SEGMENTS_WITHIN = 40


@pytest.fixture(scope="module")
def passthrough(hevc_vector, tmp_path_factory):
    with captioned_channel(hevc_vector, tmp_path_factory.mktemp("hevc")) as server:
        yield server


@pytest.fixture(scope="module")
def ladder(hevc_vector, tmp_path_factory):
    with captioned_channel(hevc_vector, tmp_path_factory.mktemp("hevc-ladder"), ["--ladder", "mobile"]) as server:
        yield server


def test_the_hevc_source_keeps_the_captions(passthrough, tmp_path):
    assert_rendition_keeps_captions(passthrough.base_url, "source", tmp_path, codec="hevc")


def test_playlists_signal_the_channels_for_hevc(passthrough):
    master, mpd = wait_for_signalling(passthrough.base_url)
    assert captions_media(master) == CC_MEDIA, master
    video = [line for line, uri in variants(master) if "RESOLUTION=" in line]
    assert video and all('CODECS="hvc1.' in line and 'CLOSED-CAPTIONS="cc"' in line for line in video), master
    assert video_accessibility(mpd) == CC_ACCESSIBILITY


_READ_CUES_JS = r"""
const done = arguments[arguments.length - 1];
const [player, urls] = [arguments[0], arguments[1]];
(async () => {
  const { nalFormat } = await import(player + "mp4.js");
  const { ccPairs } = await import(player + "captions.js");
  const { Cea608Decoder } = await import(player + "cea608.js");
  const [init, ...segments] = await Promise.all(urls.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
  const format = nalFormat(init);
  const shown = [];
  const decoder = new Cea608Decoder((t, text) => shown.push(text));
  let pairs = 0;
  for (const segment of segments) {
    for (const { time, b1, b2 } of ccPairs(segment, format.lengthSize, format.hevc)) {
      decoder.push(time, b1, b2);
      pairs += 1;
    }
  }
  return { format, pairs, shown };
})().then(done, (e) => done({ error: String(e) }));
"""


def test_the_player_reads_the_cues_of_hevc_fragments(passthrough, driver):
    """Five segments (10 s) hold at least four of the vector's captions, one every 2 s."""
    base = passthrough.url("/hls/demo/source/")
    deadline = time.monotonic() + SEGMENTS_WITHIN
    while True:
        with urllib.request.urlopen(base + "index.m3u8", timeout=10) as response:
            lines = response.read().decode().splitlines()
        segments = [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.startswith("#EXTINF:")][-5:]
        if len(segments) == 5 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(segments) == 5, lines
    init = next(line.split('URI="')[1].split('"')[0] for line in lines if line.startswith("#EXT-X-MAP:"))
    driver.get(passthrough.url("/healthz"))
    out = driver.execute_async_script(_READ_CUES_JS, passthrough.url("/player/"), [base + uri for uri in [init, *segments]])
    assert "error" not in out, out
    assert out["format"] == {"lengthSize": 4, "hevc": True}, out
    cues = [text for text in out["shown"] if text.startswith("HELLO ANTENNE\nCUE ")]
    assert len(cues) >= 4, out


def test_a_ladder_from_hevc_keeps_the_captions(ladder, tmp_path):
    assert_rendition_keeps_captions(ladder.base_url, "360p", tmp_path)
