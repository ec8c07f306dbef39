"""grader/diagnose/: root causes named from exceptions, warnings and failed upstream checks (issue 11).

The end-to-end evidence is the ``diag_*`` mutants (tests/mutants/exercise_0N_diagnoses.toml), graded by
tests/test_every_exercise.py; these tests pin each mechanism on plain data, including where it must stay silent.
"""
from __future__ import annotations

from grader.diagnose.clues import warning_clue
from grader.diagnose.exceptions import explain_error
from grader.diagnose.upstream import upstream_causes
from grader.model import CheckResult, Diagnosis, StudentError, StudentWarning
from grader.sandbox.codec import decode_error, decode_warnings
from grader.spec import Case, Check

MATMUL = ("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
          "(n?,k),(k,m?)->(n?,m?) (size 2 is different from 5)")
CELL = (("self.U", (4, 5)), ("self.W", (4, 4)), ("xt", (2, 5)), ("ht_1", (4, 2)), ("self.b", (4, 1)))


def _error(message: str, line: str, shapes=CELL, type_name: str = "ValueError") -> tuple[StudentError, list[str]]:
    return StudentError(type_name, message, line=2, shapes=shapes), ["def f():", line]


def test_matmul_names_each_operand_shape_and_the_transpose_that_fixes_it():
    text = explain_error(*_error(MATMUL, "    z = self.U @ xt + self.W @ ht_1 + self.b"))
    assert "self.U is [4, 5] and xt is [2, 5]" in text and "use `self.U @ xt.T`" in text
    assert "swap" not in text and "on line 2" in text


def test_matmul_says_swapped_only_when_the_shapes_point_to_it():
    text = explain_error(*_error(MATMUL, "z = self.W @ xt.T"))
    assert "Check that U and W are not swapped: of the arrays this line can see, only self.U" in text
    # no array of the right shape: no guess at all
    alone = (("self.W", (4, 4)), ("xt", (2, 5)))
    assert "swapped" not in explain_error(*_error(MATMUL, "z = self.W @ xt.T", alone))


def test_matmul_without_the_line_or_the_shapes_keeps_the_specs_hint():
    assert explain_error(*_error(MATMUL, "z = f(a) @ g(b)")) is None
    assert explain_error(StudentError("ValueError", MATMUL, line=0), []) is None


def test_truth_value_tells_the_builtin_max_from_an_if():
    ambiguous = "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()"
    assert "builtin max()" in explain_error(*_error(ambiguous, "shifted = o - max(o)"))
    assert "`if array:`" in explain_error(*_error(ambiguous, "if not u or not v:"))
    assert "builtin" not in explain_error(*_error(ambiguous, "if np.max(u) == 0 and v:"))


def test_broadcast_errors_keepdims_and_empty_sequences():
    keep = explain_error(*_error("operands could not be broadcast together with shapes (4,3) (4,) ", "y = x / n"))
    assert "keepdims=True" in keep and "[4, 3]" in keep
    empty = explain_error(*_error("could not broadcast input array from shape (0,) into shape (5,)",
                                  "row[-len(kept):] = kept"))
    assert "empty sequence" in empty and "[-len(s):] is [0:]" in empty
    # shapes that are not one with axes removed: no keepdims claim
    assert explain_error(*_error("operands could not be broadcast together with shapes (4,3) (2,) ", "y = x / n")) is None


def test_warning_clue_names_the_line_and_the_meaning():
    clue = warning_clue((StudentWarning("RuntimeWarning", "invalid value encountered in divide", 44),))
    assert "on line 44 of your file" in clue and "0/0" in clue
    assert warning_clue(()) == ""


def test_codec_decodes_the_clues_strictly():
    record = {"type": "ValueError", "message": "m", "line": 7, "shapes": {"xt": [2, 5], "bad": "x", 3: [1],
                                                                            "deep": list(range(20))}}
    error = decode_error(record)
    assert error.line == 7 and error.shapes == (("xt", (2, 5)),)
    assert decode_error({"line": "7", "shapes": []}).line == 0
    assert decode_warnings([{"category": "RuntimeWarning", "message": "overflow", "line": 3}, "junk"]) == (
        StudentWarning("RuntimeWarning", "overflow", 3),)
    assert decode_warnings("junk") == ()


def _check(name: str, depends=()) -> Check:
    return Check(name, name.title(), 1.0, "p", lambda seed: Case({}, {}), 1, depends=depends)


