"""An answer key in memory, and its JSON form (``docs/answer-keys.md``).

A key is data only. Read back, it gives an ordinary :class:`~grader.spec.Exercise` whose checks are
*keyed*: a check's ``make_case`` returns the stored case, each hint's ``variant`` returns the stored outputs
of that mistake, its ``explain.data`` the stored explain data. So grading from a key runs no reference
and evaluates no hint: every expected value is looked up.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from grader.errors import UsageError
from grader.keys.pack import Unpacker, unpack_arrays
from grader.model import EquivalentInfo, ProbeOutcome
from grader.spec import ROOT, Case, Check, ChildLimits, Equivalent, ErrorHint, Exercise, Explain, Field, Hint

FORMAT = "rnn-grader answer key"
VERSION = 1


class KeyFileError(UsageError):
    """A missing, corrupt or other-version key: a one-line error, exit code 2."""


@dataclass(frozen=True)
class CheckKey:
    check: Check
    case: Case
    expected: ProbeOutcome
    equivalent: Mapping[str, np.ndarray]


@dataclass(frozen=True)
class AnswerKey:
    exercise: Exercise  # its checks are the keyed checks of ``checks``
    checks: tuple[CheckKey, ...]
    equivalent: EquivalentInfo
    sources: Mapping[str, str]
    hidden: bool = False


def field_record(field: Field) -> dict[str, Any]:
    out = asdict(field)
    out["messages"] = dict(field.messages)
    out["dtypes"] = list(field.dtypes) if field.dtypes is not None else None
    out["types"] = list(field.types) if field.types is not None else None
    return out


def _field(record: Mapping[str, Any]) -> Field:
    tuples = {k: tuple(record[k]) if record[k] is not None else None for k in ("dtypes", "types")}
    return Field(**{**record, **tuples, "messages": dict(record["messages"])})


def _constant(value: Any) -> Any:
    return lambda *_: value


def _not_live(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    raise UsageError("a key holds stored equivalent values only: --keras live needs the full project")


def keyed_check(record: Mapping[str, Any], unpack: Unpacker) -> CheckKey:
    """One check of a key, as a keyed :class:`Check` with its case, expected outcome and equivalents."""
    case = Case(params=unpack.data(record["case"]["params"]),
                arrays={k: unpack.array(v) for k, v in record["case"]["arrays"].items()},
                files={k: unpack.data(v) for k, v in record["case"]["files"].items()})
    hints = tuple(Hint(message=h["message"], fields=tuple(h["fields"]),
                       variant=_constant({f: unpack.array(r) for f, r in h["outputs"].items()}))
                  for h in record["hints"])
    explain = None
    if record["explain"] is not None:
        e = record["explain"]
        explain = Explain(e["name"], dict(e["args"]), _constant(unpack.data(e["data"])))
    check = Check(name=record["name"], title=record["title"], points=float(record["points"]), probe=record["probe"],
                  make_case=_constant(case), seed=int(record["seed"]),
                  fields=tuple(_field(f) for f in record["fields"]), hints=hints,
                  equivalent_fields=tuple(record["equivalent_fields"]), expect_raises=record["expect_raises"],
                  hidden=bool(record["hidden"]), hideable=bool(record["hideable"]), explain=explain,
                  hints_text=tuple(record["hints_text"]), depends=tuple(tuple(d) for d in record["depends"]))
    expected = unpack.outcome(check.name, record["expected"])
    equivalent = {f: unpack.array(r) for f, r in record["equivalent"].items()}
    return CheckKey(check=check, case=case, expected=expected, equivalent=equivalent)


def answer_key(document: Mapping[str, Any], flat: Mapping[str, np.ndarray], *, where: str) -> AnswerKey:
    """A key from its JSON document and the flat arrays of its npz; anything malformed is a :class:`KeyFileError`."""
    if document.get("format") != FORMAT:
        raise KeyFileError(f"{where} is not an answer key; rebuild the keys with `grade key build`")
    if document.get("version") != VERSION:
        raise KeyFileError(f"{where} is an answer key of version {document.get('version')!r}, but this grader reads "
                           f"version {VERSION}; rebuild the keys with `grade key build` or update the grader")
    try:
        unpack = Unpacker(unpack_arrays(document["arrays"], flat))
        checks = tuple(keyed_check(r, unpack) for r in document["checks"])
        e = document["exercise"]
        equivalent = Equivalent(e["equivalent"]["library"], _not_live, e["equivalent"]["atol"],
                                e["equivalent"]["rtol"]) if e["equivalent"] else None
        exercise = Exercise(id=e["id"], title=e["title"], module_glob=e["module_glob"], stub=ROOT / e["stub"],
                            reference=ROOT / e["reference"], probes=ROOT / e["probes"],
                            checks=tuple(c.check for c in checks), equivalent=equivalent,
                            error_hints=tuple(ErrorHint(**h) for h in e["error_hints"]),
                            limits=ChildLimits(**e["limits"]))
        info = EquivalentInfo(**document["equivalent_info"])
        return AnswerKey(exercise=exercise, checks=checks, equivalent=info, sources=dict(document["sources"]),
                         hidden=bool(document["hidden"]))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise KeyFileError(f"{where} is corrupt ({type(exc).__name__}: {exc}); rebuild it with `grade key build`") from None


def relative(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()
