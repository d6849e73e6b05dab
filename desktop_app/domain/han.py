"""What counts as a Han (Chinese) character, for the normaliser and masking."""

from __future__ import annotations

# The CJK Unified Ideographs blocks and their extensions, and the compatibility ideographs. Hand-written: the
# standard library has no script property, and a range table is all this needs.
_HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2EE5F),  # Extensions B-I
    (0x2F800, 0x2FA1F),  # Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # Extensions G-H
)


def is_han(char: str) -> bool:
    """True when the single character `char` is a Han ideograph (or 〇)."""
    code = ord(char)
    return code == 0x3007 or any(low <= code <= high for low, high in _HAN_RANGES)


def has_han(text: str) -> bool:
    """True when `text` contains at least one Han ideograph."""
    return any(is_han(char) for char in text)


#: A regular-expression character class matching one Han ideograph, the same set as is_han().
HAN_CLASS = "[\u3007" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES) + "]"
