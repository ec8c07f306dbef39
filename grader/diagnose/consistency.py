"""A constant factor or offset is claimed only when it is the same in every case of a check.

compare.py recognises a factor or an offset inside one output (at least two different expected values). A
check often has several outputs (cases): a claim made on the first one stands only if every other failed output
shows the same factor (or offset). Single numbers (one float per case) get a factor claim only here, when at
least two of them agree on it.
"""
from __future__ import annotations

from dataclasses import replace

from grader.i18n import Translator, translator
from grader.model import CheckResult, Diagnosis

AMOUNTS = ("factor", "offset")


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-3 * max(abs(a), abs(b), 1e-12)


def _drop_claim(result: CheckResult, first: Diagnosis, tr: Translator) -> CheckResult:
    with_claim = tr._("%(diagnosis)s Likely cause: %(cause)s.", diagnosis=first.message, cause=first.likely_cause)
    sentence = with_claim.replace(first.message, "", 1)
    diagnoses = tuple(replace(d, likely_cause=None) if d is first else d for d in result.diagnoses)
    return replace(result, message=result.message.replace(sentence, "", 1), diagnoses=diagnoses)


def _scalar_factor(result: CheckResult, failed: list[Diagnosis], tr: Translator) -> CheckResult:
    pairs = [(d.got_at_worst, d.expected_at_worst) for d in failed if d.kind == "value" and d.worst_index == ()]
    if len(pairs) < 2 or len(pairs) != len(failed) or any(g is None or not e for g, e in pairs):
        return result
    ratios = [g / e for g, e in pairs]  # type: ignore[operator]
    expected = {round(e, 9) for _, e in pairs}  # type: ignore[arg-type]
    k = ratios[0]
    if len(expected) < 2 or abs(k - 1) <= 1e-3 or not all(_same(r, k) for r in ratios):
        return result
    first = failed[0]
    cause = tr._("every value you return is the expected one times the same factor, about %(k)s, in every case of "
                 "this check: look for a missing or extra constant such as a square root, a 1/B or a sum instead of a "
                 "mean", k=f"{k:.4g}")
    message = result.message.replace(first.message, tr._("%(diagnosis)s Likely cause: %(cause)s.",
                                                         diagnosis=first.message, cause=cause), 1)
    diagnoses = tuple(replace(d, likely_cause=cause) if d is first else d for d in result.diagnoses)
    return replace(result, message=message, diagnoses=diagnoses)


def consistent_causes(result: CheckResult, *, tr: Translator | None = None) -> CheckResult:
    tr = tr or translator()
    if result.passed or result.hidden:
        return result
    failed = [d for d in result.diagnoses if not d.ok]
    if not failed:
        return result
    first = failed[0]
    if first.cause_kind in AMOUNTS and first.likely_cause and first.likely_cause == first.generic_cause:
        others = [d for d in failed[1:] if d.kind == "value"]
        if not all(d.cause_kind == first.cause_kind and _same(d.cause_amount, first.cause_amount) for d in others):
            return _drop_claim(result, first, tr)
        return result
    if first.likely_cause is None:
        return _scalar_factor(result, failed, tr)
    return result
