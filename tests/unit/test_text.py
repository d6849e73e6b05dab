"""A text with its translations (issue 13): one value type for what the lower layers say, one place that picks the
language, and every text in the catalogues complete in both languages."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType

import pytest

import desktop_app
from desktop_app.domain.choices import CHOICE_LISTS
from desktop_app.domain.form_schema import load_default_form
from desktop_app.domain.text import NO_TEXT, Text, is_chinese, join, language_code, same

ROOT = Path(__file__).resolve().parents[2]
HELLO = Text(en="Hello", zh="你好")


@pytest.mark.parametrize("lang", ["zh_CN", "zh", "ZH_cn", "zh-Hans", "zh_TW.UTF-8"])
def test_a_chinese_code_reads_chinese(lang: str) -> None:
    assert is_chinese(lang) and HELLO.render(lang) == "你好" and language_code(lang) == "zh_CN"


@pytest.mark.parametrize("lang", ["en", "en_GB", "fr_FR", "", "C", "xx"])
def test_any_other_code_reads_english(lang: str) -> None:
    assert not is_chinese(lang) and HELLO.render(lang) == "Hello" and language_code(lang) == "en"


def test_an_empty_form_falls_back_to_the_other_rather_than_showing_nothing() -> None:
    assert Text(en="Only English", zh="").render("zh_CN") == "Only English"
    assert Text(en="", zh="只有中文").render("en") == "只有中文"
    assert NO_TEXT.render("zh_CN") == NO_TEXT.render("en") == ""


def test_format_fills_named_parameters_and_a_text_parameter_in_each_language() -> None:
    template = Text(en="{label} has {count} characters", zh="{label}有{count}个字符")
    filled = template.format(label=Text(en="Name", zh="姓名"), count=3)
    assert filled == Text(en="Name has 3 characters", zh="姓名有3个字符")
    assert template.format(label="ID", count=1).render("zh_CN") == "ID有1个字符"
    with pytest.raises(KeyError):
        template.format(label="ID")


def test_join_and_add_keep_each_language_with_its_own_separators() -> None:
    parts = [Text(en="One.", zh="一。"), Text(en="Two.", zh="二。")]
    assert join(parts) == Text(en="One. Two.", zh="一。二。")
    assert join(parts, en="; ", zh="；") == Text(en="One.; Two.", zh="一。；二。")
    assert Text(en="Refused: ", zh="拒绝：") + same("E42") == Text(en="Refused: E42", zh="拒绝：E42")


def test_with_other_names_the_other_language_in_brackets_once() -> None:
    assert HELLO.with_other("zh_CN") == "你好 (Hello)"
    assert HELLO.with_other("en") == "Hello (你好)"
    assert same("USD").with_other("zh_CN") == "USD"


def test_a_text_is_a_frozen_value() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        HELLO.en = "Bye"  # type: ignore[misc]
    assert Text(en="Hello", zh="你好") == HELLO and len({HELLO, Text(en="Hello", zh="你好")}) == 1


# --- the catalogues -------------------------------------------------------------------------------------------

# The layers below the UI that hold texts (the central server holds none of its own: it reuses the domain's).
_CATALOGUE_PACKAGES = ("desktop_app.domain", "desktop_app.services", "desktop_app.ocr")


def _modules() -> Iterator[ModuleType]:
    for name in _CATALOGUE_PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            if not info.name.endswith("__main__") and ".migrations" not in info.name:  # run, not imported
                yield importlib.import_module(info.name)


def _texts(value: object, depth: int = 0) -> Iterator[Text]:
    """Every Text held by a module-level value: itself, in a container, or in a field of a frozen value."""
    if depth > 4:
        return
    if isinstance(value, Text):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item, depth + 1)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _texts(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name), depth + 1)


def _catalogue() -> dict[str, list[Text]]:
    found: dict[str, list[Text]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            if getattr(value, "__module__", module.__name__) != module.__name__ and isinstance(value, type):
                continue
            texts = [t for t in _texts(value) if t is not NO_TEXT]
            if texts:
                found[f"{module.__name__}.{name}"] = texts
    for name, choices in CHOICE_LISTS.items():
        found[f"choices_from {name}"] = [c.label_text for c in choices()]
    form = load_default_form()
    found["form title"] = [form.title_text]
    found["form labels"] = [spec.label_text for spec in form.fields]
    found["form choices"] = [c.label_text for spec in form.fields for c in spec.choices]
    return found


def test_every_catalogue_entry_has_both_forms() -> None:
    catalogue = _catalogue()
    # the catalogues this test must at least find, so that it cannot pass by finding none
    for expected in ("reject_reasons.REJECT_REASONS", "import_reasons._BY_CODE", "choices_from occupation"):
        assert any(expected in name for name in catalogue), f"{expected} not found: {sorted(catalogue)}"
    incomplete = [
        f"{name}: {text!r}" for name, texts in catalogue.items() for text in texts if not (text.en and text.zh)
    ]
    assert not incomplete, "\n".join(incomplete)


def test_help_texts_come_in_both_languages_or_not_at_all() -> None:
    one_sided = [spec.key for spec in load_default_form().fields if bool(spec.help_text.en) != bool(spec.help_text.zh)]
    assert not one_sided


def test_a_template_uses_the_same_parameters_in_both_languages() -> None:
    import string

    def names(template: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(template) if field}

    differ = [
        f"{name}: {text!r}"
        for name, texts in _catalogue().items()
        for text in texts
        if "{" in text.en + text.zh and names(text.en) != names(text.zh)
    ]
    assert not differ, "\n".join(differ)


# --- one place decides the language ---------------------------------------------------------------------------


def _language_tests(path: Path, root: Path = ROOT) -> list[str]:
    """Where `path` tests a language code itself: x.startswith("zh...") or a comparison with "zh..."."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "startswith"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).lower().startswith("zh")
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} startswith({node.args[0].value!r})")
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Constant) and str(o.value).lower().startswith("zh") for o in operands):
                found.append(f"{path.relative_to(root)}:{node.lineno} compares with a Chinese language code")
    return found


def test_only_the_text_module_decides_which_language_a_code_means() -> None:
    sources = sorted(Path(desktop_app.__file__).parent.rglob("*.py")) + sorted((ROOT / "central_server").rglob("*.py"))
    assert len(sources) > 50, "the sources were not found: the test would prove nothing"
    text_module = Path(desktop_app.__file__).parent / "domain" / "text.py"
    found = [hit for path in sources if path != text_module for hit in _language_tests(path)]
    assert not found, "use desktop_app.domain.text (Text.render, is_chinese) instead:\n" + "\n".join(found)


def test_the_language_test_finds_a_copy(tmp_path: Path) -> None:
    copy = tmp_path / "copy.py"
    copy.write_text('def label(lang):\n    return "a" if lang.startswith("zh") else "b"\nok = lang == "zh_CN"\n')
    assert len(_language_tests(copy, root=tmp_path)) == 2
