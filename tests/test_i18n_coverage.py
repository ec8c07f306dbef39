"""Nothing outside the catalog, and zh reports that say the same as the en ones (issue 13).

A pseudo translator (``grader.i18n.pseudo_translator``) wraps the literal words of every message that goes
through the catalog in ⟦ ⟧ and leaves its ``%(name)s`` values outside. A report graded and rendered with it
(terminal, HTML, Markdown, the JSON ``output``) shows, once the marked words are removed, only the values:
numbers, indices, code, names, quoted values and the student's own exception and warning messages. Three or
more plain English words in a row that are left are a sentence that bypassed the catalog (a leftover
f-string) and fail the test, which names it.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import graded
from grader.core import Options, grade
from grader.i18n import pseudo_translator
from grader.model import CheckResult, Diagnosis, EquivalentInfo, GradeReport
from grader.report.render import render_html, render_json, render_markdown, render_terminal
from grader.specs import get_exercise
from mutation import all_mutants

PLACEHOLDER = re.compile(r"(%\(\w+\)[sdrfgi]|%%)")
MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
WORD = r"[A-Za-z][a-z]+"
RUN = re.compile(rf"(?<![\w.`'\"(=/\-]){WORD}(?:[ ,;:]+{WORD}){{2,}}(?![\w(`'\"=/])")
CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
CHEAP = tuple(f"exercise-0{n}" for n in range(1, 8))  # exercise-08 runs Keras in the child: one case below


def mark(message: str) -> str:
    """The pseudo translation: each literal part of ``message`` in ⟦ ⟧, its placeholders outside."""
    return "".join(part if PLACEHOLDER.fullmatch(part) else f"⟦{part}⟧" if part else ""
                   for part in PLACEHOLDER.split(message))


PSEUDO = pseudo_translator(mark)


def leftovers(text: str) -> list[str]:
    """The runs of three or more plain English words of ``text`` outside the marked words and the values."""
    text = re.sub(r"(?s)<(style|script)\b.*?</\1>", " ¶ ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ¶ ", text))
    text = re.sub(r"(?<=raised ⟧)[\w.]+⟦: ⟧[^⟦]*", " ¶ ", text)  # the student's own exception message
    text = re.sub(r"(?<=[“'\"]⟧)[^⟦]*(?=⟦[”'\"])", " ¶ ", text)  # a value quoted by the message (a warning's text)
    text = re.sub(r"(?<=Also wrong: ⟧)[^⟦]*", " ¶ ", text)  # the names of the other wrong outputs
    while MARKED.search(text):  # innermost first: a translated sentence may be a value of another one
        text = MARKED.sub(" ¶ ", text)
    text = re.sub(r"`[^`]*`|“[^”]*”|'[^'\n]{0,160}'|\"[^\"\n]{0,160}\"", " ¶ ", text)  # code and quoted values
    return [m.group(0) for m in RUN.finditer(text)]


def renderings(report: GradeReport) -> dict[str, str]:
    doc = json.loads(render_json(report, tr=PSEUDO))
    return {"terminal": render_terminal(report, tr=PSEUDO), "html": render_html(report, tr=PSEUDO),
            "markdown": render_markdown(report, tr=PSEUDO),
            "json": "\n".join([*(t["output"] for t in doc["tests"]), *doc["extra_data"]["notes"]])}


def test_a_leftover_f_string_is_found_and_catalog_sentences_values_and_student_messages_are_not():
    label = "ht (the new hidden state)"
    leaked = Diagnosis(field="ht", ok=False, kind="value", message=f"{label} does not match the expected values.")
    assert leftovers(leaked.message) == ["new hidden state", "does not match the expected values"]
    through = PSEUDO._("%(label)s does not match %(target)s.", label=PSEUDO.text(label),
                       target=PSEUDO._("the expected values"))
    assert leftovers(through) == []
    raised = PSEUDO._("Your code raised %(type)s: %(message)s.", type="ValueError",
                      message="operands could not be broadcast together")
    assert leftovers(raised) == [] and leftovers(PSEUDO._("Clue: a %(category)s said “%(message)s”.",
                                                          category="RuntimeWarning", message="overflow in exp")) == []
    assert leftovers(PSEUDO._("%(diagnosis)s Likely cause: %(cause)s.", diagnosis=through,
                              cause="the sign is flipped here")) == ["the sign is flipped here"]
    result = CheckResult(name="c", title=PSEUDO.text("One step with tanh"), points=0.0, max_points=1.0,
                         status="failed", message=leaked.message, diagnoses=(leaked,))
    report = GradeReport(exercise="exercise-03", title=PSEUDO.text("RNN cell"), submission="x.py", checks=(result,),
                         equivalent=EquivalentInfo("none"), lang="pseudo")
    assert all("does not match the expected values" in leftovers(text) for text in renderings(report).values())


def _sample(exercise_id: str) -> list[str]:
    """Every fourth mutant of the exercise, and at least three (a cheap, varied sample)."""
    names = [m.name for m in all_mutants(exercise_id)]
    return names[::4] if len(names) >= 12 else names[:3]


@pytest.mark.parametrize("exercise_id", CHEAP)
def test_every_report_kind_of_every_exercise_has_no_sentence_outside_the_catalog(exercise_id, mutants):
    paths, problems = mutants(exercise_id), []
    for name in _sample(exercise_id):
        report = grade(Path(paths[name]), get_exercise(exercise_id), Options(translator=PSEUDO))
        for kind, text in renderings(report).items():
            problems += [f"{name} ({kind}): {run!r}" for run in leftovers(text)]
    assert not problems, "sentences that bypassed the catalog (wrap them in tr._, see docs/i18n.md):\n" + "\n".join(
        sorted(set(problems))[:30])


# ---- the zh report of a mutant names the cause in Chinese and keeps the numbers of the en report --------------

ZH_MUTANTS = {  # one mutant per exercise whose diagnosis has numbers (a value mismatch) or an explained cause
    "exercise-01": "cosine_not_normalised", "exercise-02": "matrix_rows_shifted", "exercise-03": "W_transposed",
    "exercise-04": "output_gradient_sign_flipped", "exercise-05": "global_norm_no_sqrt",
    "exercise-06": "radius_no_abs", "exercise-07": "sgd_gradient_added",
    "exercise-08": "rnn_no_sigmoid+cnn_dense_linear",  # Keras in the child: ~20 s a grading
}

ZH_WORDS = {"exercise-08": "没有使用 sigmoid"}  # its cause is the layer sentence, not a "likely cause"


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(re.sub(r"[A-Za-z_]\w*", " ", text))


def _zh_and_en(exercise_id: str, path: str) -> tuple[GradeReport, GradeReport]:
    zh = grade(Path(path), get_exercise(exercise_id), Options(lang="zh"))
    return zh, graded(path, exercise_id)


@pytest.mark.parametrize(("exercise_id", "name"), sorted(ZH_MUTANTS.items()))
def test_the_zh_report_of_a_mutant_names_the_cause_in_chinese_with_the_en_numbers(exercise_id, name, mutants):
    zh, en = _zh_and_en(exercise_id, mutants(exercise_id)[name])
    assert zh.lang == "zh" and [(c.name, c.points, c.status) for c in zh.checks] == [
        (c.name, c.points, c.status) for c in en.checks]
    failed = [(z, e) for z, e in zip(zh.checks, en.checks) if e.status == "failed"]
    assert failed, f"{name} fails no check"
    for z, e in failed:
        assert CJK.search(z.message) and CJK.search(z.title), z.message
        assert _numbers(z.message) == _numbers(e.message), (z.message, e.message)
        for dz, de in zip(z.diagnoses, e.diagnoses):
            assert (dz.worst_index, dz.max_abs_err, dz.expected_at_worst, dz.got_at_worst) == (
                de.worst_index, de.max_abs_err, de.expected_at_worst, de.got_at_worst)
            if de.likely_cause:
                assert dz.likely_cause and CJK.search(dz.likely_cause), dz.likely_cause
    causes = [d.likely_cause for z, _ in failed for d in z.diagnoses if d.likely_cause]
    named = any(words in z.message for z, _ in failed for words in ("可能的原因", ZH_WORDS.get(exercise_id, "可能的原因")))
    assert causes or named, f"{name}: no cause named in the zh report"


def test_the_sandbox_sentences_with_numbers_are_written_in_the_report_language():
    from grader.evaluate import error_sentence
    from grader.i18n import translator
    from grader.sandbox.codec import grader_error
    from grader.sandbox.runner import _exit_text

    timeout = grader_error("Timeout", "your code ran for more than %(limit)s s and was stopped (is there an infinite "
                           "loop?)", limit="2")
    assert error_sentence(timeout, ()) == ("Your code did not finish: your code ran for more than 2 s and was stopped "
                                           "(is there an infinite loop?).")
    zh = error_sentence(timeout, (), tr=translator("zh"))
    assert "2 秒" in zh and CJK.search(zh) and not leftovers(error_sentence(timeout, (), tr=PSEUDO))
    died = grader_error("MemoryLimit", "the process died (%(exit)s); it may have run out of the %(memory)s MiB memory "
                        "limit", memory=512, **_exit_text(-9))
    assert died.message == ("the process died (it was killed by signal SIGKILL); it may have run out of the 512 MiB "
                            "memory limit")
    zh = error_sentence(died, (), tr=translator("zh"))
    assert "SIGKILL" in zh and "512 MiB" in zh and "killed" not in zh and not leftovers(error_sentence(died, (), tr=PSEUDO))


def test_the_class_summary_of_grade_batch_has_no_sentence_outside_the_catalog(mutants, tmp_path):
    from grader.integrations.batch import grade_one, summarise, write_outputs

    exercise, paths = get_exercise("exercise-03"), mutants("exercise-03")
    results = [grade_one(name, Path(paths[name]), exercise, Options(translator=PSEUDO))
               for name in ("missing_c", "W_transposed", "loss_summed")]
    write_outputs(summarise(exercise, results, tr=PSEUDO), tmp_path, tr=PSEUDO)
    problems = []
    for name in ("summary.html", "summary.md", "summary.txt"):
        path = tmp_path / name
        if path.exists():  # the plots cut long titles (and their markers) short: they are left out here
            text = re.sub(r"(?s)<svg\b.*?</svg>", " ", path.read_text(encoding="utf-8"))
            problems += [f"{name}: {run!r}" for run in leftovers(text)]
    assert (tmp_path / "summary.html").exists() and not problems, problems


def test_the_class_plots_and_the_causes_they_count_are_in_the_report_language():
    from grader.i18n import translator
    from grader.report import plots
    from grader.report.analytics import _cause_of

    zh = translator("zh")
    svg = plots.pass_rates([("检查", 1, 2)], tr=zh) + plots.score_histogram([("0", 1), ("1", 2)], max_score=1, tr=zh)
    assert "通过的学生" in svg and "得分（满分 1）" in svg and "students" not in svg
    explained = zh._("%(diagnosis)s %(explanation)s", diagnosis="x。",
                     explanation=zh._("Likely cause: %(cause)s.", cause="更新时加上了梯度"))
    result = CheckResult(name="c", title="t", points=0.0, max_points=1.0, status="failed", message=explained)
    assert _cause_of(result) == "更新时加上了梯度"
    english = CheckResult(name="c", title="t", points=0.0, max_points=1.0, status="failed",
                          message="ht is wrong. Likely cause: np.clip cuts it. Fix it.")
    assert _cause_of(english) == "np.clip cuts it"


def test_a_zh_gradescope_bundle_tells_students_in_chinese(tmp_path):
    import json as _json

    from grader.i18n import translator
    from grader.integrations.gradescope.autograder import find_submission
    from grader.integrations.gradescope.bundle import bundle_files
    from grader.integrations.gradescope.results import results_document

    files = bundle_files("exercise-03", hidden_seed=None, memory_mb=None, sandbox="auto", lang="zh")
    config = _json.loads(next(data for name, data, _ in files if name == "autograder.json"))
    assert config["lang"] == "zh" and all(CJK.search(title) for _, title, _ in config["checks"])
    _, reason = find_submission(tmp_path, "exercise_03*.py", tr=translator("zh"))
    assert "提交内容为空" in reason and "exercise_03*.py" in reason
    zh = translator("zh")
    passed = CheckResult(name="c", title=zh.text("One step with tanh"), points=1.0, max_points=1.0, status="passed",
                         message="")
    report = GradeReport(exercise="exercise-03", title="RNN", submission="x.py", checks=(passed,),
                         equivalent=EquivalentInfo("none"), lang="zh")
    document = results_document(report, seconds=0.1, sandbox="auto")
    assert "得分：1/1" in document["output"] and document["tests"][0]["output"] == "<p>通过。</p>"
