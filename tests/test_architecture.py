"""The shape ARCHITECTURE.md describes, checked on the source: import graph, reads through selectors, named paths.

- **Import graph.** Every `import` in `insyn/**/*.py` (tests and migrations left out), at module level or
  inside a function (a lazy import is still a dependency), and every dotted `"insyn.<app>…"` string handed
  to `import_string`/`import_module`, must follow the allowed direction: core ← officials ← loans and
  core ← records; privacy and publishing may listen to all of them. `insyn.api` and `insyn.cli` reach the
  apps only through the registry (`insyn.core.registry`), and nothing may form a cycle between apps.
- **Reads through selectors.** The doors (`views.py`, `admin_views.py`, `wagtail_hooks.py`, `viewsets.py`,
  `api.py`, `search.py` of every app, and `insyn/api/*.py`) do not touch a model manager (`.objects.`,
  `_default_manager`, `_base_manager`); a justified exception carries `# orm-ok: <reason>` on its line or
  the line before.
- **ARCHITECTURE.md names what exists.** Every backticked path in it is a file or folder of the project.

No Django here: the source is read as text and AST, so these tests run in milliseconds.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSYN = ROOT / "insyn"
DOMAIN_APPS = ("core", "records", "officials", "loans", "privacy", "publishing")

# What each part of `insyn` may import (besides itself). `api` and `cli` are the doors' plumbing: they
# use core (the registry among it), and every app may use the API's shared schemas, auth and pagination.
ALLOWED: dict[str, set[str]] = {
    "core": {"api"},
    "records": {"core", "api"},
    "officials": {"core", "api"},
    "loans": {"core", "officials", "api"},
    "privacy": {"core", "records", "officials", "loans", "api"},
    "publishing": {"core", "records", "officials", "loans", "privacy", "api"},
    "api": {"core"},
    "cli": {"core"},
}
# The modules of `insyn.api` that the apps' routers may use; importing anything else of it is a
# dependency on the mounted API (which imports every app's router) and so a cycle.
API_SHARED = {"insyn.api.schemas", "insyn.api.pagination", "insyn.api.auth", "insyn.api.errors"}

DOOR_FILES = ("views.py", "admin_views.py", "wagtail_hooks.py", "viewsets.py", "api.py", "search.py")
ORM_PATTERN = re.compile(r"\.objects\.|\b_default_manager\b|\b_base_manager\b")
ORM_OK = "# orm-ok:"


def source_files() -> Iterator[Path]:
    for path in sorted(INSYN.rglob("*.py")):
        parts = path.relative_to(INSYN).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str | None:
    """`core`, `records`, … `api` or `cli` for a module of `insyn`; None for anything else."""
    parts = module.split(".")
    if parts[0] != "insyn" or len(parts) < 2:
        return None
    return parts[1]


def imported_modules(path: Path, package: str | None = None) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file, wherever it stands, and of every dotted Insyn string
    given to a dynamic import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, target
            for alias in node.names:  # `from insyn import loans` names a module too
                yield node.lineno, f"{target}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in {"import_string", "import_module"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def import_edges() -> list[tuple[str, int, str, str]]:
    """(file, line, from part, to module) for every import from one part of `insyn` into another."""
    edges = []
    for path in source_files():
        source = part_of(module_name(path))
        if source is None:
            continue
        for line, target in imported_modules(path):
            target_part = part_of(target)
            if target_part is None or target_part == source or target_part not in ALLOWED:
                continue
            edges.append((str(path.relative_to(ROOT)), line, source, target))
    return edges


def test_the_import_graph_points_one_way() -> None:
    wrong = []
    for file, line, source, target in import_edges():
        target_part = part_of(target)
        assert target_part is not None
        allowed = target_part in ALLOWED.get(source, set())
        if allowed and target_part == "api" and source != "cli":
            allowed = any(target == shared or target.startswith(shared + ".") for shared in API_SHARED)
        if not allowed:
            wrong.append(f"{file}:{line}: insyn.{source} imports {target}")
    assert not wrong, "imports against the allowed direction:\n" + "\n".join(wrong)


def test_there_is_no_cycle_between_apps() -> None:
    graph: dict[str, set[str]] = {}
    for _file, _line, source, target in import_edges():
        target_part = part_of(target)
        assert target_part is not None
        if target_part == "api" and any(target.startswith(shared) for shared in API_SHARED):
            continue  # the shared API helpers import only core
        graph.setdefault(source, set()).add(target_part)

    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif len(trail) < len(ALLOWED):
                visit(nxt, [*trail, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, "cycles between apps:\n" + "\n".join(sorted(set(cycles)))


def test_the_import_check_sees_lazy_relative_and_dynamic_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from insyn.loans import services\n\n"
        "from . import registry\n"
        "job = import_string('insyn.privacy.tasks.daily')\n",
        encoding="utf-8",
    )
    found = {target for _line, target in imported_modules(sample, package="insyn.core")}
    assert {"insyn.loans", "insyn.core.registry", "insyn.privacy.tasks.daily"} <= found


def door_files() -> Iterator[Path]:
    for path in source_files():
        if path.name in DOOR_FILES or path.parent == INSYN / "api":
            yield path


def orm_offences(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every unjustified use of a model manager in the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        code = line.split("#", 1)[0]
        if not ORM_PATTERN.search(code):
            continue
        previous = lines[number - 2] if number > 1 else ""
        if ORM_OK in line or previous.strip().startswith(ORM_OK):
            continue
        yield number, line.strip()


def test_doors_read_only_through_selectors() -> None:
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {line}" for path in door_files() for number, line in orm_offences(path)
    ]
    assert not offending, (
        "model managers used outside selectors (move the read into selectors.py, or justify it with "
        "`# orm-ok: <reason>`):\n" + "\n".join(offending)
    )


def test_the_orm_check_finds_managers_and_accepts_a_reason(tmp_path: Path) -> None:
    door = tmp_path / "views.py"
    door.write_text(
        "a = Loan.objects.filter(pk=1)\n"
        "b = Loan._default_manager.all()  # orm-ok: Wagtail's chooser needs the manager\n"
        "# orm-ok: the count shown on the dashboard is not personal data\n"
        "c = Person.objects.count()\n"
        "d = selectors.loan_list(actor=actor)  # not Loan.objects.all()\n",
        encoding="utf-8",
    )
    assert [number for number, _line in orm_offences(door)] == [1]


BACKTICKED = re.compile(r"`([^`\n]+)`")
ABSOLUTE_PATH = re.compile(r"`(/(?:home|work|tmp|root|srv|opt|Users)/[^`]*)`")
PLACEHOLDER = re.compile(r"<[^>]+>|NNNN-[\w-]+|\{[^}]+\}")


def named_paths(markdown: str) -> Iterator[str]:
    """Backticked words that look like a file or folder of the project (not URLs, not code)."""
    for token in BACKTICKED.findall(markdown):
        token = token.strip()
        if " " in token or token.startswith(("/", "http", ".env")) or "(" in token or "=" in token:
            continue
        if "/" in token or token.endswith((".py", ".md")):
            first = token.split("/", 1)[0]
            if token.endswith((".py", ".md")) or (ROOT / first).exists() or first in {"insyn", "docs", "bench"}:
                yield token
            elif "/" in token and "." not in first:
                yield token  # a folder inside an app (`importers/`, `management/commands/`)


def path_exists(token: str) -> bool:
    pattern = PLACEHOLDER.sub("*", token.rstrip("/"))
    candidates = [pattern]
    if not pattern.startswith(("insyn/", "docs/", "bench/", "tests/", "config/", "locale/")):
        # A name inside an app (`models/`, `popolo.py`, `importers/`) or a file named on its own.
        candidates += [f"insyn/*/{pattern}", f"insyn/*/*/{pattern}", f"**/{pattern}"]
    for candidate in candidates:
        if any(".venv" not in match.parts and ".tools" not in match.parts for match in ROOT.glob(candidate)):
            return True
    return False


def test_every_path_named_in_architecture_md_exists() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = sorted({token for token in named_paths(text) if not path_exists(token)})
    # A path on one machine (`/home/…/CONVENTIONS.md`) means nothing in a checkout.
    missing += sorted(set(ABSOLUTE_PATH.findall(text)))
    assert list(named_paths(text)), "the path finder found nothing: is ARCHITECTURE.md still there?"
    assert not missing, "ARCHITECTURE.md names paths that do not exist:\n" + "\n".join(missing)
