"""The names a graded function uses, read by the judge from the submitted source, never the child.

``checks.check_not_calling`` asks ``code_names(func)``; in ``otter run`` that reads the real
function's code objects in the student's process. Here the judge compiles the notebook's
cells itself (compiling runs nothing) and takes the same ``co_names`` from the code objects
of every definition of the graded name, following the notebook functions they mention, as
Otter does. A name bound in a way that only running the notebook would reveal (assigned
twice, imported, set through ``globals()``/``exec``...) yields a marker that the check
reports as a violation, so a submission cannot show the judge one function and run another.
"""

import ast
import functools
import types
from dataclasses import dataclass

from . import load

UNKNOWN = "<unknown definition>"
MAX_SOURCE = 2 * 2**20  # characters of code read for one submission

# Names that let module-level code bind a global without a visible assignment.
_REBINDING = {
    "exec",
    "eval",
    "compile",
    "globals",
    "vars",
    "locals",
    "setattr",
    "__import__",
    "importlib",
    "__dict__",
    "__builtins__",
    "builtins",
    "modules",
    "__main__",
}


@dataclass(frozen=True)
class _Cell:
    """What one cell's text says about the names it defines (a pure function of the text)."""

    codes: tuple[tuple[str, types.CodeType], ...] = ()
    bound_otherwise: frozenset[str] = frozenset()
    opaque: str | None = None
    unparsed: bool = False  # IPython syntax: a name it mentions cannot be read from the text


class Definitions:
    """Where each name of one notebook is defined, and whether that can be read from the text."""

    def __init__(self, cells: list[str]):
        self.codes: dict[str, list[types.CodeType]] = {}
        self.bound_otherwise: set[str] = set()
        self.opaque: str | None = None
        self.unparsed: list[str] = []
        total = 0
        for src in cells:
            total += len(src)
            if total > MAX_SOURCE:
                self.opaque = "the notebook's code is too large to read"
                return
            cell = _read(src)
            for name, code in cell.codes:
                self.codes.setdefault(name, []).append(code)
            self.bound_otherwise |= cell.bound_otherwise
            self.opaque = cell.opaque or self.opaque
            if cell.unparsed:
                self.unparsed.append(src)

    def readable(self, name: str) -> bool:
        return (
            self.opaque is None
            and name in self.codes
            and name not in self.bound_otherwise
            and not any(name in src or any(w in src for w in _REBINDING) for src in self.unparsed)
        )

    def code_names(self, name: str | None) -> frozenset:
        """What ``checks.code_names`` would find for the function bound to ``name``."""
        if name is None or not self.readable(name):
            return frozenset({UNKNOWN})
        names: set[str] = set()
        seen: set[str] = set()
        todo = [name]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            if not self.readable(n):
                names.add(UNKNOWN)
                continue
            own: set[str] = set()
            codes = list(self.codes[n])
            while codes:
                c = codes.pop()
                own.update(c.co_names)
                codes.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
            names |= own
            todo.extend(m for m in own if m in self.codes)
        return frozenset(names)


CACHED_CELL = 20_000  # characters: longer cells are read each time (the cache stays small)


def _read(src: str) -> _Cell:
    return _read_cached(src) if len(src) <= CACHED_CELL else _parse(src)


# A class's submissions share most cells (the template's, and often the graded ones): reading a
# cell is compiling it, so each distinct text is read once per judge.
@functools.lru_cache(maxsize=4096)
def _read_cached(src: str) -> _Cell:
    return _parse(src)


def _parse(src: str) -> _Cell:
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Not Python: IPython syntax (which the child rewrites first) or an error. The judge
        # does not rewrite it (IPython's rewriter is slow on hostile input): a name such a
        # cell mentions cannot be read from the source.
        return _Cell(unparsed=load.has_ipython_syntax(src))
    try:
        module = compile(tree, "<cell>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _Cell()
    starts: dict[str, set[int]] = {}
    lambda_targets: set[int] = set()
    bound: set[str] = set()
    opaque = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            starts.setdefault(node.name, set()).add(first)
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Lambda)
        ):
            starts.setdefault(node.targets[0].id, set()).add(-node.value.lineno)
            lambda_targets.add(id(node.targets[0]))
        elif isinstance(node, ast.Name) and node.id in _REBINDING:
            opaque = f"the notebook uses {node.id}"
        elif isinstance(node, ast.Attribute) and node.attr in _REBINDING:
            opaque = f"the notebook uses .{node.attr}"
        elif isinstance(node, ast.Global):
            bound.update(node.names)
    opaque = _module_bindings(tree, lambda_targets, bound) or opaque
    lambdas = {-line: name for name, lines in starts.items() for line in lines if line < 0}
    codes = []
    todo = [module]
    while todo:
        code = todo.pop()
        for k in code.co_consts:
            if isinstance(k, types.CodeType):
                todo.append(k)
                if k.co_firstlineno in starts.get(k.co_name, ()):
                    codes.append((k.co_name, k))
                elif k.co_name == "<lambda>" and k.co_firstlineno in lambdas:
                    codes.append((lambdas[k.co_firstlineno], k))
    return _Cell(tuple(codes), frozenset(bound), opaque)


def _module_bindings(tree: ast.Module, lambda_targets: set[int], bound: set[str]) -> str | None:
    """Add to ``bound`` every global the cell binds other than by ``def name`` or
    ``name = lambda ...``; a reason if the cell binds names unknowably (``import *``)."""
    opaque = None
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(node.decorator_list if not isinstance(node, ast.Lambda) else [])
            continue  # their bodies bind locals
        if isinstance(node, ast.ClassDef):
            bound.add(node.name)
            todo.extend(node.decorator_list + node.bases)
            continue
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load) and id(node) not in lambda_targets:
                bound.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for a in node.names:
                if a.name == "*":
                    opaque = "the notebook uses import *"
                bound.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        todo.extend(ast.iter_child_nodes(node))
    return opaque
