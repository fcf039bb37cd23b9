"""Issue 18 (6): README.md's table of every route is the one ``python -m api.routes_table`` generates from the
OpenAPI document; after adding or merging routes, ``python -m api.routes_table --write`` updates it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from api.routes_table import END, README, START, build_app, replace_table, routes_table


@pytest.fixture(scope="module")
def table() -> str:
    return routes_table(build_app())


def test_the_readme_table_is_the_generated_one(table: str) -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme.count(START) == 1 and readme.count(END) == 1
    current = readme.split(START, 1)[1].split(END, 1)[0].lstrip("\n")
    assert current == table, "README.md's routes table is stale: run `python -m api.routes_table --write`"


def test_every_operation_of_the_openapi_document_has_a_row(table: str) -> None:
    document = build_app().openapi()
    rows = {tuple(cell.strip(" `") for cell in line.split("|")[1:3]) for line in table.splitlines()[2:]}
    for path, operations in document["paths"].items():
        for method in operations:
            if method in ("get", "put", "post", "patch", "delete"):
                assert (method.upper(), path) in rows
    roles = {line.split("|")[2].strip(" `"): line.split("|")[3].strip() for line in table.splitlines()[2:]}
    assert roles["/v1/moderate"] == "client" and roles["/v1/keys/{key_id}"] == "admin"
    assert roles["/v1/review/undo"] == "moderator"
    assert roles["/v1/coral/sites/{site}/phase"] == "Coral's signature"
    assert roles["/moderate"] == "moderator (signed in)"


def test_check_and_write(tmp_path: Path, table: str) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(f"# x\n\n{START}\n| old |\n{END}\n\nafter\n", encoding="utf-8")
    command = [sys.executable, "-m", "api.routes_table", "--readme", str(stale)]
    checked = subprocess.run([*command, "--check"], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "--write" in checked.stdout
    assert subprocess.run([*command, "--write"], timeout=120).returncode == 0
    assert stale.read_text(encoding="utf-8") == replace_table(f"# x\n\n{START}\n{END}\n\nafter\n", table)
    assert subprocess.run([*command, "--check"], timeout=120).returncode == 0
    with pytest.raises(ValueError, match="markers"):
        replace_table("no markers here", table)
