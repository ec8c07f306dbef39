"""A Babel extraction method for the sentences that the specs keep as data.

Check titles, field labels and messages, hint sentences, error hints, graded hints and the sentences of
the explains' args are data in
``grader/specs/exercise_NN.py`` (and ``grader/specs/hints_text/exercise_NN.py``), not calls of ``_``. This
method imports the module and yields each of those strings, so that ``pybabel extract`` (``make messages``,
configured in ``grader/locale/babel.cfg``) puts every one of them in ``messages.pot`` without marking them
in the specs. They are translated where they are shown, with ``Translator.text``.
"""
from __future__ import annotations

import importlib
import io
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from babel.messages.extract import extract_python

Extracted = tuple[int, str, str, list[str]]


def spec_strings(exercise: Any) -> Iterator[str]:
    """Every student-facing string an exercise holds as data (the exercise's title first)."""
    yield exercise.title
    for hint in getattr(exercise, "error_hints", ()):
        yield hint.message
    for check in exercise.checks:
        yield check.title
        for field in check.fields:
            yield field.label
            yield from field.messages.values()
            yield field.against_text
        for hint in check.hints:
            yield hint.message
        yield from check.hints_text
        yield from (fix for _name, fix in check.depends)  # "Fix %(fix)s first" (grader/diagnose/upstream.py)
        if check.explain is not None:
            yield from explain_strings(check.explain.args)
            if check.explain.name == "matching_mistake" and check.explain.data is not None:
                yield from (mistake["sentence"] for mistake in check.explain.data(check.case())["mistakes"])


def explain_strings(args: Any) -> Iterator[str]:
    """The sentences an explain keeps as its JSON args (grader/explainers.py): ``causes`` (the student's texts
    and their sentences), ``otherwise``, ``same`` and ``different``; other args are field names and numbers.
    (A ``matching_mistake`` explain keeps its sentences in its data, which :func:`spec_strings` computes.)"""
    causes = args.get("causes", {})
    for text, sentence in causes.items():
        yield text
        yield sentence
    for name in ("otherwise", "same", "different"):
        if isinstance(args.get(name), str):
            yield args[name]


def _module_name(path: Path) -> str:
    parts = path.resolve().with_suffix("").parts
    return ".".join(parts[len(parts) - 1 - parts[::-1].index("grader"):])


def _line_of(source: str, text: str) -> int:
    first = text.splitlines()[0][:40] if text else ""
    at = source.find(first) if first else -1
    return source.count("\n", 0, at) + 1 if at >= 0 else 0


def extract_specs(fileobj: IO[bytes], keywords: Sequence[str], comment_tags: Sequence[str],
                  options: dict[str, Any]) -> Iterator[Extracted]:
    """Babel's extraction interface: (line, function name, message, comments) for one spec file."""
    raw = fileobj.read()
    source = raw.decode("utf-8")
    yield from extract_python(io.BytesIO(raw), keywords, comment_tags, options)  # its own `tr._(...)` calls
    module = importlib.import_module(_module_name(Path(fileobj.name)))
    if hasattr(module, "EXERCISE"):
        strings: list[str] = list(spec_strings(module.EXERCISE))
    else:
        strings = [text for series in getattr(module, "HINTS", {}).values() for text in series]
    seen: set[str] = set()
    for text in strings:
        if text and text not in seen:
            seen.add(text)
            yield _line_of(source, text), "", text, []


def compile_catalogs(locale_dir: Path | None = None) -> list[Path]:
    """Compile every ``<locale>/LC_MESSAGES/messages.po`` into its ``.mo`` (``make messages``).

    Babel's ``pybabel compile`` refuses a message such as "at least 90% of the sentences", whose ``% o`` it
    takes for a placeholder; such data is never %-formatted (``Translator.text``), and
    ``tests/test_i18n.py`` checks the named placeholders of every message itself.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    folder = locale_dir or Path(__file__).resolve().parent / "locale"
    written = []
    for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        with open(po, "rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with open(po.with_suffix(".mo"), "wb") as target:
            write_mo(target, catalog)
        written.append(po.with_suffix(".mo"))
    return written
