"""A child process for the crash-safety test: saves records in a loop, printing each id once committed."""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

from desktop_app.domain.synthetic import generate_customer
from desktop_app.services.workstation import Workstation


def main() -> None:
    root, user, password, seed = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    ws = Workstation.open(root)
    actor, _ = ws.auth.login(user, password)
    rng = random.Random(seed)
    print("READY", flush=True)
    while True:
        result = ws.records.create(actor, generate_customer(rng, date.today()))
        if rng.random() < 0.3:
            ws.records.save(actor, result.record_id, generate_customer(rng, date.today()), result.version)
        print(f"COMMITTED {result.record_id}", flush=True)


if __name__ == "__main__":
    main()
