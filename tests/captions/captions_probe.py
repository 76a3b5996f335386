"""What the captions tests ask of ffprobe, ffmpeg and the server's playlists."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

# The signalling the server writes for the vector's channels (RFC 8216bis §4.4.6.1; SCTE 214-1
# §7.2.3): CEA-608 CC1 (taken to be English) and CC3, CEA-708 service 1.
CC_MEDIA = [
    '#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="English",LANGUAGE="en",INSTREAM-ID="CC1",DEFAULT=YES,AUTOSELECT=YES',
    '#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="CC3",INSTREAM-ID="CC3",DEFAULT=NO,AUTOSELECT=YES',
    '#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID="cc",NAME="SERVICE1",INSTREAM-ID="SERVICE1",DEFAULT=NO,AUTOSELECT=YES',
]
CC_ACCESSIBILITY = [("urn:scte:dash:cc:cea-608:2015", "CC1=eng;CC3=und"), ("urn:scte:dash:cc:cea-708:2015", "1=lang:und")]
NS = {"d": "urn:mpeg:dash:schema:mpd:2011"}


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def video_streams(url: str) -> tuple[list[dict], str]:
    """ffprobe's video streams of `url` (-show_streams as JSON) and its stream dump (stderr),
    where a stream with captions reads "Closed Captions": the decoder saw A/53 caption data while
    probing. (-show_streams' own `closed_captions` field reads a decoder that has decoded nothing,
    so it stays 0.)"""
    result = subprocess.run(
        ["ffprobe", "-hide_banner", "-v", "info", "-show_streams", "-select_streams", "v", "-of", "json", url],
        capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, f"ffprobe {url} failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout).get("streams", []), result.stderr


def captions_text(path_or_url: str, out: Path, seconds: int = 12) -> str:
    """The captions of the first `seconds` of a stream as SRT, extracted by ffmpeg's lavfi
    `movie` source with its `subcc` output (the decoder's A/53 side data, decoded by ccaption_dec)."""
    escaped = path_or_url.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-t", str(seconds),
         "-f", "lavfi", "-i", f"movie='{escaped}'[out0+subcc]", "-map", "0:1", str(out)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"caption extraction failed:\n{result.stderr[-3000:]}"
    return out.read_text()


def rendition_file(base_url: str, rendition: str, out: Path, segments: int = 3) -> Path:
    """The init segment and the last `segments` complete segments of a live rendition, one after
    the other in `out`: a fragmented MP4 file ffmpeg reads to its end."""
    playlist_url = f"{base_url}/hls/demo/{rendition}/index.m3u8"
    lines = get_text(playlist_url).splitlines()
    init = next(line.split('URI="')[1].split('"')[0] for line in lines if line.startswith("#EXT-X-MAP:"))
    listed = [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.startswith("#EXTINF:")]
    assert len(listed) >= segments, lines
    with open(out, "wb") as file:
        for uri in [init, *listed[-segments:]]:
            with urllib.request.urlopen(f"{base_url}/hls/demo/{rendition}/{uri}", timeout=10) as response:
                file.write(response.read())
    return out


def wait_for_signalling(base_url: str, timeout: float = 30) -> tuple[str, ET.Element]:
    """The multivariant playlist and the MPD once both signal every channel of the vector (the
    packager marks a rendition as each channel first speaks, a second or two into the stream)."""
    deadline = time.monotonic() + timeout
    while True:
        master = get_text(base_url + "/hls/demo/master.m3u8")
        mpd = ET.fromstring(get_text(base_url + "/dash/demo/manifest.mpd"))
        if captions_media(master) == CC_MEDIA and len(mpd.findall(".//d:Accessibility", NS)) == len(CC_ACCESSIBILITY):
            return master, mpd
        if time.monotonic() > deadline:
            raise AssertionError(f"no captions signalled within {timeout}s:\n{master}\n{ET.tostring(mpd).decode()}")
        time.sleep(0.5)


def captions_media(master: str) -> list[str]:
    """The `CLOSED-CAPTIONS` renditions of a multivariant playlist."""
    return [line for line in master.splitlines() if line.startswith("#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS")]


def variants(master: str) -> list[tuple[str, str]]:
    """(EXT-X-STREAM-INF line, URI) pairs of a multivariant playlist."""
    lines = master.splitlines()
    return [(line, lines[i + 1]) for i, line in enumerate(lines) if line.startswith("#EXT-X-STREAM-INF:")]


def video_accessibility(mpd: ET.Element) -> list[tuple[str | None, str | None]]:
    """(schemeIdUri, value) of every Accessibility of the first Period's video AdaptationSet."""
    period = mpd.find("d:Period", NS)
    assert period is not None
    video = [a for a in period.findall("d:AdaptationSet", NS) if a.get("contentType") == "video"]
    assert len(video) == 1, ET.tostring(period).decode()
    return [(a.get("schemeIdUri"), a.get("value")) for a in video[0].findall("d:Accessibility", NS)]


def assert_rendition_keeps_captions(base_url: str, rendition: str, work: Path, codec: str = "h264") -> None:
    """`rendition`'s video is `codec`, and ffmpeg reads the vector's text out of a file of its
    segments. For H.264, ffprobe also sees "Closed Captions"; it decodes no HEVC frame while
    probing an `hvcC` track (the configuration says all it needs), so it cannot for HEVC."""
    streams, dump = video_streams(f"{base_url}/hls/demo/{rendition}/index.m3u8")
    assert [s.get("codec_name") for s in streams] == [codec], streams
    if codec == "h264":
        assert "Closed Captions" in dump, dump
    srt = captions_text(str(rendition_file(base_url, rendition, work / f"{rendition}.mp4")), work / f"{rendition}.srt")
    assert "HELLO ANTENNE" in srt, srt
