"""Turns one check's student outcome, reference outcome and equivalent values into a CheckResult."""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from grader.compare import compare, compare_numbers
from grader.diagnose.crossed import crossed_cause
from grader.explainers import explain_sentence
from grader.i18n import N_, Translator, translator
from grader.model import CheckResult, Diagnosis, ProbeOutcome, StudentError, Value
from grader.spec import Case, Check, ErrorHint, Field, Hint
from grader.structural import close, value_close


def error_sentence(error: StudentError, hints: tuple[ErrorHint, ...], *, tr: Translator | None = None) -> str:
    """A student-facing sentence for an exception or a process that ended badly."""
    tr = tr or translator()
    if error.type_name in ("Timeout", "MemoryLimit", "ProcessEnded", "CorruptResult"):
        reason = tr.fill(error.template, dict(error.params)) if error.template else tr.text(error.message)
        return tr._("Your code did not finish: %(reason)s.", reason=reason)
    if error.type_name == "ContractError":
        return tr._("%(problem)s.", problem=tr.text(error.message))
    if error.type_name == "SystemExit":
        if error.where:
            return tr._("Your code called sys.exit() (%(code)s) (%(where)s of your file); a function must return "
                        "its result.", code=error.message, where=error.where)
        return tr._("Your code called sys.exit() (%(code)s); a function must return its result.", code=error.message)
    if error.where:
        text = tr._("Your code raised %(type)s: %(message)s (%(where)s of your file).", type=error.type_name,
                    message=error.message, where=error.where)
    else:
        text = tr._("Your code raised %(type)s: %(message)s.", type=error.type_name, message=error.message)
    for hint in hints:
        if hint.type_name in (error.type_name, *error.bases) and hint.contains.lower() in error.message.lower():
            return tr._("%(error)s %(hint)s", error=text, hint=tr.text(hint.message))
    return text


def _matches(value: Value | None, target: np.ndarray, field: Field) -> bool:
    return value_close(value, target, atol=field.atol, rtol=field.rtol)


def _contradicted(hint: Hint, variant: Mapping[str, Any], check: Check, got: Mapping[str, Value],
                  expected: Mapping[str, Value]) -> bool:
    """True when another output the mistake would change is right: e.g. "the activation is not applied" predicts a
    wrong h_t too, so a correct h_t rules it out for o."""
    for other in check.fields:
        if other.name not in hint.fields or other.name not in variant or other.name not in expected:
            continue
        want = expected[other.name].data
        try:
            wrong = np.asarray(variant[other.name], dtype=np.float64)
        except (TypeError, ValueError):
            continue
        if want is None or (want.shape == wrong.shape and close(wrong, want, atol=other.atol, rtol=other.rtol)):
            continue  # the mistake does not change this output here
        if _matches(got.get(other.name), want, other) and not _matches(got.get(other.name), wrong, other):
            return True
    return False


def _hint_for(check: Check, field: Field, got: Mapping[str, Value], expected: Mapping[str, Value],
              case: Case) -> str | None:
    """The first known mistake (a spec ``Hint``) that gives the student's value of ``field`` and that no other
    output of the check contradicts."""
    mine = got.get(field.name)
    if mine is None or mine.data is None:
        return None
    for hint in check.hints:
        if field.name not in hint.fields:
            continue
        try:
            variant = hint.variant(case)
            wrong = np.asarray(variant[field.name], dtype=np.float64)
        except (ArithmeticError, ValueError, KeyError, IndexError):
            continue
        if wrong.size and np.isnan(wrong).all():
            continue  # a mistake that gives only NaN here shares it with many others: it names no one cause
        if _matches(mine, wrong, field) and not _contradicted(hint, variant, check, got, expected):
            return hint.message
    return None


def _with_hint(diag: Diagnosis, hint: str | None, hidden: bool) -> Diagnosis:
    cause = hint or diag.likely_cause
    if cause is None:
        return diag
    if hidden:
        return Diagnosis(field=diag.field, ok=False, kind=diag.kind, message=diag.message, likely_cause=cause,
                         atol=diag.atol, rtol=diag.rtol, against=diag.against)
    return Diagnosis(**{**diag.__dict__, "likely_cause": cause})


def _compare_fields(check: Check, got: Mapping[str, Value], expected: Mapping[str, Value], case: Case,
                    tr: Translator) -> list[Diagnosis]:
    out = []
    for field in check.fields:
        if field.against:  # a self-consistency check: another output of the student's own run
            target = got.get(field.against)
            if target is None:
                out.append(Diagnosis(field=field.name, ok=False, kind="missing",
                                     message=tr._("%(output)s was not produced.",
                                                  output=tr.text(field.against_text) or field.against)))
                continue
            diag = compare(field, got.get(field.name), target, against="self-consistency", hidden=check.hidden,
                           tr=tr)
        else:
            diag = compare(field, got.get(field.name), expected[field.name], hidden=check.hidden, tr=tr)
        if not diag.ok and diag.kind in ("value", "shape") and field.name in got:
            hint = _hint_for(check, field, got, expected, case)
            cause = tr.text(hint) if hint else crossed_cause(field, fields=check.fields, got=got, expected=expected,
                                                             tr=tr)
            diag = _with_hint(diag, cause, check.hidden)
        out.append(diag)
    return out


