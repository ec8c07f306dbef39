"""The one result model: frozen dataclasses that flow runner -> comparison -> report.

Rendering lives in :mod:`grader.report.render` (free functions). The one exception is
:class:`GradeReport`'s Jupyter display hooks (``_repr_html_``, ``_repr_markdown_``, ``_repr_pretty_``):
thin methods that import those render functions lazily, so that ``grader.check(...)`` shows its report
in a notebook without a wrapper object.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

ValueKind = Literal["array", "scalar", "str", "bool", "none", "sequence", "mapping", "forbidden"]


@dataclass(frozen=True, eq=False)
class Value:
    """One value produced by student or reference code, converted to plain data.

    ``type_name`` is the exact Python type (``"numpy.ndarray"``, ``"float"``, ...). For arrays and
    numeric scalars ``data`` holds ``np.asarray(value, float64)`` (or the original integers/bools
    as float64) and ``dtype`` the original dtype.
    """

    kind: ValueKind
    type_name: str
    dtype: str | None = None
    data: np.ndarray | None = None
    text: str | None = None
    items: tuple[Value, ...] = ()
    keys: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, ...] | None:
        return None if self.data is None else tuple(self.data.shape)


@dataclass(frozen=True)
class StudentError:
    """An exception raised by student code, or the way the child process ended."""

    type_name: str
    message: str
    bases: tuple[str, ...] = ()
    where: str = ""  # "line 42, in call" inside the student's file, when known
    line: int = 0  # that line's number (0: unknown)
    # clue for grader/diagnose/: the shapes of the arrays the failing student frame could see (name, shape)
    shapes: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # clue: the argument an in-place write hit, when the code wrote into a read-only input ("" if unknown)
    written: str = ""
    # a message the grader wrote (a timeout, how the process ended): its catalog msgid and values, so that the
    # report can write it in its own language (Translator.fill); ``message`` is its English text
    template: str = ""
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StudentWarning:
    """A warning (NumPy's RuntimeWarning above all) raised on a line of the student's file during one check."""

    category: str
    message: str
    line: int = 0


OutcomeStatus = Literal["ok", "raised", "timeout", "crashed", "memory", "not_run"]


@dataclass(frozen=True)
class ProbeOutcome:
    """What running one check's probe in the child produced."""

    check: str
    status: OutcomeStatus
    values: dict[str, Value] = field(default_factory=dict)
    error: StudentError | None = None
    seconds: float = 0.0
    warnings: tuple[StudentWarning, ...] = ()


@dataclass(frozen=True)
class RunResult:
    """Everything that came back from the child process(es) for one submission."""

    outcomes: dict[str, ProbeOutcome]
    import_error: StudentError | None = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    peak_rss_kib: int = 0
    processes: int = 1
    sandbox: str = ""  # which isolation ran: bubblewrap, or process isolation only (and why)


@dataclass(frozen=True)
class Excerpt:
    """A small window of expected-vs-got values around the worst index (row-major, flattened)."""

    indices: tuple[tuple[int, ...], ...]
    expected: tuple[float, ...]
    got: tuple[float, ...]


@dataclass(frozen=True)
class Diagnosis:
    """The structured result of comparing one named output with its expected value."""

    field: str
    ok: bool
    kind: str  # "ok", "type", "shape", "dtype", "nonfinite", "value", "missing", "error", "mutated"
    message: str
    likely_cause: str | None = None
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    worst_index: tuple[int, ...] | None = None
    expected_at_worst: float | None = None
    got_at_worst: float | None = None
    atol: float | None = None
    rtol: float | None = None
    excerpt: Excerpt | None = None
    against: str = "reference"  # "reference", "keras", "self-consistency", ...
    # the structural cause compare.py recognised on its own ("factor", "offset", "sign", "transposed", "reversed"),
    # its amount (the factor or the offset) and its sentence; a hint may replace likely_cause, not these
    cause_kind: str = ""
    cause_amount: float | None = None
    generic_cause: str = ""


CheckStatus = Literal["passed", "failed", "error", "not_implemented", "timeout"]


@dataclass(frozen=True)
class CheckResult:
    name: str
    title: str
    points: float
    max_points: float
    status: CheckStatus
    message: str
    diagnoses: tuple[Diagnosis, ...] = ()
    hidden: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class EquivalentInfo:
    """Where the independent (Keras/TensorFlow/scikit-learn) expected values came from."""

    source: str  # "stored", "live" or "none"
    library: str = ""
    device: str = ""


@dataclass(frozen=True)
class GradeReport:
    exercise: str
    title: str
    submission: str
    checks: tuple[CheckResult, ...]
    equivalent: EquivalentInfo
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    peak_child_rss_kib: int = 0
    lang: str = "en"  # the language its sentences are written in (grader/i18n.py); the renderers use it too
    sandbox: str = ""  # which isolation the student's code ran in (grader/sandbox/runner.py)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 6)

    @property
    def full_marks(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def nothing_implemented(self) -> bool:
        return bool(self.checks) and all(c.status == "not_implemented" for c in self.checks)

    # Jupyter's display hooks: thin callers of the shared render functions (imported lazily).
    def _repr_html_(self) -> str:
        from grader.report.render import render_html_fragment

        return render_html_fragment(self)

    def _repr_markdown_(self) -> str:
        from grader.report.render import render_markdown

        return render_markdown(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython's plain-text display (consoles)
        from grader.report.render import render_terminal

        printer.text("GradeReport(...)" if cycle else render_terminal(self).rstrip("\n"))
