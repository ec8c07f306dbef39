"""Chinese and English through gettext: a small :class:`Translator` passed to whatever writes a sentence.

Nothing is installed process-wide: :func:`translator` loads the compiled catalog
``grader/locale/<locale>/LC_MESSAGES/messages.mo`` (stdlib :mod:`gettext`) into a Translator, and callers
pass it on (``Options.lang`` -> ``grade()`` -> the sentences; ``render_*(report, tr=...)`` -> Jinja2's
``i18n`` extension). ``docs/i18n.md`` says how to add a message (wrap, extract, translate, compile).

Messages are whole sentences with named placeholders, ``tr._("%(label)s is correct.", label=...)``, so that
a translation may put the parts in its own order. Strings kept as data (check titles, field labels,
hint sentences) are extracted from the specs by :mod:`grader.i18n_extract` and translated where they are
shown, with ``tr.text(check.title)``.
"""
from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("en", "zh")
DEFAULT_LANG = "en"
_LOCALES = {"en": "en", "zh": "zh_CN"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (it is translated where it is shown)."""
    return message


@dataclass(frozen=True)
class Translator:
    """One language's catalog. ``_`` translates a literal message, ``text`` a message id kept as data."""

    lang: str
    translations: gettext.NullTranslations

    def _(self, message: str, /, **params: object) -> str:
        """The translation of ``message`` with its ``%(name)s`` placeholders filled from ``params``."""
        text = self.translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """Singular or plural by ``n``; ``%(n)s`` is available to both."""
        return self.translations.ngettext(singular, plural, n) % {"n": n, **params}

    def text(self, message: str) -> str:
        """The translation of a message kept as data (a title, a label, a hint); "" stays ""."""
        return self.translations.gettext(message) if message else message

    def fill(self, template: str, params: Mapping[str, str]) -> str:
        """A message kept as data (``StudentError.template``) with its values; a value that is itself a message
        (it has ``%(name)s`` placeholders) is translated too and filled from the same values."""
        values = {k: self.translations.gettext(v) % params if "%(" in v else v for k, v in params.items()}
        return self.translations.gettext(template) % values

    def has(self, message: str) -> bool:
        """Whether the catalog has a translation of ``message`` (English has all of them)."""
        if self.lang == DEFAULT_LANG:
            return True
        catalog = getattr(self.translations, "_catalog", {})
        return bool(catalog.get(message))


def normalise(lang: str) -> str | None:
    """``"zh"``, ``"zh_CN"``, ``"zh-CN.UTF-8"`` -> ``"zh"``; ``"en_US"`` -> ``"en"``; unknown -> None."""
    base = lang.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def lang_from_env(environ: Mapping[str, str]) -> str:
    """The language of the locale variables, in gettext's order: LC_ALL, LC_MESSAGES, LANG."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return normalise(value) or DEFAULT_LANG
    return DEFAULT_LANG


def choose_lang(option: str | None, environ: Mapping[str, str]) -> str:
    """``--lang`` when given (``en``/``zh``), otherwise the locale variables, otherwise English."""
    if option:
        return normalise(option) or DEFAULT_LANG
    return lang_from_env(environ)


@functools.lru_cache(maxsize=None)  # one catalog per language (so the render caches keyed by it hit)
def translator(lang: str = DEFAULT_LANG) -> Translator:
    """The Translator of ``lang`` (``en`` or ``zh``); English is the messages themselves."""
    code = normalise(lang) or DEFAULT_LANG
    if code == DEFAULT_LANG:
        return Translator(DEFAULT_LANG, gettext.NullTranslations())
    translations = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[_LOCALES[code]])
    return Translator(code, translations)


def pseudo_translator(mark: Callable[[str], str]) -> Translator:
    """A Translator whose every message is ``mark(message)`` (tests find text that bypassed the catalog)."""

    class Pseudo(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return mark(message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return mark(singular if n == 1 else plural)

    return Translator("pseudo", Pseudo())
