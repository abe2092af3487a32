"""Mutation operators for numerical code: one small change to a graded function's AST each."""

import ast
import copy
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Each swap is a plausible slip in numerical code, not every operator pair.
ARITH = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Pow: ast.Mult,
    ast.MatMult: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
COMPARE = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
COPYING = {"copy", "array"}  # np.copy(x) / np.array(x): dropping them shares the input


@dataclass(frozen=True)
class Mutant:
    """One generated mutant of one graded function."""

    function: str
    operator: str
    line: int  # line in solution.py of the changed node
    original: str  # the reference function, unparsed (so that diffs show only the change)
    source: str  # the mutated function, unparsed

    @property
    def id(self) -> str:
        """Stable while the function is unchanged: names a mutant in mutation-notes.yml."""
        return f"{self.function}-{hashlib.sha256(self.source.encode()).hexdigest()[:8]}"

    def body(self) -> list[str]:
        """The mutated function's body (without docstring), as lines to fill a stub with."""
        fn = ast.parse(self.source).body[0]
        stmts = _body(fn)
        return "\n".join(ast.unparse(s) for s in stmts).splitlines()


Transform = Callable[[ast.AST], ast.AST | list[ast.stmt] | None]


def _body(fn: ast.FunctionDef) -> list[ast.stmt]:
    b = fn.body
    if len(b) > 1 and isinstance(b[0], ast.Expr) and isinstance(b[0].value, ast.Constant):
        if isinstance(b[0].value.value, str):
            return b[1:]
    return b


def _walk(fn: ast.FunctionDef) -> list[ast.AST]:
    """Every node of the body, in a fixed order (the same for a deep copy)."""
    out: list[ast.AST] = []
    for stmt in _body(fn):
        out.extend(ast.walk(stmt))
    return out


def _replace(root: ast.AST, old: ast.AST, new) -> None:
    for node in ast.walk(root):
        for field, value in ast.iter_fields(node):
            if value is old:
                setattr(node, field, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                k = next(i for i, v in enumerate(value) if v is old)
                value[k : k + 1] = new if isinstance(new, list) else [new]
                return


def _num(v) -> ast.expr:
    return ast.UnaryOp(ast.USub(), ast.Constant(-v)) if v < 0 else ast.Constant(v)


def _constants(v) -> list:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return []
    if isinstance(v, int):
        return [v + 1, v - 1] if v != 0 else [1]
    if v == 0:
        return [1.0]
    if abs(v) < 1e-3:  # tolerances and thresholds: far looser, or none
        return [v * 1e4, 0.0]
    return [v + 1.0, v - 1.0, v * 2.0]


def _scope(fn: ast.FunctionDef, line: int) -> list[str]:
    """Parameters and the local names assigned before ``line``."""
    names = [a.arg for a in fn.args.args + fn.args.kwonlyargs]
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.lineno < line and node.id not in names:
                names.append(node.id)
    return names


def _is_np_call(node: ast.AST, names: set[str]) -> bool:
    f = node.func if isinstance(node, ast.Call) else None
    return (
        isinstance(f, ast.Attribute)
        and isinstance(f.value, ast.Name)
        and f.value.id in {"np", "numpy"}
        and f.attr in names
    )


def _set(attr: str, value) -> Transform:
    def t(n):
        setattr(n, attr, value)
        return n

    return t


def operators(node: ast.AST, fn: ast.FunctionDef) -> Iterator[tuple[str, Transform]]:
    """The (operator label, transform) pairs that apply at ``node``."""
    params = [a.arg for a in fn.args.args]
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in ARITH:
        new = ARITH[type(node.op)]
        yield f"arithmetic {type(node.op).__name__} -> {new.__name__}", _set("op", new())
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        for side in ("left", "right"):
            operand = getattr(node, side)
            if not (isinstance(operand, ast.Attribute) and operand.attr == "T"):
                yield f"transpose added ({side})", _transpose_side(side)
    if isinstance(node, ast.BinOp):  # one parameter used where another was meant
        for side in ("left", "right"):
            operand = getattr(node, side)
            if isinstance(operand, ast.Name) and operand.id in params:
                for other in params:
                    if other != operand.id:
                        yield f"operand {operand.id} -> {other}", _operand(side, other)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
        yield "unary operator removed", lambda n: n.operand
    if isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield "and/or swapped", _set("op", other())
    if isinstance(node, ast.Constant):
        for v in _constants(node.value):
            yield f"constant {node.value!r} -> {v!r}", lambda n, v=v: _num(v)
    if isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            if type(op) in COMPARE:
                yield (
                    f"comparison {type(op).__name__} -> {COMPARE[type(op)].__name__}",
                    (lambda n, k=k: _swap_compare(n, k)),
                )
    if isinstance(node, ast.Attribute) and node.attr == "T":
        yield "transpose removed", lambda n: n.value
    if isinstance(node, ast.Call):
        yield from _call_operators(node, fn)
    if isinstance(node, ast.Return) and node.value is not None:
        if not isinstance(node.value, ast.Tuple):
            yield "int() around the result", lambda n: _wrap_return(n, "int")
            yield "round() around the result", lambda n: _wrap_return(n, "round")
        for p in params:
            yield f"return the argument {p}", lambda n, p=p: ast.Return(ast.Name(p, ast.Load()))
    if isinstance(node, ast.Slice):
        for bound in ("lower", "upper"):
            for d in (1, -1):
                yield f"slice {bound} shifted by {d:+d}", lambda n, b=bound, d=d: _shift(n, b, d)
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        if isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.BinOp | ast.Call):
            yield "int() around a value", lambda n: _wrap_value(n, "int")
            yield "round() around a value", lambda n: _wrap_value(n, "round")
    if isinstance(node, ast.Assign | ast.AugAssign | ast.Expr) and len(_body(fn)) > 1:
        yield "statement deleted", lambda n: ast.Pass()
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        v = node.value
        if isinstance(v, ast.BinOp) and isinstance(v.left, ast.Name) and v.left.id in params:
            if type(v.op) in ARITH:
                yield f"in-place change of {v.left.id}", _in_place


