"""Progress of a long batch on stderr: a tqdm bar (rate and ETA) on a terminal, plain lines elsewhere (CI, logs).

tqdm is imported only when stderr is a terminal. Plain lines carry the same rate and ETA, one per
submission, so a log shows how far a batch got and how fast it went.
"""
from __future__ import annotations

import time
from types import TracebackType
from typing import Any, TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60:02d}:{seconds % 60:02d}"


class BatchProgress:
    """``with BatchProgress(total, stream=sys.stderr) as progress: progress.step(label, outcome)``."""

    def __init__(self, total: int, *, stream: TextIO, unit: str = "submission", bar: bool | None = None) -> None:
        self.total = total
        self.stream = stream
        self.unit = unit
        self.done = 0
        self.started = time.perf_counter()
        isatty = getattr(stream, "isatty", None)
        self.use_bar = bool(isatty and isatty()) if bar is None else bar
        self._bar: Any = None

    def __enter__(self) -> BatchProgress:
        if self.use_bar:
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, file=self.stream, unit=f" {self.unit}s", unit_scale=False,
                             desc="grading", dynamic_ncols=True, smoothing=0.1, leave=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.close()

    def step(self, label: str, outcome: str, *, notable: bool = False) -> None:
        """One submission finished. On the bar, only ``notable`` outcomes (not graded, ...) print a line."""
        self.done += 1
        if self._bar is not None:
            if notable:
                self._bar.write(f"{label}: {outcome}", file=self.stream)
            self._bar.set_postfix_str(label[:24], refresh=False)
            self._bar.update(1)
            return
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        print(f"[{self.done}/{self.total}] {label}: {outcome}  ({rate:.2f} {self.unit}s/s, ETA {_clock(eta)})",
              file=self.stream, flush=True)
