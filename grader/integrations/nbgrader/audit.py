"""A record of the manual scores set through nbgrader's formgrader, for ``grade nbgrader verify``.

nbgrader keeps no trace of who set a ``manual_score`` or an ``extra_credit``: a formgrader edit and a
direct write into ``gradebook.db`` look the same. The course's ``nbgrader_config.py`` (written by
``grade nbgrader init``) therefore wraps the formgrader's grade handler, inside the formgrader only:
after each save, one line goes to ``rnn_grader_manual.jsonl`` next to the config, signed with an HMAC
keyed by the course's secret (``rnn_grader.json``, which no student process can read). ``verify``
then flags every manual score or extra credit that has no matching, correctly signed line.

Standard library only at import: the config file imports this module in every nbgrader command.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

AUDIT_FILE = "rnn_grader_manual.jsonl"
HANDLERS = "nbgrader.server_extensions.formgrader.apihandlers"
MAX_AUDIT_BYTES = 16 * 2**20


def _key(course: Path) -> bytes | None:
    try:
        data = json.loads((course / "rnn_grader.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    seed = data.get("hidden_seed") if isinstance(data, dict) else None
    return f"rnn-grader-manual-scores:{seed}".encode() if isinstance(seed, int) else None


def _mac(key: bytes, grade_id: str, manual: float | None, extra: float | None) -> str:
    return hmac.new(key, json.dumps([grade_id, manual, extra]).encode(), hashlib.sha256).hexdigest()


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def record(course: Path, grade: Any) -> None:
    """Append one signed line for a grade just saved in the formgrader."""
    key = _key(course)
    if key is None:
        return
    manual, extra = _number(grade.manual_score), _number(grade.extra_credit)
    line = {"grade": grade.id, "cell": grade.name, "manual_score": manual, "extra_credit": extra,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "mac": _mac(key, grade.id, manual, extra)}
    fd = os.open(course / AUDIT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


def recorded(course: Path) -> dict[str, tuple[float | None, float | None]]:
    """``{grade id: (manual_score, extra_credit)}``: the last correctly signed line of each grade."""
    key, path = _key(course), course / AUDIT_FILE
    out: dict[str, tuple[float | None, float | None]] = {}
    if key is None or not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_AUDIT_BYTES:
        return out
    for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            line = json.loads(text)
            grade, manual, extra = str(line["grade"]), _number(line["manual_score"]), _number(line["extra_credit"])
        except (ValueError, KeyError, TypeError):
            continue
        if hmac.compare_digest(str(line.get("mac", "")), _mac(key, grade, manual, extra)):
            out[grade] = (manual, extra)
    return out


def install(course: Path) -> bool:
    """Wrap the formgrader's grade handler so that each save is recorded; only where it is loaded."""
    handlers = sys.modules.get(HANDLERS)
    if handlers is None:
        return False
    cls = handlers.GradeHandler
    if getattr(cls.put, "_rnn_grader_audit", False):
        return True
    original = cls.put

    def put(self: Any, grade_id: str) -> None:
        original(self, grade_id)
        try:
            record(course, self.gradebook.find_grade_by_id(grade_id))
        except Exception as exc:  # noqa: BLE001 - never break the formgrader; verify will flag the score
            self.log.warning("rnn-grader: the manual score was not recorded: %s", exc)

    put._rnn_grader_audit = True  # type: ignore[attr-defined]
    cls.put = put
    return True