def _call_operators(node: ast.Call, fn: ast.FunctionDef) -> Iterator[tuple[str, Transform]]:
    scope = _scope(fn, node.lineno)
    for k, kw in enumerate(node.keywords):
        if kw.arg is not None:  # a default used where the value was meant
            yield f"keyword {kw.arg} removed", lambda n, k=k: _drop_keyword(n, k)
        if isinstance(kw.value, ast.Name):
            for other in scope:
                if other != kw.value.id:
                    yield (
                        f"keyword {kw.arg}={kw.value.id} -> {other}",
                        (lambda n, k=k, o=other: _kw(n, k, ast.Name(o, ast.Load()))),
                    )
        if kw.arg == "axis" and isinstance(kw.value, ast.Constant):
            for v in {0: [1], 1: [0], -1: [0]}.get(kw.value.value, []):
                yield (
                    f"axis={kw.value.value} -> axis={v}",
                    (lambda n, k=k, v=v: _kw(n, k, ast.Constant(v))),
                )
    positional = [a for a in node.args if not isinstance(a, ast.Starred)]
    for k in range(len(positional) - 1):
        yield f"arguments {k} and {k + 1} swapped", lambda n, k=k: _swap_args(n, k)
    if len(positional) >= 2 and len(positional) == len(node.args):
        yield "last argument dropped", _drop_last
    for k, arg in enumerate(positional):
        if isinstance(arg, ast.Name):
            for other in scope:
                if other != arg.id:
                    yield (
                        f"argument {arg.id} -> {other}",
                        (lambda n, k=k, o=other: _arg(n, k, ast.Name(o, ast.Load()))),
                    )
    f = node.func
    if isinstance(f, ast.Attribute) and f.attr == "copy" and not node.args:
        yield "copy removed", lambda n: n.func.value
    if _is_np_call(node, COPYING) and node.args:
        yield f"np.{f.attr} removed (input shared)", lambda n: n.args[0]


def _transpose_side(side: str) -> Transform:
    def t(n):
        setattr(n, side, ast.Attribute(getattr(n, side), "T", ast.Load()))
        return n

    return t


def _operand(side: str, name: str) -> Transform:
    def t(n):
        setattr(n, side, ast.Name(name, ast.Load()))
        return n

    return t


def _swap_compare(n: ast.Compare, k: int) -> ast.Compare:
    n.ops[k] = COMPARE[type(n.ops[k])]()
    return n


def _wrap_return(n: ast.Return, name: str) -> ast.Return:
    n.value = ast.Call(ast.Name(name, ast.Load()), [n.value], [])
    return n


def _shift(n: ast.Slice, bound: str, d: int) -> ast.Slice | None:
    old = getattr(n, bound)
    if old is None:
        if (bound, d) not in (("lower", 1), ("upper", -1)):
            return None  # x[:] shifted outwards is the same slice
        setattr(n, bound, _num(d))
    else:
        setattr(n, bound, ast.BinOp(old, ast.Add() if d > 0 else ast.Sub(), ast.Constant(1)))
    return n


def _in_place(n: ast.Assign) -> list[ast.stmt]:
    v = n.value
    param = ast.Name(v.left.id, ast.Store())
    return [ast.AugAssign(param, v.op, v.right), ast.Assign(n.targets, ast.Name(v.left.id))]


def _drop_keyword(n: ast.Call, k: int) -> ast.Call:
    del n.keywords[k]
    return n


def _kw(n: ast.Call, k: int, v: ast.expr) -> ast.Call:
    n.keywords[k].value = v
    return n


def _drop_last(n: ast.Call) -> ast.Call:
    n.args.pop()
    return n


def _wrap_value(n: ast.Assign, name: str) -> ast.Assign:
    n.value = ast.Call(ast.Name(name, ast.Load()), [n.value], [])
    return n


def _swap_args(n: ast.Call, k: int) -> ast.Call:
    n.args[k], n.args[k + 1] = n.args[k + 1], n.args[k]
    return n


def _arg(n: ast.Call, k: int, new: ast.expr) -> ast.Call:
    n.args[k] = new
    return n


def generate(fn: ast.FunctionDef) -> list[Mutant]:
    """Every distinct mutant of ``fn``: one operator at one site each."""
    original = ast.unparse(fn)
    seen = {original}
    out = []
    for idx, node in enumerate(_walk(fn)):
        for label, transform in operators(node, fn):
            clone = copy.deepcopy(fn)
            target = _walk(clone)[idx]
            new = transform(target)
            if new is None:
                continue
            if new is not target:
                _replace(clone, target, new)
            ast.fix_missing_locations(clone)
            try:
                source = ast.unparse(clone)
                compile(source, "<mutant>", "exec")
            except (SyntaxError, ValueError, TypeError):
                continue
            if source in seen:
                continue
            seen.add(source)
            line = getattr(node, "lineno", fn.lineno)
            out.append(Mutant(fn.name, label, line, original, source))
    return out
