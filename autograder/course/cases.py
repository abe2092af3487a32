"""Read an assignment's ``tests.py`` into self-contained Otter test case functions.

Otter's exception-based test cells hold exactly one function, so each case is written out
with everything it uses from its module (imports, constants, helpers) and from
``autograder.checks`` defined inside its own body.
"""

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

CHECKS_PATH = Path(__file__).parents[1] / "checks.py"
CHECKS_MODULE = "autograder.checks"
TESTING_MODULE = "autograder.testing"


class TestSourceError(Exception):
    """A tests.py that cannot be turned into Otter test cases."""

    __test__ = False  # not a pytest test class


@dataclass(frozen=True)
class TestCase:
    """One Otter test case: a self-contained function whose parameters name notebook values."""

    __test__ = False

    question: str
    name: str
    hidden: bool
    points: float | None
    params: tuple[str, ...]
    source: str


@dataclass
class _Definition:
    names: set[str]
    node: ast.stmt
    uses: set[str]
    order: tuple[int, int]


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.Import):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    if isinstance(node, ast.ImportFrom):
        return {a.asname or a.name for a in node.names}
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _used_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _is_case_decorator(dec: ast.expr) -> bool:
    func = dec.func if isinstance(dec, ast.Call) else dec
    return (isinstance(func, ast.Name) and func.id == "case") or (
        isinstance(func, ast.Attribute) and func.attr == "case"
    )


def _definitions(tree: ast.Module, rank: int, path: Path) -> dict[str, _Definition]:
    defs: dict[str, _Definition] = {}
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.ImportFrom) and node.module in (CHECKS_MODULE, TESTING_MODULE):
            continue
        if isinstance(node, ast.FunctionDef) and any(map(_is_case_decorator, node.decorator_list)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # docstring
        names = _bound_names(node)
        if not names:
            raise TestSourceError(
                f"{path}:{node.lineno}: only imports, functions, classes, constants and "
                "@case test functions may stand at the top level of a tests file"
            )
        d = _Definition(names, node, _used_names(node) - names, (rank, i))
        for n in names:
            defs[n] = d
    return defs


def _case_config(dec: ast.Call, path: Path, func: ast.FunctionDef) -> dict:
    where = f"{path}:{func.lineno} ({func.name})"
    try:
        args = [ast.literal_eval(a) for a in dec.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in dec.keywords}
    except ValueError:
        raise TestSourceError(f"{where}: @case arguments must be literals") from None
    if len(args) != 1 or not isinstance(args[0], str):
        raise TestSourceError(f'{where}: expected @case("qN", hidden=..., points=...)')
    unknown = set(kwargs) - {"hidden", "points"}
    if unknown:
        raise TestSourceError(f"{where}: unknown @case argument(s) {sorted(unknown)}")
    return {
        "question": args[0],
        "hidden": bool(kwargs.get("hidden", False)),
        "points": kwargs.get("points"),
    }


def load_test_cases(path: Path) -> list[TestCase]:
    """Parse ``path`` and return its test cases, each made self-contained.

    Cached by the contents of ``tests.py`` and of ``checks.py``: one ``mml validate`` asks for
    an assignment's cases from the local engine, the leak check and the mutants, and an edit
    between two calls is always seen.
    """
    path = Path(path)
    return list(_load_cached(str(path), path.read_bytes(), CHECKS_PATH.read_bytes()))


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, text: bytes, _checks: bytes) -> tuple[TestCase, ...]:
    path = Path(name)
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as e:
        raise TestSourceError(f"{path}:{e.lineno}: syntax error: {e.msg}") from None
    defs = _definitions(ast.parse(CHECKS_PATH.read_text()), 0, CHECKS_PATH)
    defs.update(_definitions(tree, 1, path))

    cases = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        decs = [d for d in node.decorator_list if _is_case_decorator(d)]
        if not decs:
            continue
        if not isinstance(decs[0], ast.Call):
            raise TestSourceError(f'{path}:{node.lineno}: write @case("qN"), with the question')
        config = _case_config(decs[0], path, node)
        params = tuple(a.arg for a in node.args.args)
        cases.append(
            TestCase(
                question=config["question"],
                name=node.name,
                hidden=config["hidden"],
                points=config["points"],
                params=params,
                source=_inline(node, params, defs, path),
            )
        )
    if not cases:
        raise TestSourceError(f"{path}: no @case test functions found")
    return tuple(cases)


def _inline(func: ast.FunctionDef, params, defs: dict[str, _Definition], path: Path) -> str:
    needed: list[_Definition] = []
    todo = list(_used_names(func) - set(params))
    seen: set[str] = set()
    clash = []
    while todo:
        name = todo.pop()
        if name in seen or name not in defs:
            continue
        seen.add(name)
        if name in params:  # a helper needs the module's `name`, but would get the parameter
            clash.append(name)
            continue
        d = defs[name]
        if all(d is not x for x in needed):
            needed.append(d)
            todo.extend(d.uses)
    if clash:
        raise TestSourceError(
            f"{path}:{func.lineno}: {func.name} takes {clash} from the notebook but also uses a "
            "helper of the same name; rename the helper (e.g. with a leading underscore)"
        )
    imports = [d for d in needed if isinstance(d.node, ast.Import | ast.ImportFrom)]
    others = [d for d in needed if d not in imports]
    prelude = [d.node for d in sorted(imports, key=lambda d: d.order)]
    prelude += [d.node for d in sorted(others, key=lambda d: d.order)]

    body = list(func.body)
    doc = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        doc = [body.pop(0)]
    new = ast.FunctionDef(
        name=func.name,
        args=func.args,
        body=doc + prelude + body,
        decorator_list=[],
        returns=None,
        type_params=[],
    )
    return ast.unparse(ast.fix_missing_locations(new))


def questions_tested(path: Path) -> dict[str, int]:
    """How many test cases each question has, from the @case decorators alone.

    The course manifest is checked on every command, so this only parses the file; the build
    makes the cases self-contained (``load_test_cases``) and reports what fails there.
    """
    path = Path(path)
    try:
        tree = ast.parse(path.read_text(), filename=str(path))
    except SyntaxError as e:
        raise TestSourceError(f"{path}:{e.lineno}: syntax error: {e.msg}") from None
    counts: dict[str, int] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            if _is_case_decorator(dec):
                if not isinstance(dec, ast.Call):
                    raise TestSourceError(
                        f'{path}:{node.lineno}: write @case("qN"), with the question'
                    )
                q = _case_config(dec, path, node)["question"]
                counts[q] = counts.get(q, 0) + 1
    if not counts:
        raise TestSourceError(f"{path}: no @case test functions found")
    return counts
