"""Which notebook file ``%grade`` grades, and whether that file holds the code the kernel ran.

The file comes from ``--path``, else VS Code's ``__vsc_ipynb_file__``, else the Jupyter server's session
(``__session__`` in the kernel's namespace, or the ``JPY_SESSION_NAME`` variable), else the only notebook
in the working directory. The saved file is what gets graded; :func:`freshness_notes` says when it is
older than the last cell the kernel ran and which of the cells run since are not in it.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence


@dataclass(frozen=True)
class RanCell:
    """A cell the kernel ran: its execution count, its source and when it finished (``time.time()``)."""

    count: int
    source: str
    finished: float


def _candidates(user_ns: Mapping[str, object], env: Mapping[str, str]) -> list[tuple[str, str]]:
    found = [("VS Code", user_ns.get("__vsc_ipynb_file__")), ("the Jupyter session", user_ns.get("__session__")),
             ("the Jupyter session", env.get("JPY_SESSION_NAME"))]
    return [(how, value) for how, value in found if isinstance(value, str) and value.endswith(".ipynb")]


def find_notebook(user_ns: Mapping[str, object], env: Mapping[str, str], *, cwd: Path) -> tuple[Path, str] | None:
    """This kernel's notebook file and how it was found, or None."""
    for how, value in _candidates(user_ns, env):
        path = Path(value)
        for option in ((path,) if path.is_absolute() else (cwd / path, cwd / path.name)):
            if option.is_file():
                return option.resolve(), how
    notebooks = sorted(p for p in cwd.glob("*.ipynb") if p.is_file())
    if len(notebooks) == 1:
        return notebooks[0].resolve(), "the only notebook in the working directory"
    return None


def normalise(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines()).strip()


def saved_cells(path: Path) -> set[str] | None:
    """The normalised sources of a notebook's code cells, or None when it cannot be read."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources = [c.get("source", "") for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return {normalise("".join(s) if isinstance(s, list) else str(s)) for s in sources}


def _clock(stamp: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(stamp))


def _counts(cells: Sequence[RanCell]) -> str:
    shown = ", ".join(f"In [{c.count}]" for c in cells[:4])
    return shown + (f" and {len(cells) - 4} more" if len(cells) > 4 else "")


def changes_code(source: str) -> bool:
    """False for the cells that only grade (``%grade``, ``%load_ext grader``, ``grader.check``): whether they
    are saved does not change the graded code."""
    lines = [line.strip() for line in source.strip().splitlines() if line.strip() and not line.strip().startswith("#")]
    grading = ("%grade", "%load_ext grader", "import grader", "from grader", "grader.")
    return bool(lines) and not all(line.startswith(grading) for line in lines)


def freshness_notes(path: Path, ran: Sequence[RanCell]) -> tuple[str, ...]:
    """What the student must know about the saved file compared with the cells the kernel ran."""
    ran = [c for c in ran if changes_code(c.source)]
    if path.suffix != ".ipynb" or not ran:
        return ()
    saved_at, last = path.stat().st_mtime, max(c.finished for c in ran)
    if saved_at >= last:
        return ()
    cells = saved_cells(path)
    since = [c for c in ran if c.finished > saved_at and normalise(c.source)]
    missing = [c for c in since if cells is not None and normalise(c.source) not in cells]
    head = f"The saved notebook {path} (saved at {_clock(saved_at)}) is older than the last cell you ran ({_clock(last)})"
    if missing:
        return (f"{head}, and {len(missing)} of the cells you ran since ({_counts(missing)}) are not in it: this grade "
                "is for the saved file, not for the code in your kernel. Save the notebook (Ctrl+S / Cmd+S) and "
                "grade again.",)
    return (f"{head}, but it holds every cell you ran since: this grade is for the code you ran.",)
