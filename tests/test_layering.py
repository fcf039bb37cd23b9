"""Point 12 and DESIGN.md: dependencies point one way; packaging says what the Makefile does."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        out[str(path.relative_to(ROOT))] = names
    return out


def test_moderation_never_imports_fastapi_or_api() -> None:
    offenders = {p: n & {"fastapi", "starlette", "api"} for p, n in imported_modules("moderation").items()}
    assert {p: n for p, n in offenders.items() if n} == {}


def test_models_never_imports_moderation_or_api() -> None:
    offenders = {p: n & {"moderation", "api"} for p, n in imported_modules("models").items()}
    assert {p: n for p, n in offenders.items() if n} == {}


def test_no_module_named_models_py() -> None:
    assert [p for p in ROOT.glob("**/models.py") if ".venv" not in p.parts] == []


def test_console_script_and_packaging() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["moderation"] == "moderation.cli:main"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.index("torch==2.13.0") < dockerfile.index("pip install .")  # CPU torch first
    assert "\nUSER " in dockerfile and "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.index("torch==$(TORCH_VERSION)") < makefile.index("pip install -e '.[dev]'")
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")
    compose = (ROOT / "compose.yaml").read_text()
    for service in ("api:", "worker:", "redis:", "postgres:"):
        assert f"\n  {service}" in compose
