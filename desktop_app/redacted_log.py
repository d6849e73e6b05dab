"""Logging a failure without its message: messages may quote what a clerk typed (names, ID numbers),
and logs must carry record ids only, never personal data."""

from __future__ import annotations

import logging
import traceback


def log_failure(logger: logging.Logger, context: str, exc: BaseException, *, with_frames: bool = True) -> None:
    """Log the exception's type and (by default) where it happened, but not its message or arguments."""
    frames = "".join(traceback.format_tb(exc.__traceback__)) if with_frames else ""
    logger.error("%s: %s%s", context, type(exc).__name__, f"\n{frames}" if frames else "")