def _result(name: str, status: str, message: str = "It is wrong.", kind: str = "value") -> CheckResult:
    diag = () if status == "passed" else (Diagnosis(field="f", ok=False, kind=kind, message=message),)
    return CheckResult(name, name.title(), 0.0 if status != "passed" else 1.0, 1.0, status, message, diag)  # type: ignore[arg-type]


def test_upstream_failure_is_said_first_and_only_while_it_fails():
    checks = (_check("forward"), _check("backward", (("forward", "rnn_forward"),)))
    out = upstream_causes((_result("forward", "failed"), _result("backward", "failed")), checks=checks)
    assert out[1].message.startswith("Fix rnn_forward first: the check “Forward” fails")
    assert out[1].message.endswith("What this check found: It is wrong.") and out[0].message == "It is wrong."
    fine = upstream_causes((_result("forward", "passed"), _result("backward", "failed")), checks=checks)
    assert fine[1].message == "It is wrong."


def test_a_failed_no_mutation_check_is_named_by_the_checks_it_explains():
    checks = (_check("no_mutation"), _check("step", (("no_mutation", "call()"),)))
    mutated = _result("no_mutation", "failed", "Your call() modified ht_1 in place.", kind="mutated")
    out = upstream_causes((mutated, _result("step", "failed")), checks=checks)
    assert out[1].message.startswith("Fix the in-place change first (check “No_Mutation”): Your call() modified ht_1")


def test_a_factor_is_claimed_only_when_every_case_of_the_check_agrees():
    import numpy as np

    from grader.compare import compare
    from grader.diagnose.consistency import consistent_causes
    from grader.evaluate import _summarise
    from grader.i18n import translator
    from grader.spec import Field
    from grader.model import Value

    def value(x):
        a = np.asarray(x, dtype=np.float64)
        return Value("array" if a.ndim else "scalar", "numpy.ndarray" if a.ndim else "float", dtype="float64", data=a)

    e = np.array([0.5, -1.0, 2.0])
    one, two = Field("a", "a"), Field("b", "b")
    s_one, s_two = Field("a", "a", kind="scalar"), Field("b", "b", kind="scalar")
    assert compare(s_one, value(0.6), value(0.3)).likely_cause is None  # two numbers always have "a factor"
    agree = [compare(one, value(2 * e), value(e)), compare(two, value(2 * e[::-1]), value(e[::-1]))]
    disagree = [agree[0], compare(two, value(3 * e), value(e))]
    for diagnoses, claimed in ((agree, True), (disagree, False)):
        result = CheckResult("c", "C", 0.0, 1.0, "failed", _summarise(None, diagnoses, translator()), tuple(diagnoses))
        assert ("constant factor" in consistent_causes(result).message) is claimed
    scalars = [compare(s_one, value(1.2), value(0.6)), compare(s_two, value(-3.0), value(-1.5))]
    result = CheckResult("c", "C", 0.0, 1.0, "failed", _summarise(None, scalars, translator()), tuple(scalars))
    assert "the same factor, about 2" in consistent_causes(result).message
    odd = [scalars[0], compare(s_two, value(-3.3), value(-1.5))]
    result = CheckResult("c", "C", 0.0, 1.0, "failed", _summarise(None, odd, translator()), tuple(odd))
    assert "factor" not in consistent_causes(result).message


def test_the_backward_loop_is_never_blamed_for_clipping_or_a_wrong_h0_alone(mutants):
    """grader/diagnose/bptt.py: "the error enters at step k" only when verified (the words themselves are checked by
    the diag_* mutants of exercise-04; here: the unverified sentence is absent)."""
    from conftest import graded

    for name in ("diag_clipped_inside_backward", "diag_h0_grad_is_dz1", "diag_loop_misses_step_1"):
        report = graded(mutants("exercise-04")[name], "exercise-04")
        failed = [c for c in report.checks if not c.passed and c.name.startswith("grad_")]
        assert failed, name
        assert not any("the error enters at step" in c.message for c in failed), name