def _compare_equivalent(check: Check, got: Mapping[str, Value], equivalent: Mapping[str, np.ndarray],
                        tol: tuple[float, float], library: str, *, tr: Translator | None = None) -> list[Diagnosis]:
    tr = tr or translator()
    out = []
    for field in check.fields:
        value = got.get(field.name)
        if field.name not in equivalent or value is None or value.data is None:
            continue
        spec = Field(field.name, field.label, field.kind, atol=tol[0], rtol=tol[1], against="equivalent",
                     against_text=tr._("the values computed by %(library)s", library=library) if library else "")
        out.append(compare_numbers(spec, value.data, np.asarray(equivalent[field.name], np.float64), against="keras",
                                   tr=tr))
    return out


def check_title(check: Check, tr: Translator) -> str:
    """The check's title in ``tr``'s language (a hidden copy says so)."""
    base = check.title.removesuffix(" (hidden case)")
    if check.hidden:
        return tr._("%(title)s (hidden case)", title=tr.text(base))
    return tr.text(check.title)


def _result(check: Check, status: str, message: str, diagnoses: tuple[Diagnosis, ...] = (), *,
            tr: Translator) -> CheckResult:
    points = check.points if status == "passed" else 0.0
    return CheckResult(name=check.name, title=check_title(check, tr), points=points, max_points=check.points,
                       status=status, message=message, diagnoses=diagnoses, hidden=check.hidden)  # type: ignore[arg-type]


def _summarise(check: Check, diagnoses: list[Diagnosis], tr: Translator) -> str:
    failed = [d for d in diagnoses if not d.ok]
    if not failed:
        return tr._("Correct.")
    first = failed[0]
    text = first.message
    if first.likely_cause:
        text = tr._("%(diagnosis)s Likely cause: %(cause)s.", diagnosis=text, cause=first.likely_cause)
    if len(failed) > 1:
        others = ", ".join(sorted({d.field for d in failed[1:]} - {first.field}))
        if others:
            text = tr._("%(diagnosis)s Also wrong: %(fields)s.", diagnosis=text, fields=others)
    return text


def _raised(check: Check, error: StudentError, error_hints: tuple[ErrorHint, ...], tr: Translator) -> CheckResult:
    if error.type_name == "NotImplementedError":
        where = error.where.rpartition(" in ")[2] if " in " in error.where else ""
        if error.message:
            message = tr._("Not implemented yet: %(what)s.", what=error.message)
        elif where:
            message = tr._("Not implemented yet: %(function)s() in your code.", function=where)
        else:
            message = tr._("Not implemented yet: this part.")
        return _result(check, "not_implemented", message, tr=tr)
    status = "timeout" if error.type_name == "Timeout" else "error"
    return _result(check, status, error_sentence(error, error_hints, tr=tr), tr=tr)


def evaluate(check: Check, *, got: ProbeOutcome, expected: ProbeOutcome, case: Case,
             equivalent: Mapping[str, np.ndarray] | None = None, equivalent_tol: tuple[float, float] = (1e-5, 1e-4),
             equivalent_library: str = "",
             error_hints: tuple[ErrorHint, ...] = (), tr: Translator | None = None) -> CheckResult:
    tr = tr or translator()
    if got.status == "not_run":
        return _result(check, "error", tr._("This check did not run because an earlier problem stopped your code."),
                       tr=tr)
    if expected.status == "raised" and expected.error is not None:
        return _expect_raise(check, got, expected.error, error_hints, tr)
    if got.status != "ok" or got.error is not None:
        error = got.error or StudentError("ProcessEnded", N_("the process ended unexpectedly"))
        return _raised(check, error, error_hints, tr)
    diagnoses = _compare_fields(check, got.values, expected.values, case, tr)
    if equivalent and all(d.ok for d in diagnoses):
        diagnoses += _compare_equivalent(check, got.values, equivalent, equivalent_tol, equivalent_library, tr=tr)
    status = "passed" if all(d.ok for d in diagnoses) else "failed"
    message = _summarise(check, diagnoses, tr)
    if status == "failed" and check.explain is not None and not check.hidden:  # it may quote the inputs
        message = _explained(check, message, got.values, expected.values, case, tr)
    return _result(check, status, message, tuple(diagnoses), tr=tr)


def _explained(check: Check, message: str, got: Mapping[str, Value], expected: Mapping[str, Value], case: Case,
               tr: Translator) -> str:
    """Append the check's own extra sentence (``Check.explain``, see grader/explainers.py), if it has one."""
    assert check.explain is not None
    extra = explain_sentence(check.explain, case, got, expected, tr=tr)
    return tr._("%(diagnosis)s %(explanation)s", diagnosis=message, explanation=extra) if extra else message


def _expect_raise(check: Check, got: ProbeOutcome, want: StudentError, error_hints: tuple[ErrorHint, ...],
                  tr: Translator) -> CheckResult:
    if got.status == "raised" and got.error is not None and want.type_name in (got.error.type_name, *got.error.bases):
        return _result(check, "passed", tr._("Correct: it raises %(type)s.", type=want.type_name), tr=tr)
    if got.status == "raised" and got.error is not None and got.error.type_name == "NotImplementedError":
        return _raised(check, got.error, error_hints, tr)
    if got.status in ("timeout", "crashed", "memory") and got.error is not None:
        return _raised(check, got.error, error_hints, tr)
    title = check_title(check, tr).rstrip(".")
    if got.error:
        message = tr._("%(title)s: %(expected)s was expected, but it raised %(raised)s.", title=title,
                       expected=want.type_name, raised=got.error.type_name)
    else:
        message = tr._("%(title)s: %(expected)s was expected, but it returned normally.", title=title,
                       expected=want.type_name)
    return _result(check, "failed", message, tr=tr)

