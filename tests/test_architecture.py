"""House rules for the layout of the ``console`` package.

These tests read ``console/**/*.py`` with :mod:`ast` only; nothing of the project is imported.

Layers, bottom to top::

    core < review < store < ingest < desk < demo < tui < cli

``console/desk.py`` is a module; every other layer is a package (``console/core/``, ...).
``console/__init__.py`` imports nothing and ``console/__main__.py`` imports only
``console.cli.entry``. Any other module directly under ``console/`` is loose: it belongs to a layer.

1. No import circles among console modules, counting imports inside functions and under
   ``if TYPE_CHECKING:``. An import is an edge to the module it names (``from console.x import y``
   is ``console.x.y`` when that is a module, else ``console.x``), not to its parent packages.
2. A module imports only its own layer and the layers below it.
3. ``textual`` and ``rich`` are imported only under ``console/tui/``, ``click`` only under
   ``console/cli/``, ``sqlite3`` and ``sqlite_utils`` only under ``console/store/``.
4. ``console/core/`` imports only ``console.core.*``, and none of the libraries of rule 3.
5. SQL statements (string literals and the constant parts of f-strings; docstrings excepted)
   are written only in ``console/store/``.
6. The faces (``console/cli/``, ``console/tui/``) reach ``console.store`` and ``console.ingest``
   only through the Desk, never by importing them. One exception: ``console/cli/status.py`` may
   import ``console.store.reads`` (the fast ``flagdesk status`` path).
7. No private name (``_x``, not a dunder, not a module) is imported from another module.
8. No file over 800 lines and no class over 400 lines, unless the file says why in a line
   starting ``# size: <reason>`` within its first 40 lines.

One test per rule; a failure lists every violation as ``file:line: reason``. The checkers take a
repository root and return their violations, so ``test_checker_catches`` proves each of them on a
small synthetic tree: no rule can pass for want of anything to look at.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("core", "review", "store", "ingest", "desk", "demo", "tui", "cli")
FACE = {"console": (), "console.__main__": ("console.cli.entry",)}  # the package face: allowed imports
LIBRARIES = {"textual": "tui", "rich": "tui", "click": "cli", "sqlite3": "store", "sqlite_utils": "store",
             # The [live] extra: fetched and sent from ingest/ only (tests/test_live_imports.py: never at launch).
             "boto3": "ingest", "botocore": "ingest", "apprise": "ingest"}
FACES = ("cli", "tui")
DESK_ONLY = ("console.store", "console.ingest")
FACE_EXCEPTIONS = {("console.cli.status", "console.store.reads")}
MAX_FILE_LINES, MAX_CLASS_LINES, SIZE_NOTE_WITHIN = 800, 400, 40
RANK = {layer: i for i, layer in enumerate((*LAYERS, "face"))}  # the face sits above every layer

SQL = re.compile(
    r"""\s*\(?\s*(?:
        SELECT\s+(?:DISTINCT\s+)?[^\s,]+(?:\s+AS\s+\w+)?(?:\s*,.*?)?\s+FROM\s+[\w(]
      | INSERT\s+(?:OR\s+\w+\s+)?INTO\b
      | UPDATE\s+(?:OR\s+\w+\s+)?\w+\s+SET\b
      | DELETE\s+FROM\s+\w
      | CREATE\s+(?:TEMP(?:ORARY)?\s+)?(?:TABLE|INDEX|TRIGGER|VIEW|VIRTUAL\s+TABLE|UNIQUE\s+INDEX)\b
      | DROP\s+(?:TABLE|INDEX|TRIGGER|VIEW)\b
      | ALTER\s+TABLE\s+\w
      | PRAGMA\s+\w+
      | WITH\s+(?:RECURSIVE\s+)?\w+\s*(?:\([^)]*\))?\s+AS\s*\(
      | (?-i:BEGIN)\s*;?\s*$ | BEGIN\s+(?:IMMEDIATE|EXCLUSIVE)\s*;?\s*$
      | REPLACE\s+INTO\s+\w
    )""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)  # bare BEGIN only in capitals, so a "Begin" button label is not a transaction


@dataclass
class Module:
    name: str  # console.store.db
    path: str  # console/store/db.py, relative to the root
    is_pkg: bool
    source: str
    tree: ast.Module
    # (line, module imported, name imported from it when that name is not itself a module)
    imports: list[tuple[int, str, str | None]] = field(default_factory=list)

    @property
    def layer(self) -> str | None:
        """A layer of LAYERS, "face" for the package face, None for a module outside every layer."""
        if self.name in FACE:
            return "face"
        head, in_package = self.name.split(".")[1], self.name.count(".") > 1 or self.is_pkg
        return head if head in LAYERS and in_package == (head != "desk") else None


def _under(target: str, package: str) -> bool:
    return target == package or target.startswith(package + ".")


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


@functools.cache
def parse_tree(root: Path) -> dict[str, Module]:
    """Every module of root/console by dotted name, its imports resolved."""
    modules = {}
    for file in sorted((root / "console").rglob("*.py")):
        rel = file.relative_to(root)
        parts = list(rel.with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_pkg else parts)
        source = file.read_text(encoding="utf-8")
        modules[name] = Module(name, rel.as_posix(), is_pkg, source, ast.parse(source, str(rel)))
    for mod in modules.values():
        mod.imports = list(_imports(mod, modules))
    return modules


def _imports(mod: Module, modules: dict[str, Module]):
    for node in ast.walk(mod.tree):  # the whole tree: function bodies and TYPE_CHECKING blocks too
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = mod.name if mod.is_pkg else mod.name.rpartition(".")[0]
                package = package.rsplit(".", node.level - 1)[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (node.lineno, sub, None) if sub in modules else (node.lineno, base, alias.name)


def _each_import(modules: dict[str, Module]):
    for mod in modules.values():
        for line, target, name in mod.imports:
            yield mod, f"{mod.path}:{line}", target, name


def checker(rule):
    """Turn a generator of messages over the parsed modules into `check(root) -> sorted violations`."""

    @functools.wraps(rule)
    def check(root: Path) -> list[str]:
        return sorted(set(rule(parse_tree(root))), key=_natural)

    return check


@checker
def check_layout(modules):
    for mod in modules.values():
        if mod.layer is None and mod.name.count(".") == 1 and not mod.is_pkg:
            yield f"{mod.path}:1: loose module at the package root, belongs to a layer"
        elif mod.layer is None:
            yield f"{mod.path}:1: outside every layer ({', '.join(LAYERS)})"
        elif mod.layer == "face":
            allowed = " or ".join(FACE[mod.name]) or "nothing"
            for line, target, _ in mod.imports:
                if target not in FACE[mod.name]:
                    yield f"{mod.path}:{line}: the package face imports {target}; it may import {allowed}"


def _components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, found = {}, {}, [], []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            found.append(sorted(stack[stack.index(v) :]))
            del stack[stack.index(v) :]

    for v in graph:
        if v not in index:
            visit(v)
    return [c for c in found if len(c) > 1]


@checker
def check_circles(modules):
    graph = {n: sorted({t for _, t, _ in m.imports if t in modules and t != n}) for n, m in modules.items()}
    for component in _components(graph):
        edges = sorted({(modules[m].path, line, modules[t].path) for m in component
                        for line, t, _ in modules[m].imports if t in component and t != m})
        yield (f"import circle among {len(component)} modules: {', '.join(modules[m].path for m in component)}\n"
               + "\n".join(f"    {path}:{line} -> {target}" for path, line, target in edges))


@checker
def check_layers(modules):
    for mod, where, target, _ in _each_import(modules):
        up = modules[target].layer if target in modules else None
        if target == "console":
            continue  # the package itself (its __version__) imports nothing, so anyone may read it
        if mod.layer in LAYERS and up is not None and RANK[up] > RANK[mod.layer]:
            yield f"{where}: layer {mod.layer} imports {target} of the higher layer {up}"


@checker
def check_libraries(modules):
    for mod, where, target, _ in _each_import(modules):
        home = LIBRARIES.get(top := target.split(".")[0])
        if home and mod.layer != home:
            yield f"{where}: imports {top}, which belongs under console/{home}/ only"


@checker
def check_core(modules):
    for mod, where, target, _ in _each_import(modules):
        if mod.layer == "core" and _under(target, "console") and not _under(target, "console.core"):
            yield f"{where}: core imports {target}; core imports only console.core.*"
        elif mod.layer == "core" and target.split(".")[0] in LIBRARIES:
            yield f"{where}: core imports {target}; core is free of UI, CLI and database libraries"


def _strings(tree: ast.AST):
    """(line, text) of every string literal but docstrings; an f-string whole, its holes as `x`."""
    skip: set[int] = set()
    for node in ast.walk(tree):  # breadth first: a parent is seen before its children
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        elif isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
            yield node.lineno, "".join(p.value if isinstance(p, ast.Constant) else "x" for p in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


@checker
def check_sql(modules):
    for mod in modules.values():
        if mod.layer == "store":
            continue
        for line, text in _strings(mod.tree):
            if SQL.match(text):
                yield f"{mod.path}:{line}: SQL outside console/store/: {' '.join(text.split())[:60]!r}"


@checker
def check_faces(modules):
    for mod, where, target, _ in _each_import(modules):
        behind_desk = any(_under(target, package) for package in DESK_ONLY)
        if mod.layer in FACES and behind_desk and (mod.name, target) not in FACE_EXCEPTIONS:
            yield f"{where}: the {mod.layer} face imports {target}; faces go through console.desk"


@checker
def check_private(modules):
    for _, where, target, name in _each_import(modules):
        dunder = name and name.startswith("__") and name.endswith("__")
        if name and name.startswith("_") and not dunder and _under(target, "console"):
            yield f"{where}: imports the private name {name} from {target}"


@checker
def check_sizes(modules):
    for mod in modules.values():
        lines = mod.source.splitlines()
        if any(line.startswith("# size:") and line[7:].strip() for line in lines[:SIZE_NOTE_WITHIN]):
            continue
        if len(lines) > MAX_FILE_LINES:
            yield f"{mod.path}:1: {len(lines)} lines, over {MAX_FILE_LINES} (no '# size: <reason>' line)"
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.ClassDef) and (size := node.end_lineno - node.lineno + 1) > MAX_CLASS_LINES:
                yield f"{mod.path}:{node.lineno}: class {node.name} is {size} lines, over {MAX_CLASS_LINES}"


def _assert_clean(violations: list[str]) -> None:
    if violations:
        pytest.fail("\n".join(violations), pytrace=False)


def test_tree_is_parsed():
    modules = parse_tree(ROOT)
    assert len(modules) >= 30, f"only {len(modules)} modules found under {ROOT / 'console'}"
    assert sum(len(m.imports) for m in modules.values()) >= 30


def test_every_module_in_a_layer():
    _assert_clean(check_layout(ROOT))


def test_no_import_circles():
    _assert_clean(check_circles(ROOT))


def test_layers_import_downwards():
    _assert_clean(check_layers(ROOT))


def test_libraries_stay_in_their_layer():
    _assert_clean(check_libraries(ROOT))


def test_core_imports_only_core():
    _assert_clean(check_core(ROOT))


def test_sql_only_in_store():
    _assert_clean(check_sql(ROOT))


def test_faces_go_through_the_desk():
    _assert_clean(check_faces(ROOT))


def test_no_private_imports():
    _assert_clean(check_private(ROOT))


def test_file_and_class_sizes():
    _assert_clean(check_sizes(ROOT))


SYNTHETIC = {  # a tiny tree breaking every rule once, with near misses that must pass
    "console/__init__.py": "import os\n",
    "console/__main__.py": "from console.cli.entry import main\n",
    "console/core/__init__.py": "",
    "console/core/model.py": "import textual\nif TYPE_CHECKING:\n    import console.store\ndef _hidden(): ...\n",
    "console/review/__init__.py": "",
    "console/review/sig.py": "def f():\n    from console.store.db import connect\n    from ..tui import app\n",
    "console/store/__init__.py": "",
    "console/store/db.py": "from console.review import sig\nfrom console.core.model import _hidden\nQ = 'SELECT a FROM t'",
    "console/store/reads.py": "from console.core.model import __all__\n",
    "console/desk.py": '"""SELECT docstring FROM nowhere."""\nQ = f"UPDATE {t} SET x = 1"\n'
    'A, B, C = "Update the notice", "Select an account", "Begin"\nD = "  (DELETE FROM appeals"\n',
    "console/cli/__init__.py": "",
    "console/cli/entry.py": "import click\nfrom console.store import db\nfrom ..core import model\n",
    "console/cli/status.py": "from console.store import reads\n",
    "console/tui/__init__.py": "",
    "console/tui/app.py": "import rich\nimport sqlite3\nclass App:\n" + "    x = 1\n" * 400,
    "console/tui/big.py": "# size: one generated table\n" + "x = 1\n" * 900,
    "console/triage.py": "x = 1\n" * 801,
}

CAUGHT = {  # checker: (what its report must contain, what it must not)
    check_layout: (["console/triage.py:1: loose module", "console/__init__.py:1: the package face imports os"],
                   ["__main__"]),
    check_circles: (["console/review/sig.py:2 -> console/store/db.py",
                     "console/store/db.py:1 -> console/review/sig.py"], ["console/core/", "console/cli/"]),
    check_layers: (["console/review/sig.py:2: layer review imports console.store.db",
                    "console/review/sig.py:3: layer review imports console.tui.app",
                    "console/core/model.py:3: layer core imports console.store "], ["console/store/", "console/cli/"]),
    check_libraries: (["console/core/model.py:1: imports textual", "console/tui/app.py:2: imports sqlite3"],
                      ["click", "rich"]),
    check_core: (["console/core/model.py:1: core imports textual",
                  "console/core/model.py:3: core imports console.store;"], []),
    check_sql: (["console/desk.py:2: SQL", "console/desk.py:4: SQL"],
                ["console/store/db.py", "console/desk.py:1", "console/desk.py:3"]),
    check_faces: (["console/cli/entry.py:2: the cli face imports console.store.db"], ["status.py"]),
    check_private: (["console/store/db.py:2: imports the private name _hidden"], ["__all__"]),
    check_sizes: (["console/triage.py:1: 801 lines", "console/tui/app.py:3: class App is 401 lines"], ["big.py"]),
}


@pytest.mark.parametrize("check", CAUGHT, ids=lambda check: check.__name__)
def test_checker_catches(tmp_path, check):
    for rel, text in SYNTHETIC.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    report = "\n".join(check(tmp_path))
    must, must_not = CAUGHT[check]
    for expected in must:
        assert expected in report, f"{check.__name__} missed {expected!r}:\n{report}"
    for unexpected in must_not:
        assert unexpected not in report, f"{check.__name__} wrongly reported {unexpected!r}:\n{report}"
