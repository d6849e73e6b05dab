"""A text shown to a person, with its English and Chinese (简体) forms, and the one place that picks between them.

Below the UI (domain, services, OCR, the CLI) a message or label is a `Text`; the UI renders it with
`text.render(lang())` at the moment it shows it. `is_chinese` is the only test of a language code in the code
base (tests/unit/test_text.py fails when another module tests `startswith("zh")` again).

The UI's own words go through Qt's translator (`self.tr`), not through this type: `Text` is for what the lower
layers say, which must read the same from the CLI, the server's replies and the desktop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The languages a `Text` carries, as the settings and the UI name them.
ENGLISH = "en"
CHINESE = "zh_CN"


def is_chinese(lang: str) -> bool:
    """True for a Chinese language code ("zh_CN", "zh", "zh-Hans"...); every other code reads English."""
    return lang.lower().startswith("zh")


def language_code(lang: str) -> str:
    """The language a `Text` renders for `lang`, as "zh_CN" or "en" (an unknown code reads English)."""
    return CHINESE if is_chinese(lang) else ENGLISH


@dataclass(frozen=True, slots=True)
class Text:
    """One text in English and Chinese. Either form may hold `{name}` fields that `format` fills in."""

    en: str
    zh: str

    def render(self, lang: str) -> str:
        """The text in `lang` ("zh..." for Chinese, anything else English); the other form when this one is empty."""
        if is_chinese(lang):
            return self.zh or self.en
        return self.en or self.zh

    def format(self, **params: object) -> Text:
        """Both forms with their `{name}` fields filled in; a `Text` parameter gives each form its own language."""
        return Text(
            en=self.en.format(**_in_language(params, ENGLISH)),
            zh=self.zh.format(**_in_language(params, CHINESE)),
        )

    def with_other(self, lang: str) -> str:
        """The text in `lang` with the other language's form in brackets, "男 (Male)", for a reader who may know
        the other one better; the text alone when both forms read the same."""
        first = self.render(lang)
        second = self.render(ENGLISH if is_chinese(lang) else CHINESE)
        return f"{first} ({second})" if second and second != first else first

    def __add__(self, other: Text) -> Text:
        """Both forms joined, each with its own language's counterpart."""
        return Text(en=self.en + other.en, zh=self.zh + other.zh)


#: No text (a field without help, a verified backup's problem).
NO_TEXT = Text(en="", zh="")


def same(text: str) -> Text:
    """A text that reads the same in both languages (a code, a number, a file name)."""
    return Text(en=text, zh=text)


def join(texts: Iterable[Text], *, en: str = " ", zh: str = "") -> Text:
    """The texts one after the other, `en` between the English forms and `zh` between the Chinese ones."""
    parts = list(texts)
    return Text(en=en.join(t.en for t in parts), zh=zh.join(t.zh for t in parts))


def _in_language(params: Mapping[str, object], lang: str) -> dict[str, object]:
    return {name: value.render(lang) if isinstance(value, Text) else value for name, value in params.items()}
