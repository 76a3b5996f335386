"""The captioned test vector itself (cea608_vector.py): ffprobe sees captions on its video, and
ffmpeg's own CEA-608 decoder reads the known text from it. No timing is asserted."""

from __future__ import annotations

from captions_probe import captions_text, video_streams


def test_ffprobe_sees_closed_captions(vector):
    streams, dump = video_streams(str(vector))
    assert [s.get("codec_name") for s in streams] == ["h264"], streams
    assert "Closed Captions" in dump, dump


def test_ffmpeg_decodes_the_known_text(vector, tmp_path):
    srt = captions_text(str(vector), tmp_path / "vector.srt")
    assert "HELLO ANTENNE" in srt, srt
    assert "CUE 0001" in srt and "CUE 0002" in srt, srt
