"""Captions through the transcoded ladder (issue 18, item 4): the `mobile` ladder on the captioned
640x360 vector gives 360p and 240p; FFmpeg's decoder, filter graph and libx264 carry the A/53
captions into each rung (ffprobe sees "Closed Captions" on 360p, ffmpeg reads the text), and the
playlists signal the vector's channels (CC1, CC3, CEA-708 service 1) on every video variant but not on
the audio-only one. No timing is asserted."""

from __future__ import annotations

import pytest
from captions_env import captioned_channel
from captions_probe import CC_ACCESSIBILITY, CC_MEDIA, assert_rendition_keeps_captions, captions_media, variants, video_accessibility, wait_for_signalling


@pytest.fixture(scope="module")
def server(vector, tmp_path_factory):
    with captioned_channel(vector, tmp_path_factory.mktemp("ladder"), ["--ladder", "mobile"]) as server:
        yield server


def test_a_rung_keeps_the_captions(server, tmp_path):
    assert_rendition_keeps_captions(server.base_url, "360p", tmp_path)


def test_playlists_signal_the_channels_on_the_ladder(server):
    master, mpd = wait_for_signalling(server.base_url)
    assert captions_media(master) == CC_MEDIA, master
    listed = variants(master)
    video = [line for line, uri in listed if uri.split("/")[0] in ("360p", "240p")]
    audio_only = [line for line, uri in listed if uri.startswith("audio/")]
    assert len(video) == 2 and all('CLOSED-CAPTIONS="cc"' in line for line in video), master
    assert audio_only and all("CLOSED-CAPTIONS" not in line for line in audio_only), master
    assert video_accessibility(mpd) == CC_ACCESSIBILITY
