"""Upstream causes first: when a check that another one builds on fails, the later one says so, first.

A check lists what it builds on in its spec (``Check.depends``: ``(check name, what to fix)`` pairs, most
upstream first). For example every gradient check of exercise-04 depends on ``("forward_values",
"rnn_forward")``: while the forward pass is wrong the gradients cannot match, so their report starts with "Fix
rnn_forward first", and never blames the backward loop alone. A no-mutation check that fails is named the same
way by the checks that call the same function on the same arrays.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from grader.i18n import Translator, translator
from grader.model import CheckResult
from grader.spec import Check

FAILED = ("failed", "error", "timeout")


def _lead(dependency: CheckResult, fix: str, tr: Translator) -> str:
    title = tr.text(dependency.title)
    if any(d.kind == "mutated" for d in dependency.diagnoses):
        return tr._("Fix the in-place change first (check “%(title)s”): %(message)s The grader hands your code the "
                    "same arrays more than once, so that change can explain this failure too.", title=title,
                    message=dependency.message)
    return tr._("Fix %(fix)s first: the check “%(title)s” fails, and this check builds on it, so it cannot pass until "
                "that one does.", fix=tr.text(fix), title=title)


def upstream_causes(results: Sequence[CheckResult], *, checks: Sequence[Check],
                    tr: Translator | None = None) -> tuple[CheckResult, ...]:
    tr = tr or translator()
    by_name = {r.name: r for r in results}
    specs = {c.name: c for c in checks}
    out = []
    for result in results:
        spec = specs.get(result.name)
        if spec is None or result.status not in FAILED:
            out.append(result)
            continue
        suffix = "-hidden" if result.hidden else ""
        for name, fix in spec.depends:
            dependency = by_name.get(name + suffix) or by_name.get(name)
            if dependency is not None and dependency.status in FAILED and dependency.name != result.name:
                message = tr._("%(lead)s What this check found: %(message)s", lead=_lead(dependency, fix, tr),
                               message=result.message)
                result = replace(result, message=message)
                break
        out.append(result)
    return tuple(out)
