"""``grade nbgrader ...``: the instructor's side of the nbgrader integration (docs/instructors.md).

    grade nbgrader init COURSE_DIR [--course-id ID] [--exercise ID ...] [--force] [--lang {en,zh}]
    grade nbgrader verify COURSE_DIR ASSIGNMENT [--student ID ...]

``init`` writes a working nbgrader course: ``nbgrader_config.py``, ``rnn_grader.json`` (the secret
seed of the hidden cases, created once and never overwritten) and
``source/<exercise>/<exercise>.ipynb`` for every exercise. The real nbgrader commands then work
unchanged. ``--lang zh`` writes the notebooks' text (instructions, test cells) in Simplified Chinese and
records ``"lang": "zh"`` in ``rnn_grader.json``, so that the test cells print their diagnoses in Chinese.

``verify`` re-grades every autograded notebook of an assignment outside any Jupyter kernel, with the
same hidden cases, and compares each check with the score in nbgrader's gradebook. The test cells
already grade in a separate process, but they are started from the student's kernel, which the
student's code controls; ``verify`` is the independent cross-check for exams.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
import secrets
from pathlib import Path
from typing import Sequence

import nbformat

from grader.errors import UsageError
from grader.i18n import Translator, translator
from grader.parsing import Parser, add_lang
from grader.integrations.nbgrader.course import GenerationError, build_notebook, jinja_env
from grader.integrations.nbgrader.cell import CACHE_FILE, CONFIG_FILE, course_config, timeout_s
from grader.spec import Exercise
from grader.specs import EXERCISE_IDS, UnknownExercise, get_exercise

USAGE = """grade nbgrader init COURSE_DIR [--course-id ID] [--exercise ID ...] [--force] [--lang {en,zh}]
       grade nbgrader verify COURSE_DIR ASSIGNMENT [--student ID ...]"""


def _parser(tr: Translator) -> argparse.ArgumentParser:
    p = Parser(tr=tr, prog="grade nbgrader", usage=USAGE,
               description=tr._("Generate and check the nbgrader course of the RNN chapter."))
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", tr=tr, prog="grade nbgrader init",
                          help=tr._("create (or, with --force, regenerate) the course directory"))
    init.add_argument("course", type=Path, metavar="COURSE_DIR")
    init.add_argument("--course-id", default="rnn-course", help=tr._("the nbgrader course id (default: rnn-course)"))
    init.add_argument("--exercise", action="append", metavar="ID", help=tr._("only this exercise (repeatable)"))
    init.add_argument("--force", action="store_true", help=tr._("overwrite the config and the source notebooks"))
    init.add_argument("--lang", choices=("en", "zh"), help=tr._(
        "the language of the course's notebooks and of the test cells' diagnoses: en (default) or zh; LANG or "
        "LC_ALL zh_CN.UTF-8 chooses zh too"))
    verify = sub.add_parser("verify", tr=tr, prog="grade nbgrader verify",
                            help=tr._("re-grade the autograded notebooks outside the kernel, and compare with "
                                      "the gradebook"))
    verify.add_argument("course", type=Path, metavar="COURSE_DIR")
    verify.add_argument("assignment", metavar="ASSIGNMENT")
    verify.add_argument("--student", action="append", metavar="ID", help=tr._("only this student (repeatable)"))
    add_lang(verify, tr)
    return p


def _exercises(ids: Sequence[str] | None) -> list[str]:
    for exercise_id in ids or ():
        if exercise_id not in EXERCISE_IDS:
            raise UsageError(f"unknown exercise {exercise_id!r}; `grade list` shows the exercises")
    return list(ids or EXERCISE_IDS)


def write_config(course: Path, course_id: str) -> Path:
    text = jinja_env().get_template("nbgrader/nbgrader_config.py.j2").render(
        course_id=course_id, ignore=[CACHE_FILE, CONFIG_FILE])
    path = course / "nbgrader_config.py"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def write_notebook(course: Path, exercise: Exercise, *, tr: Translator | None = None) -> Path:
    path = course / "source" / exercise.id / f"{exercise.id}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(build_notebook(exercise, tr=tr), str(path))
    return path


def write_secret(course: Path, seed: int, *, lang: str = "en") -> Path:
    path = course / CONFIG_FILE
    path.write_text(json.dumps({"hidden_seed": seed, "lang": lang}, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def write_lang(course: Path, lang: str) -> Path:
    """Record the course's language in the existing ``rnn_grader.json``; its other settings (the seed) are kept."""
    path = course / CONFIG_FILE
    config = course_config(course)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({**config, "lang": lang}, indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return path


def run_init(course: Path, course_id: str, exercise_ids: list[str], force: bool, *,
             tr: Translator | None = None) -> int:
    tr = tr or translator()
    course = course.resolve()
    targets = [course / "nbgrader_config.py", *(course / "source" / e / f"{e}.ipynb" for e in exercise_ids)]
    existing = [str(t.relative_to(course)) for t in targets if t.exists()]
    if existing and not force:
        raise UsageError(tr._("%(course)s already has %(files)s; pass --force to regenerate them (the hidden-case "
                              "seed in %(config)s is kept)", course=course, files=", ".join(existing), config=CONFIG_FILE))
    course.mkdir(parents=True, exist_ok=True)
    written = [write_config(course, course_id)]
    if not (course / CONFIG_FILE).exists():
        written.append(write_secret(course, secrets.randbelow(2**31 - 2) + 1, lang=tr.lang))
    elif course_config(course).get("lang", "en") != tr.lang:
        written.append(write_lang(course, tr.lang))
    try:
        written += [write_notebook(course, get_exercise(e), tr=tr) for e in exercise_ids]
    except GenerationError as exc:
        print(tr._("grade nbgrader: cannot generate the notebooks: %(reason)s", reason=exc))
        return 1
    print(tr._("Course %(course_id)s in %(folder)s:", course_id=repr(course_id), folder=course))
    for path in written:
        print(f"  {path.relative_to(course)}")
    print(tr._("Keep %(config)s private: it holds the seed of the hidden cases.", config=CONFIG_FILE))
    print(tr._("Next: cd %(folder)s && nbgrader generate_assignment %(exercise)s --force   (docs/instructors.md)",
               folder=course, exercise=exercise_ids[0]))
    return 0


@dataclass(frozen=True)
class CellGrade:
    """One test cell's row in nbgrader's gradebook."""

    grade_id: str
    auto_score: float | None
    manual_score: float | None
    extra_credit: float | None

    @property
    def manual(self) -> bool:
        return self.manual_score is not None or self.extra_credit is not None

    @property
    def score(self) -> float:  # as nbgrader counts it: a manual score wins over the autograder's
        base = self.manual_score if self.manual_score is not None else self.auto_score or 0.0
        return base + (self.extra_credit or 0.0)


def _gradebook_scores(course: Path, assignment: str) -> dict[str, dict[str, CellGrade]]:
    """{student: {cell name: CellGrade}} from nbgrader's gradebook, found through the course's config."""
    from nbgrader.api import Gradebook, MissingEntry
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config().CourseDirectory
    db_url = config.get("db_url", f"sqlite:///{course / 'gradebook.db'}")
    out: dict[str, dict[str, CellGrade]] = {}
    with Gradebook(db_url, course_id=config.get("course_id", "default_course")) as gb:
        try:
            submissions = gb.find_assignment(assignment).submissions
        except MissingEntry:
            raise UsageError(f"the gradebook has no assignment {assignment!r}: run nbgrader autograde first") from None
        for sub in submissions:
            for nb in sub.notebooks:
                out.setdefault(sub.student.id, {}).update(
                    {g.name: CellGrade(g.id, g.auto_score, g.manual_score, g.extra_credit) for g in nb.grades})
    return out


def _manual_problems(cells: dict[str, CellGrade], names: set[str], signed: dict[str, tuple[float | None, float | None]],
                     regraded: dict[str, float]) -> tuple[list[str], list[str]]:
    """(manual scores nobody set through the formgrader, manual scores the formgrader recorded)."""
    unsigned, confirmed = [], []
    for name in sorted(names):
        cell = cells.get(name)
        if cell is None or not cell.manual:
            continue
        text = (f"{name} manual {cell.manual_score if cell.manual_score is not None else '-'}"
                f"{f' + extra {cell.extra_credit:g}' if cell.extra_credit else ''} (re-graded {regraded[name]:g})")
        (confirmed if signed.get(cell.grade_id) == (cell.manual_score, cell.extra_credit) else unsigned).append(text)
    return unsigned, confirmed


def run_verify(course: Path, assignment: str, students: Sequence[str] | None) -> int:
    from grader.core import Options, grade
    from grader.integrations.nbgrader.audit import AUDIT_FILE, recorded

    course = course.resolve()
    try:
        exercise = get_exercise(assignment)
    except UnknownExercise:
        raise UsageError(f"unknown exercise {assignment!r}; the assignments are named after the exercises") from None
    if not (course / "nbgrader_config.py").is_file():
        raise UsageError(f"{course} is not a course directory (no nbgrader_config.py)")
    config = course_config(course)
    options = Options(timeout_s=timeout_s(config), hidden_secret=config.get("hidden_seed"))
    recorded_cells, signed = _gradebook_scores(course, assignment), recorded(course)
    mismatches = checked = forged = 0
    for student in sorted(students or recorded_cells):
        notebook = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        if not notebook.is_file():
            print(f"{student}: not autograded (no {notebook.relative_to(course)})")
            continue
        report, checked = grade(notebook, exercise, options), checked + 1
        cells = recorded_cells.get(student, {})
        names = {c.name for c in report.checks}
        regraded = {c.name: c.points for c in report.checks}
        wrong = [c.name for c in report.checks
                 if cells.get(c.name) is None or cells[c.name].auto_score is None
                 or abs(cells[c.name].auto_score - c.points) > 1e-9]  # type: ignore[operator]
        unsigned, confirmed = _manual_problems(cells, names, signed, regraded)
        mismatches += bool(wrong or unsigned)
        forged += bool(unsigned)
        total = sum(v.score for k, v in cells.items() if k in names)
        status = "ok" if not wrong else "MISMATCH in " + ", ".join(wrong)
        print(f"{student}: gradebook {total:g}, re-graded {report.score:g}/{report.max_score:g}: {status}")
        if unsigned:
            print(f"  MANUAL SCORE NOT SET THROUGH THE FORMGRADER: {'; '.join(unsigned)}")
        if confirmed:
            print(f"  manual score set in the formgrader: {'; '.join(confirmed)}")
    print(f"{checked} notebook(s) re-graded outside the kernel: {mismatches} differ from the gradebook.")
    if forged:
        print(f"{forged} student(s) have manual scores or extra credit with no record in {AUDIT_FILE}: nobody saved "
              "them in the formgrader (of this course's configuration); check gradebook.db before you export.")
    return 1 if mismatches else 0


def run_nbgrader(argv: Sequence[str], *, tr: Translator | None = None) -> int:
    """``grade nbgrader ...``; ``tr`` is the language that ``--lang`` (or the locale) chose (``grader.cli``)."""
    tr = tr or translator()
    if not argv or argv[0] in ("-h", "--help"):
        print(tr._("usage: ") + USAGE)
        return 0 if argv else 2
    try:
        args = _parser(tr).parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0) and 2
    if args.command == "init":
        return run_init(args.course, args.course_id, _exercises(args.exercise), args.force, tr=tr)
    return run_verify(args.course, args.assignment, args.student)
