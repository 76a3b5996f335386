"""SCTE-35 cues added to an encoder's MPEG-TS on its way out, as a broadcast encoder with an ad
insertion port sends them: a PMT stream of type 0x86 with its own PID (ANSI/SCTE 35 2022 §8.1) and
`splice_insert()` sections on it.

`CueInjector` takes the TS that ffmpeg writes (one programme, its PMT in one packet, as ffmpeg
muxes it) 188 bytes at a time, lists the cue PID in every PMT, follows the video PES times and, when
asked, writes an ad break that starts a given time after the newest video frame.
"""

from __future__ import annotations

import threading

PACKET = 188
SYNC = 0x47
CUE_PID = 0x01F0
CUE_STREAM_TYPE = 0x86
VIDEO_STREAM_TYPES = {0x1B, 0x24}  # H.264, HEVC
CLOCK = 90_000
PTS_MASK = (1 << 33) - 1


def crc32_mpeg(data: bytes) -> int:
    """The CRC of MPEG-2 sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, MSB first,
    initial value all ones, no final XOR."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def splice_insert(event_id: int, pts_time: int, duration: int | None, out_of_network: bool = True) -> bytes:
    """A clear `splice_info_section()` with one `splice_insert()` (SCTE 35 2022 §9.6, §9.7.3) for
    the whole programme at `pts_time`, with a `break_duration()` (auto-return) when `duration` is
    given; both in 90 kHz ticks."""
    command = bytearray(event_id.to_bytes(4, "big"))
    command.append(0x7F)  # splice_event_cancel_indicator 0, reserved
    # out_of_network, program_splice 1, duration_flag, splice_immediate 0, event_id_compliance 1, reserved
    command.append((0x80 if out_of_network else 0) | 0x40 | (0x20 if duration is not None else 0) | 0x08 | 0x07)
    pts = pts_time & PTS_MASK
    command += bytes([0x80 | 0x7E | (pts >> 32)]) + (pts & 0xFFFFFFFF).to_bytes(4, "big")  # time_specified
    if duration is not None:
        command += bytes([0x80 | 0x7E | (duration >> 32)]) + (duration & 0xFFFFFFFF).to_bytes(4, "big")  # auto_return
    command += bytes([0x00, 0x01, 0x00, 0x00])  # unique_program_id 1, avail_num 0, avails_expected 0
    body = bytearray([0x00])  # protocol_version
    body += bytes([0x00, 0x00, 0x00, 0x00, 0x00])  # encrypted_packet 0, algorithm 0, pts_adjustment 0
    body.append(0xFF)  # cw_index
    tier_and_length = (0xFFF << 12) | len(command)
    body += tier_and_length.to_bytes(3, "big")
    body.append(0x05)  # splice_insert
    body += command
    body += bytes([0x00, 0x00])  # descriptor_loop_length
    length = len(body) + 4  # and the CRC
    section = bytes([0xFC, 0x30 | (length >> 8), length & 0xFF]) + body  # sap_type 3: not specified
    return section + crc32_mpeg(section).to_bytes(4, "big")


def section_packets(pid: int, section: bytes, counter: int) -> tuple[list[bytes], int]:
    """`section` in TS packets of `pid` (pointer field 0, stuffed with 0xFF), and the next
    continuity counter."""
    payload = bytes([0x00]) + section
    packets = []
    first = True
    while payload:
        chunk, payload = payload[:PACKET - 4], payload[PACKET - 4:]
        header = bytes([SYNC, (0x40 if first else 0) | (pid >> 8), pid & 0xFF, 0x10 | counter])
        packets.append(header + chunk + b"\xff" * (PACKET - 4 - len(chunk)))
        counter = (counter + 1) & 0x0F
        first = False
    return packets, counter


def payload_offset(packet: bytes) -> int | None:
    """Where the payload of a TS packet starts, or None when it has none."""
    control = (packet[3] >> 4) & 0x3
    if control in (0, 2):
        return None
    offset = 4
    if control == 3:
        offset += 1 + packet[4]
    return offset if offset < PACKET else None


class CueInjector:
    """Rewrites a TS stream packet by packet (see the module's text). Thread-safe: `feed` runs on
    the pump's thread, `cue` on the test's."""

    def __init__(self) -> None:
        self.pmt_pid: int | None = None
        self.video_pid: int | None = None
        self.first_video_pts: int | None = None
        self.newest_video_pts: int | None = None
        self.counter = 0
        self.lock = threading.Lock()
        self.pending: list[bytes] = []

    def feed(self, packet: bytes) -> list[bytes]:
        """The packets to send for `packet`: itself (its PMT rewritten), then any cue due."""
        assert len(packet) == PACKET and packet[0] == SYNC, "not a TS packet"
        pid = ((packet[1] & 0x1F) << 8) | packet[2]
        start = bool(packet[1] & 0x40)
        offset = payload_offset(packet)
        out = [packet]
        if pid == 0 and start and offset is not None:
            self.read_pat(packet[offset + 1 + packet[offset]:])
        elif pid == self.pmt_pid and start and offset is not None:
            out = [self.rewrite_pmt(packet, offset)]
        elif pid == self.video_pid and start and offset is not None:
            self.read_pes(packet[offset:])
        with self.lock:
            for section in self.pending:
                packets, self.counter = section_packets(CUE_PID, section, self.counter)
                out += packets
            self.pending.clear()
        return out

    def cue(self, event_id: int, lead: float, duration: float) -> tuple[int, int]:
        """Sends an ad break of `duration` seconds starting on the first whole second of the
        stream's video (its key frames, with a 1 s GOP) at least `lead` seconds after the newest
        frame; twice, as encoders repeat a cue before its time. Returns the break's PTS and the
        newest video PTS it was counted from."""
        with self.lock:
            assert self.first_video_pts is not None and self.newest_video_pts is not None, "no video yet"
            newest = self.newest_video_pts
            seconds = -(-((newest - self.first_video_pts) & PTS_MASK) // CLOCK) + int(lead)
            pts_time = (self.first_video_pts + seconds * CLOCK) & PTS_MASK
            section = splice_insert(event_id, pts_time, round(duration * CLOCK))
            self.pending += [section, section]
            return pts_time, newest

    def read_pat(self, section: bytes) -> None:
        length = ((section[1] & 0x0F) << 8) | section[2]
        entries = section[8:3 + length - 4]
        for i in range(0, len(entries) - 3, 4):
            if int.from_bytes(entries[i:i + 2], "big") != 0:
                self.pmt_pid = ((entries[i + 2] & 0x1F) << 8) | entries[i + 3]
                return

    def rewrite_pmt(self, packet: bytes, offset: int) -> bytes:
        """The PMT packet with a registration descriptor `CUEI` in the programme's loop and the cue
        stream appended to the stream loop."""
        pointer = packet[offset]
        at = offset + 1 + pointer
        section = packet[at:]
        length = ((section[1] & 0x0F) << 8) | section[2]
        assert 3 + length <= len(section), "a PMT over several packets"
        body = bytearray(section[3:3 + length - 4])
        info_length = ((body[7] & 0x0F) << 8) | body[8]
        streams = body[9 + info_length:]
        i = 0
        while i + 5 <= len(streams):
            stream_type = streams[i]
            stream_pid = ((streams[i + 1] & 0x1F) << 8) | streams[i + 2]
            if stream_type in VIDEO_STREAM_TYPES and self.video_pid is None:
                self.video_pid = stream_pid
            i += 5 + (((streams[i + 3] & 0x0F) << 8) | streams[i + 4])
        info = body[9:9 + info_length] + bytes([0x05, 0x04]) + b"CUEI"
        program = body[:7] + bytes([0xF0 | (len(info) >> 8), len(info) & 0xFF]) + info
        cue_stream = bytes([CUE_STREAM_TYPE, 0xE0 | (CUE_PID >> 8), CUE_PID & 0xFF, 0xF0, 0x00])
        new_body = program + streams + cue_stream
        new_length = len(new_body) + 4
        head = bytes([section[0], (section[1] & 0xF0) | (new_length >> 8), new_length & 0xFF]) + new_body
        new_section = head + crc32_mpeg(head).to_bytes(4, "big")
        rebuilt = packet[:at] + new_section
        assert len(rebuilt) <= PACKET, "the PMT no longer fits one packet"
        return rebuilt + b"\xff" * (PACKET - len(rebuilt))

    def read_pes(self, pes: bytes) -> None:
        if len(pes) < 14 or pes[:3] != b"\x00\x00\x01" or not pes[7] & 0x80:
            return
        p = pes[9:14]
        pts = ((p[0] >> 1) & 0x07) << 30 | p[1] << 22 | (p[2] >> 1) << 15 | p[3] << 7 | p[4] >> 1
        with self.lock:
            if self.first_video_pts is None:
                self.first_video_pts = pts
            self.newest_video_pts = pts
