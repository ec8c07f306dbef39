"""Chinese and English through gettext (issue 13): the catalogs, the choice of language, zh reports.

The catalog tests extract the messages from the source with Babel itself, so they fail the moment
someone adds an English message (a ``tr._(...)`` call, a template ``_()``, a check title or label in a
spec) without a Chinese translation, or forgets to recompile the committed ``.mo`` (``make messages``).
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import ROOT
from grader.cli import main
from grader.core import Options, grade
from grader.i18n import choose_lang, lang_from_env, translator
from grader.report.render import render_html, render_json, render_markdown, render_terminal, width, wrap
from grader.specs import get_exercise

LOCALE = ROOT / "grader" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdrfgi]")
POSITIONAL = re.compile(r"%[sdrfgi]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, ...]]:
    """Every message of the source, as ``pybabel extract`` (``make messages``) finds it: msgid -> all its forms."""
    with open(LOCALE / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    out: dict[str, tuple[str, ...]] = {}
    for _filename, _line, message, _comments, _context in extract_from_dir(str(ROOT / "grader"), method_map,
                                                                         options_map):
        forms = (message,) if isinstance(message, str) else tuple(message)
        if forms[0]:
            out[forms[0]] = forms
    return out


@pytest.fixture(scope="module")
def zh_catalog():
    with open(PO, "rb") as f:
        return read_po(f, locale="zh_CN")


def test_extraction_finds_code_templates_and_spec_data(extracted):
    assert "Your code raised %(type)s: %(message)s." in extracted  # a tr._() call
    assert "Score: %(score)s/%(max)s" in extracted  # a template _()
    assert get_exercise("exercise-03").checks[1].title in extracted  # a spec's data


def _untranslated(extracted, zh_catalog, *, data: bool) -> list[str]:
    spec_data = set(_spec_data())
    problems = []
    for msgid, forms in extracted.items():
        if (msgid in spec_data) != data:
            continue
        entry = zh_catalog.get(forms[0] if len(forms) == 1 else forms)
        strings = () if entry is None else ((entry.string,) if isinstance(entry.string, str) else entry.string)
        if entry is None or not all(strings):
            problems.append(f"no translation: {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        else:
            want = {name for form in forms for name in PLACEHOLDER.findall(form)}
            for text in strings:
                if set(PLACEHOLDER.findall(text)) != want:
                    problems.append(f"placeholders {sorted(want)} differ in {text!r}")
    return problems


def _spec_data() -> list[str]:
    from grader.i18n_extract import spec_strings
    from grader.specs import all_exercises
    from grader.specs.hints_text import hint_table

    return [text for ex in all_exercises() for text in
            (*spec_strings(ex), *(hint for series in hint_table(ex).values() for hint in series)) if text]


def test_every_message_has_a_chinese_translation_with_the_same_placeholders(extracted, zh_catalog):
    problems = _untranslated(extracted, zh_catalog, data=False)
    assert not problems, f"{len(problems)} messages (run `make messages`, then translate):\n" + "\n".join(problems[:40])


def test_every_spec_sentence_has_a_chinese_translation_with_the_same_placeholders(extracted, zh_catalog):
    problems = _untranslated(extracted, zh_catalog, data=True)
    assert not problems, f"{len(problems)} messages (run `make messages`, then translate):\n" + "\n".join(problems[:40])


def test_messages_built_from_parts_use_named_placeholders(extracted):
    positional = [m for forms in extracted.values() for m in forms if POSITIONAL.search(m.replace("%%", ""))]
    assert not positional, f"use %(name)s placeholders, so that a translation may reorder them: {positional}"


def test_the_committed_mo_is_compiled_from_the_po(zh_catalog):
    compiled = io.BytesIO()
    write_mo(compiled, zh_catalog)
    assert MO.read_bytes() == compiled.getvalue(), "the .mo is stale: run `make messages`"


def test_the_pot_lists_what_the_source_says(extracted):
    with open(LOCALE / "messages.pot", "rb") as f:
        pot = {_key(m.id) for m in read_po(f) if m.id}
    assert pot == set(extracted), ("messages.pot is stale (run `make messages`): "
                                   f"{sorted(set(extracted) ^ pot)[:10]}")


@pytest.mark.parametrize(("option", "env", "want"), [
    (None, {}, "en"), ("zh", {}, "zh"), ("zh_CN", {"LANG": "en_US.UTF-8"}, "zh"), ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh"), (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"), (None, {"LC_MESSAGES": "zh_TW"}, "zh"),
])
def test_the_language_comes_from_the_option_then_lc_all_lc_messages_lang(option, env, want):
    assert choose_lang(option, env) == want
    assert lang_from_env(env) == (want if option is None else lang_from_env(env))


def test_a_translator_translates_whole_sentences_and_keeps_the_values():
    zh, en = translator("zh"), translator("en")
    sentence = "Your code raised %(type)s: %(message)s."
    assert en._(sentence, type="ValueError", message="bad") == "Your code raised ValueError: bad."
    text = zh._(sentence, type="ValueError", message="bad")
    assert CJK.search(text) and "ValueError" in text and "bad" in text
    assert zh.lang == "zh" and translator("zh_CN.UTF-8").lang == "zh"


def test_terminal_width_counts_chinese_characters_twice():
    assert width("得分") == 4 and width("ab") == 2
    lines = wrap("中" * 100, 90)
    assert all(width(line) <= 90 for line in lines) and "".join(lines) == "中" * 100
    for k in range(30, 60):  # wherever the line ends, a number, a name or code is never cut in two
        text = "误" * k + "而你的值是 35.4642（相对误差 4.95519；容差 atol=1e-05，rtol=0.0001）。" + "差" * 20
        lines = wrap(text, 90)
        assert all(width(line) <= 90 for line in lines)
        assert any("35.4642" in line for line in lines) and any("atol=1e-05" in line for line in lines), lines
    assert wrap("ht does not match the expected values: the largest error is 1.27757", 30) == [
        "ht does not match the expected", "values: the largest error is", "1.27757"]


@pytest.fixture(scope="module")
def reports(mutants):
    exercise = get_exercise("exercise-03")
    path = Path(mutants("exercise-03")["missing_c"])
    return {lang: grade(path, exercise, Options(lang=lang)) for lang in ("en", "zh")}


def test_a_zh_report_has_the_same_scores_numbers_and_worst_index_as_the_en_report(reports):
    en, zh = reports["en"], reports["zh"]
    assert zh.lang == "zh" and en.lang == "en"
    assert [(c.name, c.points, c.status) for c in zh.checks] == [(c.name, c.points, c.status) for c in en.checks]
    for c_en, c_zh in zip(en.checks, zh.checks):
        assert c_zh.diagnoses == c_en.diagnoses or [d.worst_index for d in c_zh.diagnoses] == [
            d.worst_index for d in c_en.diagnoses]
        assert [d.max_abs_err for d in c_zh.diagnoses] == [d.max_abs_err for d in c_en.diagnoses]


def test_a_zh_report_names_titles_and_causes_in_chinese(reports):
    zh = reports["zh"]
    assert all(CJK.search(c.title) for c in zh.checks), [c.title for c in zh.checks if not CJK.search(c.title)]
    assert all(CJK.search(t["output"]) for t in json.loads(render_json(zh))["tests"])


def test_every_zh_rendering_is_chinese_and_keeps_points_and_code(reports):
    zh = reports["zh"]
    terminal, html, md = render_terminal(zh), render_html(zh), render_markdown(zh)
    doc = json.loads(render_json(zh))
    assert "得分：" in terminal and "未通过" in terminal and "通过" in terminal
    assert 'lang="zh-CN"' in html and "期望值" in html and "你的值" in html and 'class="worst"' in html
    assert "| 检查 | 得分 | 结果 |" in md
    assert doc["score"] == reports["en"].score and doc["extra_data"]["lang"] == "zh"
    assert "Score:" not in terminal + html + md


def test_grade_lang_zh_and_lang_env_write_chinese_usage_errors_and_help(capsys, monkeypatch):
    assert main(["exercise-03", "--lang", "zh", "--frobnicate"]) == 2
    assert "grade: 错误：无法识别的参数：--frobnicate" in capsys.readouterr().err
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main(["exercise-99"]) == 2
    assert "未知的练习 'exercise-99'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["exercise-03", "--help"])
    out = capsys.readouterr().out
    assert "用法：" in out and "显示此帮助信息并退出" in out and "--lang" in out
    assert main(["exercise-03", "--lang", "en", "--frobnicate"]) == 2
    assert "grade: error: unrecognized arguments: --frobnicate" in capsys.readouterr().err


def test_an_unknown_language_is_a_usage_error(capsys):
    assert main(["exercise-03", "--lang", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
