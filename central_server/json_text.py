"""Checks on parsed JSON before it is hashed or stored: text must be storable, nesting shallow.

JSON can spell a lone surrogate ("\\ud800"), which Python parses into a str that cannot be encoded as UTF-8,
and a NUL ("\\u0000"), which a PostgreSQL text column cannot hold: hashing or storing either would fail deep
inside a batch. Found here first, it is one item's refusal (or a 422) instead.
"""

from __future__ import annotations

import re
from typing import Any

# An outbox payload nests two levels (payload -> values -> text); anything far deeper is not one.
MAX_DEPTH = 16

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable_text(text: str) -> bool:
    """True when `text` holds only Unicode scalar values (no lone surrogate: it can be encoded as UTF-8) and no NUL
    (PostgreSQL refuses it in text)."""
    return "\x00" not in text if text.isascii() else _UNSTORABLE.search(text) is None


def json_problem(value: Any, where: str = "", max_depth: int = MAX_DEPTH) -> tuple[str, str] | None:
    """(where, "unstorable_text" or "too_deep") of the first problem in a parsed JSON value, None when there is
    none. Walks without recursion, so a deep value cannot exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if not is_storable_text(item):
                return path, "unstorable_text"
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                return path, "too_deep"
            if isinstance(item, dict):
                for key, child in item.items():
                    child_path = f"{path}.{key}" if path else str(key)
                    if isinstance(key, str) and not is_storable_text(key):
                        return path, "unstorable_text"
                    stack.append((child, child_path, depth + 1))
            else:
                stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(item))
    return None
