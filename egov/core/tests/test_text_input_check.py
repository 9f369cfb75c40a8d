"""Which typed text is refused (egov.core.text_input): types, control characters, length.

Pure: no database.
"""

from __future__ import annotations

import pytest

from egov.core.text_input import TextInputError, TextLimit, check_text, text_problems

REFUSED = [
    "\x00",  # NUL: PostgreSQL's JSON cannot hold it
    "\x01",
    "\x1b",  # ESC
    "\x7f",  # DEL
    "\x85",  # C1: next line
    "\x9f",
    "\u202a",
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2069",
    "\ud800",  # a lone surrogate
]


@pytest.mark.parametrize("char", REFUSED)
def test_control_characters_are_refused_in_any_field(char):
    for multiline in (False, True):
        with pytest.raises(TextInputError, match=f"U\\+{ord(char):04X} is not allowed"):
            check_text(f"申请{char}人", max_length=100, multiline=multiline)


@pytest.mark.parametrize("char", ["\n", "\r", "\t"])
def test_line_breaks_and_tabs_only_in_multi_line_fields(char):
    text = f"第一行{char}第二行"
    assert check_text(text, max_length=100, multiline=True) == text
    with pytest.raises(TextInputError, match="line break or tab"):
        check_text(text, max_length=100)


@pytest.mark.parametrize("value", [1, 1.5, True, {"a": 1}, ["x"], b"bytes"])
def test_values_that_are_not_text_are_refused(value):
    with pytest.raises(TextInputError, match="expected text, got"):
        check_text(value, max_length=100)


def test_length_is_counted_after_stripping_and_bounded():
    assert check_text("  哈尔滨  ", max_length=3) == "哈尔滨"
    with pytest.raises(TextInputError, match="at most 3 characters, got 4"):
        check_text("黑龙江省", max_length=3)
    with pytest.raises(TextInputError, match="at most 2000 characters, got 1048576"):
        check_text("x" * 1024 * 1024, max_length=2000)


def test_required_text_is_not_blank_and_none_is_empty():
    assert check_text(None, max_length=10) == ""
    with pytest.raises(TextInputError, match="required"):
        check_text("   ", max_length=10, required=True)


def test_ordinary_chinese_text_punctuation_and_emoji_pass():
    text = "道里区·中央大街（步行街）1号，电话：0451-84600000 —— 好👍"
    assert check_text(text, max_length=100) == text


def test_several_fields_at_once_name_every_refused_one():
    cleaned, errors = text_problems(
        {
            "name": ("张三", TextLimit(10, required=True)),
            "note": ("a\x00b", TextLimit(100, multiline=True)),
            "licence": (12345, TextLimit(64)),
        }
    )
    assert cleaned == {"name": "张三"}
    assert errors == {
        "note": "control character U+0000 is not allowed",
        "licence": "expected text, got int",
    }
