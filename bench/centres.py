"""Benchmark of issue 18, as the issue names it: both halves in one run.

    .venv/bin/python bench/centres.py

1. `bench/centres_booking.py`: 10,000 concurrent booking attempts for 1,000 places on
   PostgreSQL — exactly 1,000 booked, none doubled, bookings/s beside a plain INSERT's rows/s.
2. `bench/centres_imap.py`: IMAP intake of 1,000 messages with attachments from a real local
   Dovecot — messages/s (target ≥ 50/s) beside a bare fetch, and none made twice on a second
   read.

Each half is its own script (run it alone with its own options); this one runs both with their
defaults and fails when either does. `make bench` runs this one, not the halves again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for half in ("centres_booking.py", "centres_imap.py"):
        print(f"== bench/{half}", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / half)], check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
