"""Limits hold across processes: two processes sharing the Redis cache take code requests for one
FİN at the same moment, and exactly the limit gets through (a read-then-write count let most of
them through with two web workers)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS = ("127.0.0.1", 6379)
# Each process takes ATTEMPTS code requests for one FİN, all starting at START.
SCRIPT = """
import json, os, sys, time
import django
django.setup()
from meis.accounts import throttle
start, fin, attempts = float(sys.argv[1]), sys.argv[2], int(sys.argv[3])
throttle.throttle_blocked_until(throttle.code_requests_per_fin(), "warm-up")  # connect first
time.sleep(max(0.0, start - time.time()))
passed = sum(
    throttle.throttle_take(throttle.code_requests_per_fin(), fin) is None
    for _ in range(attempts)
)
print(json.dumps({"passed": passed}))
"""


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.slow
def test_two_processes_let_through_exactly_the_limit() -> None:
    if not _redis_up():
        pytest.skip("needs the Redis server on 127.0.0.1:6379")
    fin = uuid.uuid4().hex[:7].upper()  # a fresh counter for this run
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "meis.settings",
        "DEBUG": "1",
        "CACHE_URL": "rediscache://127.0.0.1:6379/14",
        "CODE_REQUEST_LIMIT": "3",
    }
    start = time.time() + 3
    processes = [
        subprocess.Popen(  # noqa: S603 — our own interpreter and script
            [sys.executable, "-c", SCRIPT, str(start), fin, "8"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    results = [process.communicate(timeout=60) for process in processes]

    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    passed = [json.loads(out)["passed"] for out, _err in results]
    assert sum(passed) == 3, passed
