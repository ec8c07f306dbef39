"""argparse in the user's language: help headings and usage errors through a :class:`~grader.i18n.Translator`.

argparse writes its own sentences through the process-wide ``gettext`` domain; rather than install
anything process-wide, :class:`Parser` takes the Translator, gives the help text translated headings and
turns argparse's errors into whole translated sentences raised as :class:`~grader.errors.UsageError`
(``grade: error: ...``, exit code 2).
"""
from __future__ import annotations

import argparse
import re
from typing import Any, Mapping, Sequence

from grader.errors import UsageError
from grader.i18n import N_, Translator, choose_lang, lang_from_env, normalise, translator


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, *, tr: Translator) -> None:
        super().__init__(prog)
        self._tr = tr

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix=prefix or self._tr._("usage: "))


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help headings and errors are ``tr``'s; errors raise UsageError."""

    def __init__(self, *, tr: Translator, **kwargs: Any) -> None:
        super().__init__(formatter_class=lambda prog: _Formatter(prog, tr=tr), add_help=False, **kwargs)
        self.tr = tr
        self._positionals.title = tr._("positional arguments")
        self._optionals.title = tr._("options")
        self.add_argument("-h", "--help", action="help", help=tr._("show this help message and exit"))

    def error(self, message: str) -> Any:  # argparse's hook; it must not return
        raise UsageError(argparse_message(message, self.tr))


_ARGPARSE = (
    (r"the following arguments are required: (?P<names>.+)", N_("the following arguments are required: %(names)s")),
    (r"unrecognized arguments: (?P<names>.+)", N_("unrecognized arguments: %(names)s")),
    (r"argument (?P<name>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
     N_("argument %(name)s: invalid choice: %(value)s (choose from %(choices)s)")),
    (r"argument (?P<name>\S+): expected one argument", N_("argument %(name)s: expected one argument")),
    (r"argument (?P<name>\S+): expected at least one argument", N_("argument %(name)s: expected at least one argument")),
    (r"argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.+)",
     N_("argument %(name)s: invalid %(type)s value: %(value)s")),
)


def argparse_message(message: str, tr: Translator) -> str:
    """argparse's English error as a whole sentence of ``tr``'s (the English sentence if it is not known)."""
    for pattern, sentence in _ARGPARSE:
        found = re.fullmatch(pattern, message)
        if found:
            return tr._(sentence, **found.groupdict())
    return message


def lang_option(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language asked for by ``--lang X`` / ``--lang=X`` anywhere in ``argv``, else by the locale variables.

    An unknown language is a usage error (in English: it is the language that could not be chosen).
    """
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang":
            value = argv[i + 1] if i + 1 < len(argv) else ""
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    if value is not None and normalise(value) is None:
        tr = translator(lang_from_env(environ))
        raise UsageError(tr._("argument --lang: invalid choice: %(value)s (choose from 'en', 'zh')", value=repr(value)))
    return choose_lang(value, environ)


def add_lang(parser: argparse.ArgumentParser, tr: Translator) -> None:
    """The ``--lang`` option (already read by :func:`lang_option`; declared so that argparse accepts it)."""
    parser.add_argument("--lang", metavar="{en,zh}",
                        help=tr._("the language of the report and messages: en (default) or zh; LANG or LC_ALL "
                                  "zh_CN.UTF-8 chooses zh too"))
