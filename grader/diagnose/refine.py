"""The post-pass itself: every refinement, in the order the student should read them."""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from grader.diagnose.clues import warning_clue
from grader.diagnose.consistency import consistent_causes
from grader.diagnose.exceptions import explain_error
from grader.diagnose.upstream import upstream_causes
from grader.evaluate import error_sentence
from grader.i18n import Translator, translator
from grader.model import CheckResult, ProbeOutcome
from grader.spec import Check


def refine(results: Sequence[CheckResult], *, checks: Sequence[Check], outcomes: Mapping[str, ProbeOutcome],
           source: str = "", tr: Translator | None = None) -> tuple[CheckResult, ...]:
    """``results`` with root causes named: exceptions translated, warnings as clues, upstream failures first."""
    tr = tr or translator()
    lines = source.splitlines()
    out = []
    for result in results:
        outcome = outcomes.get(result.name)
        if outcome is None or result.passed:
            out.append(result)
            continue
        result = consistent_causes(result, tr=tr)
        message = result.message
        if result.status == "error" and outcome.error is not None:
            cause = explain_error(outcome.error, lines, tr=tr)
            if cause:
                message = _with_cause(message, error_sentence(outcome.error, (), tr=tr), cause, tr)
        clue = warning_clue(outcome.warnings, tr=tr)
        if clue and result.status != "not_implemented":
            message = f"{message} {clue}"
        out.append(replace(result, message=message) if message != result.message else result)
    return upstream_causes(tuple(out), checks=checks, tr=tr)


def _with_cause(message: str, plain: str, cause: str, tr: Translator) -> str:
    """The error sentence with the translated cause in place of a spec's generic error hint (which only guessed).

    ``plain`` is the error sentence without any hint; a message that does not start with it (an import failure, a
    check's own wording) keeps its text and gets the cause after it.
    """
    head = plain if message.startswith(plain) else message
    return tr._("%(error)s %(hint)s", error=head, hint=cause)
