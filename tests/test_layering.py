"""DESIGN.md's layering, read from the source with ``ast`` (imports inside functions and under TYPE_CHECKING
count too): dependencies point one way, no import circles, one composition root, all SQL in the store, no HTTP
status codes in the domain; and packaging says what the Makefile does."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("moderation", "api", "models")


@cache
def modules() -> dict[str, Path]:
    """Every project module by dotted name (a package by its ``__init__``)."""
    out: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(encoding="utf-8"))


def _absolute(name: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


@cache
def imported_names(name: str) -> frozenset[str]:
    """Every dotted name the module imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(name, node)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(found)


def project_imports(name: str) -> set[str]:
    """The project modules this module imports (``from a import b`` counts ``a.b`` when it is a module)."""
    known = modules()
    return {dotted for dotted in imported_names(name) if dotted in known and dotted != name}


def top_level(package: str) -> dict[str, set[str]]:
    return {
        name: {dotted.split(".")[0] for dotted in imported_names(name)}
        for name in modules()
        if name.split(".")[0] == package
    }


def test_moderation_never_imports_fastapi_or_api() -> None:
    offenders = {m: n & {"fastapi", "starlette", "api"} for m, n in top_level("moderation").items()}
    assert {m: n for m, n in offenders.items() if n} == {}


def test_models_never_imports_moderation_or_api() -> None:
    offenders = {m: n & {"moderation", "api"} for m, n in top_level("models").items()}
    assert {m: n for m, n in offenders.items() if n} == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_among_project_modules() -> None:
    graph = {name: project_imports(name) for name in modules()}
    assert _cycles(graph) == []


COMPOSITION_ROOT = "moderation.services"
ABOVE_THE_ROOT = ("moderation.cli",)  # the command line builds services; api/ is above moderation/ anyway


def test_nothing_below_the_composition_root_imports_it() -> None:
    below = [
        name
        for name in modules()
        if name.startswith("moderation")
        and name != COMPOSITION_ROOT
        and not any(name == top or name.startswith(top + ".") for top in ABOVE_THE_ROOT)
    ]
    offenders = sorted(name for name in below if COMPOSITION_ROOT in imported_names(name))
    assert offenders == []


# Outside store/ a module may hold a session or an engine, and catch the driver's errors; it may not build a
# query (sqlalchemy's select, update, func, text ...) nor write SQL in a string.
SQLALCHEMY_OUTSIDE_STORE = {"sqlalchemy.Engine", "sqlalchemy.orm.Session", "sqlalchemy.orm.sessionmaker"}
SQL_TEXT = re.compile(
    r"\b(SELECT\s.+\sFROM|SELECT\s+\d|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"(CREATE|DROP|ALTER|TRUNCATE)\s+(TABLE|INDEX|DATABASE))\b",
    re.S,
)


def _strings(name: str) -> list[str]:
    return [
        node.value
        for node in ast.walk(_tree(name))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _outside_store(name: str) -> bool:
    return name.split(".")[0] in ("moderation", "api") and not name.startswith("moderation.store")


def test_the_sql_checks_catch_sql() -> None:
    assert SQL_TEXT.search("SELECT id FROM comments") and SQL_TEXT.search("select 1".upper())
    assert SQL_TEXT.search("TRUNCATE TABLE comments") and SQL_TEXT.search("UPDATE comments SET status = 1")
    assert not SQL_TEXT.search("Select the comments to rescore") and not SQL_TEXT.search("update the row")


def test_no_sql_outside_the_store() -> None:
    offenders: dict[str, list[str]] = {}
    for name in filter(_outside_store, modules()):
        queries = sorted(
            dotted
            for dotted in imported_names(name)
            if dotted.startswith("sqlalchemy.")
            and not dotted.startswith("sqlalchemy.exc")
            and dotted not in SQLALCHEMY_OUTSIDE_STORE
            and dotted != "sqlalchemy.orm"
        )
        texts = [s[:60] for s in _strings(name) if SQL_TEXT.search(s)]
        if queries or texts:
            offenders[name] = queries + texts
    assert offenders == {}


# An HTTP client of the sites' receivers: it reads the status of THEIR answers to decide whether to retry
# (docs/callbacks.md); the domain itself never chooses a status.
READS_OTHERS_HTTP_ANSWERS = {"moderation.callbacks"}
HTTP_STATUSES = "400|401|403|404|405|409|410|413|415|422|429|500|502|503|504"
STATUS_IN_TEXT = re.compile(rf"(?<![\w.,-])({HTTP_STATUSES}|[45]xx)(?![\w.,-]*\w)|\bHTTP \d\d\d\b")
TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
STATUS_NAMES = {"status_code", "http_code", "HTTPStatus", "HTTPException"}


def _status_mentions(name: str) -> list[str]:
    source = modules()[name].read_text(encoding="utf-8")
    found = [
        tok.string.strip()[:60]
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type in TEXT_TOKENS and STATUS_IN_TEXT.search(tok.string)
    ]
    statuses = {int(code) for code in HTTP_STATUSES.split("|")}
    for node in ast.walk(ast.parse(source)):
        label = (
            node.attr
            if isinstance(node, ast.Attribute)
            else node.id
            if isinstance(node, ast.Name)
            else node.arg
            if isinstance(node, ast.keyword)
            else None
        )
        if label in STATUS_NAMES:
            found.append(str(label))
        if isinstance(node, ast.Attribute) and node.attr == "codes":  # httpx.codes, requests.codes
            found.append(ast.unparse(node))
        if isinstance(node, ast.Compare):
            numbers = [n.value for n in (node.left, *node.comparators) if isinstance(n, ast.Constant)]
            found.extend(str(n) for n in numbers if isinstance(n, int) and n in statuses)
    return found


def test_the_status_check_catches_status_codes() -> None:
    for text in ("(422)", "answers 503 when down", "retried on 5xx", "HTTP 404"):
        assert STATUS_IN_TEXT.search(text), text
    for text in ("5000 characters", "limit 500ms", "1 to 200 characters", "v1.404b"):
        assert not STATUS_IN_TEXT.search(text), text


def test_nothing_in_the_domain_mentions_http_status_codes() -> None:
    offenders = {
        name: found
        for name in modules()
        if name.startswith("moderation") and name not in READS_OTHERS_HTTP_ANSWERS
        if (found := _status_mentions(name))
    }
    assert offenders == {}


def test_entry_points_are_main_modules_only() -> None:
    """``python -m`` runs ``__main__`` modules (the CLI, migrations); no module keeps a ``__main__`` block
    (the worker's closed an import circle through the CLI)."""
    blocks = [
        name
        for name in modules()
        if name.split(".")[0] in ("moderation", "api")
        and any(
            isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in _tree(name).body
        )
    ]
    assert blocks == []


def test_no_module_named_models_py() -> None:
    assert [p for p in ROOT.glob("**/models.py") if ".venv" not in p.parts] == []


STRICT_FLAGS = (  # what `mypy --strict` turns on
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "disallow_untyped_decorators",
    "warn_return_any",
    "strict_equality",
    "extra_checks",
)


def test_mypy_is_strict_for_moderation_and_api() -> None:
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    [strict] = [o for o in mypy["overrides"] if {"moderation.*", "api.*"} <= set(o["module"])]
    assert all(strict[flag] is True for flag in STRICT_FLAGS) and strict["implicit_reexport"] is False
    assert mypy["check_untyped_defs"] and mypy["warn_unused_ignores"] and mypy["warn_redundant_casts"]


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
