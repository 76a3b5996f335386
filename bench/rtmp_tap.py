"""A TCP proxy for RTMP publishers that timestamps keyframes as they pass through.

Only the client -> server direction is parsed, and only as far as needed to find
message boundaries (RTMP 1.0 spec, sections 5.2 handshake, 5.3 chunking, 5.4 protocol
control messages):

- handshake: C0 (1 byte) + C1 (1536) + C2 (1536) are skipped;
- chunk basic header, 1 to 3 bytes (csid 0 -> 64 + next byte, csid 1 -> 64 + 16-bit LE);
- message header types 0 (11 bytes), 1 (7), 2 (3) and 3 (0);
- extended timestamp (4 bytes) when the 24-bit field is 0xFFFFFF, and on type 3 chunks
  of a chunk stream whose last header carried one (what ffmpeg and librtmp send);
- interleaved chunk streams, each with its own partial message;
- Set Chunk Size (type 1) and Abort (type 2) from the client.

A video message (type 9) is a keyframe when its FLV VideoTagHeader says frame type 1
and AVC packet type 1 (a NAL unit, not the sequence header). Its time is taken when
the last byte of the message has been written to the upstream socket.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field

HANDSHAKE_BYTES = 1 + 1536 + 1536  # C0 + C1 + C2 (RTMP spec 5.2.2 - 5.2.4)
DEFAULT_CHUNK_SIZE = 128  # RTMP spec 5.4.1
MAX_CHUNK_SIZE = 0x7FFFFFFF  # 31 bits (RTMP spec 5.4.1)
MAX_MESSAGE_LENGTH = 0xFFFFFF  # 24-bit message length field (RTMP spec 5.3.1.2.1)
MSG_SET_CHUNK_SIZE = 1
MSG_ABORT = 2
MSG_VIDEO = 9


class RtmpParseError(Exception):
    pass


@dataclass
class _ChunkStream:
    timestamp: int = 0
    delta: int = 0
    length: int = 0
    type_id: int = 0
    stream_id: int = 0
    extended: bool = False
    payload: bytearray = field(default_factory=bytearray)
    started: bool = False  # a message is partially received


class RtmpClientParser:
    """Incremental parser of the client -> server byte stream. `feed` returns the
    messages completed by the given bytes as (type_id, timestamp_ms, payload)."""

    def __init__(self) -> None:
        self._skip = HANDSHAKE_BYTES
        self._buf = bytearray()
        self._chunk_size = DEFAULT_CHUNK_SIZE
        self._streams: dict[int, _ChunkStream] = {}

    def feed(self, data: bytes) -> list[tuple[int, int, bytes]]:
        if self._skip:
            n = min(self._skip, len(data))
            self._skip -= n
            data = data[n:]
        self._buf += data
        out: list[tuple[int, int, bytes]] = []
        offset = 0
        while True:
            consumed = self._parse_chunk(offset, out)
            if consumed == 0:
                break
            offset += consumed
        if offset:
            del self._buf[:offset]
        return out

    def _parse_chunk(self, start: int, out: list) -> int:
        """Parse one chunk at `start`. Returns bytes consumed, 0 if more data is needed.
        State is changed only once the whole chunk is available."""
        b = self._buf
        n = len(b)
        p = start
        if p >= n:
            return 0
        fmt = b[p] >> 6
        csid = b[p] & 0x3F
        p += 1
        if csid == 0:
            if p + 1 > n:
                return 0
            csid = 64 + b[p]
            p += 1
        elif csid == 1:
            if p + 2 > n:
                return 0
            csid = 64 + b[p] + 256 * b[p + 1]
            p += 2
        header_len = (11, 7, 3, 0)[fmt]
        if p + header_len > n:
            return 0
        cs = self._streams.get(csid)
        if cs is None:
            if fmt != 0:
                raise RtmpParseError(f"chunk stream {csid} starts with header type {fmt}")
            cs = _ChunkStream()
            self._streams[csid] = cs
        ts_field = int.from_bytes(b[p:p + 3], "big") if fmt <= 2 else None
        length, type_id, stream_id = cs.length, cs.type_id, cs.stream_id
        if fmt <= 1:
            length = int.from_bytes(b[p + 3:p + 6], "big")
            type_id = b[p + 6]
        if fmt == 0:
            stream_id = int.from_bytes(b[p + 7:p + 11], "little")
        p += header_len
        extended = cs.extended if fmt == 3 else ts_field == 0xFFFFFF
        ext_value = None
        if extended:
            if p + 4 > n:
                return 0
            ext_value = int.from_bytes(b[p:p + 4], "big")
            p += 4
        if length > MAX_MESSAGE_LENGTH:
            raise RtmpParseError(f"message length {length} on chunk stream {csid}")

        continuing = fmt == 3 and cs.started
        got = len(cs.payload) if continuing else 0
        take = min(self._chunk_size, length - got)
        if p + take > n:
            return 0

        # Commit the header.
        if not continuing:
            if fmt == 0:
                cs.timestamp = ext_value if extended else ts_field
                cs.delta = 0
            elif fmt in (1, 2):
                cs.delta = ext_value if extended else ts_field
                cs.timestamp += cs.delta
            else:  # type 3 starting a new message: same header, same delta
                cs.timestamp += cs.delta
            cs.length, cs.type_id, cs.stream_id = length, type_id, stream_id
            cs.extended = extended
            cs.payload = bytearray()
            cs.started = True
        cs.payload += b[p:p + take]
        p += take
        if len(cs.payload) == cs.length:
            payload = bytes(cs.payload)
            cs.payload = bytearray()
            cs.started = False
            self._on_message(cs.type_id, payload)
            out.append((cs.type_id, cs.timestamp, payload))
        return p - start

    def _on_message(self, type_id: int, payload: bytes) -> None:
        if type_id == MSG_SET_CHUNK_SIZE and len(payload) >= 4:
            size = int.from_bytes(payload[:4], "big") & MAX_CHUNK_SIZE
            if size < 1:
                raise RtmpParseError(f"invalid chunk size {size}")
            self._chunk_size = size
        elif type_id == MSG_ABORT and len(payload) >= 4:
            cs = self._streams.get(int.from_bytes(payload[:4], "big"))
            if cs is not None:
                cs.payload = bytearray()
                cs.started = False


def is_avc_keyframe(type_id: int, payload: bytes) -> bool:
    """FLV VideoTagHeader: FrameType (4 bits) == 1, CodecID (4 bits) == 7 (AVC),
    AVCPacketType == 1 (NALU)."""
    return (type_id == MSG_VIDEO and len(payload) >= 2
            and payload[0] >> 4 == 1 and payload[0] & 0x0F == 7 and payload[1] == 1)


@dataclass
class Keyframe:
    wall: float  # time.monotonic() when its last byte was written upstream
    rtmp_ts: int  # message timestamp, ms


class RtmpTap:
    """Listens on 127.0.0.1:`port` (0 = any free port) in a background asyncio loop and
    forwards every connection to 127.0.0.1:`upstream_port`."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.keyframes: list[Keyframe] = []
        self.video_messages = 0
        self.errors: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="rtmp-tap", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    def start(self) -> "RtmpTap":
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop)
        self._server = fut.result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close():
            self._server.close()
            await self._server.wait_closed()
        try:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        except Exception as exc:  # report, do not hide
            self.errors.append(f"close: {exc!r}")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _handle(self, creader: asyncio.StreamReader, cwriter: asyncio.StreamWriter) -> None:
        try:
            ureader, uwriter = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError as exc:
            self.errors.append(f"upstream connect: {exc!r}")
            cwriter.close()
            return
        for w in (cwriter, uwriter):
            w.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        async def client_to_server() -> None:
            parser = RtmpClientParser()
            parse_ok = True
            while data := await creader.read(1 << 16):
                uwriter.write(data)
                await uwriter.drain()
                now = time.monotonic()
                if not parse_ok:
                    continue
                try:
                    messages = parser.feed(data)
                except RtmpParseError as exc:
                    self.errors.append(f"parse: {exc}")
                    parse_ok = False
                    continue
                for type_id, ts, payload in messages:
                    if type_id == MSG_VIDEO:
                        self.video_messages += 1
                        if is_avc_keyframe(type_id, payload):
                            self.keyframes.append(Keyframe(now, ts))
            _half_close(uwriter)

        async def server_to_client() -> None:
            while data := await ureader.read(1 << 16):
                cwriter.write(data)
                await cwriter.drain()
            _half_close(cwriter)

        try:
            await asyncio.gather(client_to_server(), server_to_client())
        except (ConnectionError, OSError) as exc:
            self.errors.append(f"connection: {exc!r}")
        finally:
            for w in (cwriter, uwriter):
                w.close()


def _half_close(writer: asyncio.StreamWriter) -> None:
    """Forward an EOF. The peer may already be gone at the end of a publish."""
    try:
        if writer.can_write_eof():
            writer.write_eof()
    except OSError:
        pass
