"""The post-pass itself: every refinement, in the order the student should read them."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping, Sequence

from grader.diagnose.clues import warning_clue
from grader.diagnose.consistency import consistent_causes
from grader.diagnose.exceptions import explain_error, wrote_read_only_input
from grader.diagnose.upstream import upstream_causes
from grader.evaluate import error_sentence
from grader.i18n import Translator, translator
from grader.model import CheckResult, Diagnosis, ProbeOutcome, StudentError
from grader.spec import Check


def refine(results: Sequence[CheckResult], *, checks: Sequence[Check], outcomes: Mapping[str, ProbeOutcome],
           source: str = "", tr: Translator | None = None) -> tuple[CheckResult, ...]:
    """``results`` with root causes named: exceptions translated, warnings as clues, upstream failures first."""
    tr = tr or translator()
    lines = source.splitlines()
    specs = {c.name: c for c in checks}
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
            if cause and wrote_read_only_input(outcome.error):
                cause = _spec_in_place(specs.get(result.name), outcome.error, tr) or cause
            if cause:
                message = _with_cause(message, error_sentence(outcome.error, (), tr=tr), cause, tr)
            if cause and wrote_read_only_input(outcome.error):  # an in-place change, as a no-mutation check says it
                mutated = Diagnosis(field=outcome.error.written or "input", ok=False, kind="mutated", message=cause,
                                    likely_cause=cause)
                result = replace(result, diagnoses=(*result.diagnoses, mutated))
        spec = specs.get(result.name.removesuffix("-hidden"))
        if spec is not None and spec.expect_raises and outcome.error is not None:
            message = _wrong_exception(message, spec.expect_raises, outcome.error.type_name, tr)
        clue = warning_clue(outcome.warnings, tr=tr)
        if clue and result.status != "not_implemented":
            message = f"{message} {clue}"
        out.append(replace(result, message=message) if message != result.message else result)
    return upstream_causes(tuple(out), checks=checks, tr=tr)


def _wrong_exception(message: str, expected: str, raised: str, tr: Translator) -> str:
    """An ``assert`` where the contract asks for a named exception: say how to raise that one."""
    if raised != "AssertionError" or expected == "AssertionError":
        return message
    return tr._("%(message)s An assert statement raises AssertionError (and Python skips it altogether under -O): "
                "test the condition with if and raise %(expected)s(...) yourself.", message=message, expected=expected)


def _with_cause(message: str, plain: str, cause: str, tr: Translator) -> str:
    """The error sentence with the translated cause in place of a spec's generic error hint (which only guessed).

    ``plain`` is the error sentence without any hint; a message that does not start with it (an import failure, a
    check's own wording) keeps its text and gets the cause after it.
    """
    head = plain if message.startswith(plain) else message
    return tr._("%(error)s %(hint)s", error=head, hint=cause)


def _spec_in_place(check: Check | None, error: StudentError, tr: Translator) -> str | None:
    """The check's own sentence for the input the code wrote into (its ``unchanged`` field's "mutated" message),
    with the line: the same words as when the change was found by comparing, now that the write itself failed."""
    base = re.split(r"[\[.]", error.written, maxsplit=1)[0]
    if check is None or not base:
        return None
    function = error.where.rpartition(" in ")[2] if " in " in error.where else ""
    names = (f"{base}_after", base, f"{base} ({function})")  # exercise-04/06 name a field "h0 (rnn_forward)"
    for spec in check.fields:
        if spec.kind == "unchanged" and "mutated" in spec.messages and spec.name in names:
            if error.line:
                return tr._("%(sentence)s The write is on line %(line)s of your file.",
                            sentence=tr.text(spec.messages["mutated"]).rstrip(), line=error.line)
            return tr.text(spec.messages["mutated"])
    return None