def test_crossed_outputs_are_named_only_when_one_holds_exactly_what_another_should_be():
    """grader/diagnose/crossed.py on plain data: swapped, one-way, and silent for a coincidence of constants."""
    import numpy as np

    from grader.diagnose.crossed import crossed_cause
    from grader.i18n import translator
    from grader.model import Value
    from grader.spec import Field

    def arr(a):
        return Value(kind="array", type_name="numpy.ndarray", dtype="float64", data=np.asarray(a, np.float64))

    fields = (Field("o", "o"), Field("ht", "ht"))
    o, ht = np.arange(6.0).reshape(3, 2), np.linspace(-1, 1, 8).reshape(4, 2)
    expected = {"o": arr(o), "ht": arr(ht)}
    tr = translator()
    swapped = crossed_cause(fields[1], fields=fields, got={"o": arr(ht), "ht": arr(o)}, expected=expected, tr=tr)
    assert "your ht holds what o should be, and your o what ht should be" in swapped
    one_way = crossed_cause(fields[1], fields=fields, got={"o": arr(o), "ht": arr(o)}, expected=expected, tr=tr)
    assert "your ht holds exactly what o should be" in one_way
    assert crossed_cause(fields[1], fields=fields, got={"o": arr(o), "ht": arr(o + 1)}, expected=expected, tr=tr) is None
    flat = {"o": arr(np.zeros((4, 2))), "ht": arr(ht)}  # a constant expected value is never "what o should be"
    assert crossed_cause(fields[1], fields=fields, got={"o": arr(o), "ht": arr(np.zeros((4, 2)))}, expected=flat,
                         tr=tr) is None

def test_the_line_number_rule_compares_the_number_the_message_gives_as_the_line():
    """exercise-02's load_ragged probe: "names the line number" reads the number, not only the exception type."""
    from grader.probes.exercise_02 import names_line

    assert names_line("line 17: expected 5 values, found 4", 17) and names_line("第 17 行的数值个数不对", 17)
    assert names_line("Line #17 has 4 values", 17) and names_line("bad row (17)", 17)
    assert names_line("the 17th line has 4 values", 17) and names_line("glove.txt:17: 4 values", 17)
    # a message that says which line it means is taken at its word, even if 17 appears elsewhere in it
    assert not names_line("line 16: expected 5 values, found 17", 17)
    # digits inside a value or a word are not a line number
    assert not names_line("bad value 0.17 in row 16", 17) and not names_line("word w17 has 4 values", 17)


def test_python_lists_empty_lists_and_single_space_splits_are_named_and_only_those():
    lists = explain_error(StudentError("AttributeError", "'list' object has no attribute 'shape'", line=1), ["x"])
    assert "A Python list has no .shape" in lists and "np.asarray" in lists
    assert explain_error(StudentError("AttributeError", "'dict' object has no attribute 'shape'", line=1), ["x"]) is None
    empty = explain_error(StudentError("ValueError", "need at least one array to concatenate", line=1), ["x"])
    assert "the list is empty" in empty
    tab = explain_error(StudentError("ValueError", r"could not convert string to float: '-1.2e-05\t0.27'", line=1), [])
    assert "split on single spaces" in tab
    assert explain_error(StudentError("ValueError", "could not convert string to float: 'abc'", line=1), []) is None


def test_an_assert_where_the_contract_names_an_exception_is_explained_and_only_then():
    from grader.diagnose.refine import _wrong_exception
    from grader.i18n import translator

    tr = translator()
    assert "raise ValueError(...) yourself" in _wrong_exception("m", "ValueError", "AssertionError", tr)
    assert _wrong_exception("m", "ValueError", "IndexError", tr) == "m"
    assert _wrong_exception("m", "AssertionError", "AssertionError", tr) == "m"


def test_a_hint_that_predicts_only_nan_is_not_claimed_for_a_nan():
    import numpy as np

    from grader.evaluate import _hint_for
    from grader.model import Value
    from grader.spec import Field, Hint

    nan = Value("scalar", "float", dtype="float64", data=np.asarray(np.nan))
    field = Field("norm", "norm", kind="scalar")
    hints = (Hint("a NaN-only mistake", ("norm",), lambda case: {"norm": np.nan}),
             Hint("a finite mistake", ("norm",), lambda case: {"norm": 2.0}))
    check = Check("c", "C", 1.0, "p", lambda seed: Case({}, {}), 1, (field,), hints=hints)
    expected = {"norm": Value("scalar", "float", dtype="float64", data=np.asarray(np.inf))}
    assert _hint_for(check, field, {"norm": nan}, expected, Case({}, {})) is None
    two = {"norm": Value("scalar", "float", dtype="float64", data=np.asarray(2.0))}
    assert _hint_for(check, field, two, expected, Case({}, {})) == "a finite mistake"
