"""The GradeReport as JSON, both ways: how the grading process hands its report to the kernel.

Decoding is strict: a document that does not have the model's fields raises ``ValueError``.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Mapping

from grader.model import CheckResult, Diagnosis, EquivalentInfo, Excerpt, GradeReport


def encode_report(report: GradeReport) -> dict[str, Any]:
    return dataclasses.asdict(report)


def _index(value: Any) -> tuple[int, ...] | None:
    return None if value is None else tuple(int(i) for i in value)


def _excerpt(data: Mapping[str, Any] | None) -> Excerpt | None:
    if data is None:
        return None
    return Excerpt(indices=tuple(tuple(int(i) for i in index) for index in data["indices"]),
                   expected=tuple(float(v) for v in data["expected"]), got=tuple(float(v) for v in data["got"]))


def _diagnosis(data: Mapping[str, Any]) -> Diagnosis:
    values = {f.name: data[f.name] for f in dataclasses.fields(Diagnosis)}
    values["worst_index"] = _index(values["worst_index"])
    values["excerpt"] = _excerpt(values["excerpt"])
    return Diagnosis(**values)


def _check(data: Mapping[str, Any]) -> CheckResult:
    values = {f.name: data[f.name] for f in dataclasses.fields(CheckResult)}
    values["diagnoses"] = tuple(_diagnosis(d) for d in values["diagnoses"])
    return CheckResult(**values)


def decode_report(data: Mapping[str, Any]) -> GradeReport:
    try:
        values = {f.name: data[f.name] for f in dataclasses.fields(GradeReport)}
        values["checks"] = tuple(_check(c) for c in values["checks"])
        values["equivalent"] = EquivalentInfo(**values["equivalent"])
        values["notes"] = tuple(str(n) for n in values["notes"])
        return GradeReport(**values)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a grade report: {type(exc).__name__}: {exc}") from exc
