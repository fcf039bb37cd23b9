"""``make run`` stops cleanly while the API is still starting, however it is stopped: Ctrl-C (SIGINT to the
whole process group, as a terminal sends it) or SIGTERM to make alone (make passes it on to its recipe).
make then dies of that signal with no error line of its own ("make: *** [run] Error 143"), nothing prints a
traceback or "Terminated", and no process is left behind. Started in the background, the API ignores the
terminal's SIGINT until uvicorn installs its handlers, so the recipe must pass the stop on. (Ctrl-C once
the API serves: ``tests/test_readme_examples.py``.)"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.timeout(300)
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_make_run_stops_cleanly_while_the_api_starts(tmp_path: Path, how: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MODERATION_", "MAKE"))}
    env |= {"MODERATION_DATA_DIR": str(tmp_path / "data"), "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS", "1")}
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "-o", "setup", "run", f"BIN={BIN}", f"PORT={free_port()}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    try:
        deadline = time.monotonic() + 120
        while "waiting for the API" not in log.read_text(errors="replace"):
            assert make.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        if how == "ctrl-c":
            os.killpg(make.pid, signal.SIGINT)
            expected = -signal.SIGINT
        else:
            make.send_signal(signal.SIGTERM)
            expected = -signal.SIGTERM
        code = make.wait(timeout=240)  # at worst the API finishes loading the model first, then drains
        output = log.read_text(errors="replace")
        assert code == expected, output[-3000:]  # the recipe exited 0: make re-raised the signal, no error
        for noise in ("make: ***", "Error", "Traceback", "Terminated", "redis unavailable"):
            assert noise not in output, output[-3000:]
        deadline = time.monotonic() + 10
        while group_alive(make.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not group_alive(make.pid), "make run left processes behind"
        assert not (tmp_path / "data" / "valkey" / "valkey.sock").exists()
    finally:
        if group_alive(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
        make.wait(timeout=30)
