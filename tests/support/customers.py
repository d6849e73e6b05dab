"""Synthetic customers for tests: one place to pick a resident-ID holder deterministically from a seed."""

from __future__ import annotations

import random
from datetime import date

from desktop_app.domain.synthetic import generate_customer


def resident(seed: int) -> dict[str, str]:
    """The first resident-ID customer the generator makes for `seed` (obviously synthetic, valid checksums)."""
    rng = random.Random(seed)
    while True:
        values = generate_customer(rng, date.today())
        if values["id_type"] == "resident_id":
            return values
