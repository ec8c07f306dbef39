"""The parent's side of the result pipe: frames capped before they are read, and bounded tails.

A frame is ``b"RG"``, one kind byte, a 4-byte big-endian length and the payload (written by
``child._send``). The child is untrusted, so :class:`FrameReader` refuses a frame whose declared
length is over the cap *before* it buffers the payload, and anything that is not a frame at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = frozenset(b"HSRIE")
HEADER = 7


class BadFrame(ValueError):
    """The child sent something that is not a frame, or one that is too large.

    ``frames`` are the complete frames that came before it in the same chunk: the parent still takes them (a
    check's start frame followed at once by garbage is that check's corrupt result, not a failed restart).
    """

    def __init__(self, message: str, frames: list[tuple[str, bytes]] | None = None) -> None:
        super().__init__(message)
        self.frames = frames or []


@dataclass
class FrameReader:
    """Feed it bytes as they come; it returns complete ``(kind, payload)`` frames."""

    max_payload: int
    _buffer: bytearray = field(default_factory=bytearray)
    _need: int | None = None  # payload length of the frame being read

    def feed(self, chunk: bytes) -> list[tuple[str, bytes]]:
        self._buffer += chunk
        frames: list[tuple[str, bytes]] = []
        while True:
            if self._need is None:
                if len(self._buffer) < HEADER:
                    return frames
                if self._buffer[:2] != b"RG" or self._buffer[2] not in KINDS:
                    raise BadFrame("it is not a result record", frames)
                self._need = int.from_bytes(self._buffer[3:7], "big")
                if self._need > self.max_payload:
                    raise BadFrame(f"it is larger than the {self.max_payload // 2**20} MiB limit", frames)
            if len(self._buffer) < HEADER + self._need:
                return frames
            kind = chr(self._buffer[2])
            payload = bytes(self._buffer[HEADER:HEADER + self._need])
            del self._buffer[:HEADER + self._need]
            self._need = None
            frames.append((kind, payload))


@dataclass
class Tail:
    """The last ``limit`` bytes of a stream, however much is written."""

    limit: int = 4000
    data: bytearray = field(default_factory=bytearray)
    total: int = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        self.data += chunk[-self.limit:]
        if len(self.data) > self.limit:
            del self.data[:len(self.data) - self.limit]

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")
