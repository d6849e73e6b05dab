"""One probe's outcome, as a row of the `make security` table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProbeResult:
    """What was tried, what must happen, and what did happen (`ok`: it was what must happen)."""

    probe: str
    expected: str
    result: str
    ok: bool

    def row(self) -> tuple[str, str, str]:
        """The table row: the result marked FAILED when it is not what was expected."""
        return (self.probe, self.expected, self.result if self.ok else f"FAILED: {self.result}")
