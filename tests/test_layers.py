"""The layers drawn in ARCHITECTURE.md ("Layers"), checked on every import under src/callboard.

Each module is parsed with `ast`, never imported, so a broken or slow module
cannot hide an import. Every import counts: at the top, inside functions, and
under `if TYPE_CHECKING:`, since a type-only import still couples the two
packages. Imports inside one package are free; the rules are about crossing.

- Layering: a package imports only the packages `LAYERS` lets it.
- Public API: across packages, names come from the package itself
  (`from callboard.kpi import compute_kpis`) and are in its `__all__`. A
  submodule path or a name missing from `__all__` is a private detail of the
  other package, and the next move inside it would break the importer.
- Every package has an `__init__.py` with an `__all__`, so there is a public
  API to import from.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "callboard"

# Every package (a folder) or top-level module of callboard, and the packages it
# may import. ARCHITECTURE.md ("Layers") draws the same table.
# - BASE: the exceptions and the plain domain types; every layer may use them
#   (`domain` itself uses only `errors`).
# - READERS: the one config kit and the one CSV reader; they use only BASE, and
#   every layer that reads files may use them. The engine and the queueing math read no files.
BASE = frozenset({"errors", "domain"})
READERS = frozenset({"config", "csv_table"})
LAYERS: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "domain": frozenset({"errors"}),
    **dict.fromkeys(READERS, BASE),
    # pure math and the business calendar: nothing of ours but the base
    "queueing": BASE,
    "business_hours": BASE,
    # the engine asks Erlang A/C for its expected-wait predictor
    "engine": BASE | {"queueing"},
    # data: the contact-record schema, the Parquet dataset, the importers, and the
    # conversions of a simulated or live center's contacts into records
    "records": BASE | READERS,
    "cases": BASE | READERS | {"business_hours"},
    # KPIs summarise records, never the engine or the simulator
    "kpi": BASE | READERS | {"records"},
    # planning, forecast before staffing before schedule; history comes as records
    "forecast": BASE | READERS | {"records"},
    "staffing": BASE | READERS | {"queueing", "records", "forecast"},
    "schedule": BASE | READERS | {"forecast", "staffing"},
    # surge acts on a center (engine commands, live figures) and does not know who
    # drives it: the simulator and the live server both do
    "surge": BASE | READERS | {"queueing", "engine"},
    # the simulator drives the engine and surge plans, turns finished contacts into
    # records, and summarises each replication with the KPI engine where it ran, so
    # only KPI rows travel back from a worker
    "sim": BASE | READERS | {"queueing", "engine", "surge", "records", "kpi"},
    # incident reports: detection over the KPI engine, the forecast and staffing of
    # the day before, and replays of the window through the simulator
    "incidents": BASE | READERS | {"kpi", "records", "forecast", "queueing", "sim", "surge"},
    # the expected-wait audit rebuilds the engine's state from records, asks the
    # engine's own predictors, and takes its work sessions from the replay
    "ewt_audit": BASE | READERS | {"engine", "records", "sim"},
    # persistence: a case's change and its SLA clocks are evaluated in one
    # transaction; the import log keeps an importer's report; the journal stores
    # the engine's command records
    "store": BASE | READERS | {"cases", "records", "engine"},
    # the data folder: a record dataset beside the store it opens
    "workspace": BASE | {"records", "store"},
    # triage learns from the case history and agents' corrections, read through the store
    # the e-mail and messenger channels write cases, mail and the outbox through the
    # store; the live center is reached through a protocol the server implements
    "channels": BASE | READERS | {"store", "cases"},
    "triage": BASE | READERS | {"store"},
    # the edges: the server may use every library package, the CLI everything
    "server": frozenset(),  # filled below: all but cli
    "cli": frozenset(),  # filled below: all
    "__main__": frozenset({"cli"}),
    "callboard": BASE,  # the root __init__ re-exports a few base names
}
LIBRARY = frozenset(LAYERS) - {"server", "cli", "__main__"}
LAYERS["server"] = LIBRARY
LAYERS["cli"] = LIBRARY | {"server"}

# Packages without a public API of their own, and why.
NO_ALL = {
    "cli": "the top: only `python -m callboard` imports it, for `main`",
}
# Cross-package imports of a private path that are meant, and why.
BYPASS_ALLOWED = {
    ("__main__", "callboard.cli.app"): "`python -m callboard` runs the CLI's entry point",
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    source: str  # the importing package
    module: str  # the module named, e.g. callboard.kpi.source
    names: tuple[str, ...]  # the names taken from it; empty for `import x`

    @property
    def target(self) -> str:
        return package_of(self.module)

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def package_of(module: str) -> str:
    """`callboard.kpi.source` -> `kpi`; the root package is `callboard`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "callboard"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def imports(path: Path) -> Iterator[Import]:
    """Every `callboard` import in one file, relative ones resolved."""
    name = module_name(path)
    source = package_of(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "callboard":
                    yield Import(path, node.lineno, source, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            if module.split(".")[0] == "callboard":
                names = tuple(alias.name for alias in node.names)
                yield Import(path, node.lineno, source, module, names)


def crossing() -> list[Import]:
    return [i for p in source_files() for i in imports(p) if i.target != i.source]


def is_package(name: str) -> bool:
    return name == "callboard" or (SRC / name).is_dir()


@cache
def public_names(package: str) -> frozenset[str] | None:
    """The literal `__all__` of a package's `__init__.py`; None when it has none."""
    init = SRC / "__init__.py" if package == "callboard" else SRC / package / "__init__.py"
    if not init.exists():
        return None
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return frozenset(ast.literal_eval(value))
    return None


def api_problems(imp: Import) -> Iterator[str]:
    """Why an import across packages is not through the other package's public API."""
    target = imp.target
    if (imp.source, imp.module) in BYPASS_ALLOWED:
        return
    top = "callboard" if target == "callboard" else f"callboard.{target}"
    if not is_package(target):  # a top-level module: any name without an underscore
        for name in imp.names:
            if name.startswith("_"):
                yield f"`{name}` is private to {top}"
        return
    exported = public_names(target) or frozenset()
    if imp.module != top and not imp.names:
        yield f"imports the submodule {imp.module}: import {top} and use its __all__"
        return
    if imp.module != top:
        shown = ", ".join(imp.names)
        missing = [n for n in imp.names if n not in exported]
        fix = (
            f"export {', '.join(missing)} in {top}.__all__, then import from {top}"
            if missing
            else f"use `from {top} import {shown}`"
        )
        yield f"reaches into {imp.module} for {shown}: {fix}"
        return
    for name in imp.names:
        if name not in exported and not (name.startswith("__") and name.endswith("__")):
            yield f"`{name}` is not in {top}.__all__: export it there, or keep it inside {target}"


def report(problems: list[str], rule: str) -> str:
    return f"{len(problems)} imports break the rule: {rule}\n" + "\n".join(problems)


def test_every_package_is_placed_in_a_layer() -> None:
    found = {
        p.stem if p.parent == SRC else p.relative_to(SRC).parts[0]
        for p in source_files()
        if p.name != "__init__.py" or p.parent != SRC
    } | {"callboard"}
    assert sorted(found - set(LAYERS)) == [], "place new packages in LAYERS and ARCHITECTURE.md"


def test_the_layers_have_no_cycle() -> None:
    done: set[str] = set()

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, " -> ".join([*path, package])
        if package not in done:
            for below in LAYERS[package]:
                visit(below, (*path, package))
            done.add(package)

    for package in LAYERS:
        visit(package, ())


def test_imports_across_packages_follow_the_layers() -> None:
    problems = [
        f"{i.where()}: {i.source} imports {i.module} ({i.target} is not below {i.source})"
        for i in crossing()
        if i.target not in LAYERS.get(i.source, frozenset())
    ]
    assert not problems, report(problems, "a package imports only the layers below it")


def test_imports_across_packages_use_the_public_api() -> None:
    problems = [f"{i.where()}: {p}" for i in crossing() for p in api_problems(i)]
    assert not problems, report(
        problems, "across packages, import public names from the package itself"
    )


def test_every_package_declares_its_public_api() -> None:
    packages = sorted(p.name for p in SRC.iterdir() if p.is_dir() and any(p.rglob("*.py")))
    problems = [
        f"src/callboard/{name}/__init__.py: no __all__"
        for name in packages
        if name not in NO_ALL and public_names(name) is None
    ]
    assert not problems, report(problems, "every package has an __init__.py with __all__")
