"""Equivalent mutants: run a mutant and the reference on the same inputs and compare.

The inputs are the calls that the assignment's own tests make to the graded functions
(recorded while the tests run against the reference), each also perturbed at random with
a fixed seed, plus the edge cases an optional ``contract.py`` beside the solution yields.
Perturbed inputs reach behaviour the tests never look at, so a mutant that survives the
tests still differs from the reference there unless it really is equivalent.
"""

import ast
import copy
import importlib.util
import resource
import signal
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import numpy as np

from ..course import Assignment
from ..course.template import CHECK_CELL, fill_bodies, question_cells, read_template
from .local_engine import render_test_files, run_cells, score
from .specimens import reference_bodies

MAX_CALLS = 400  # recorded calls kept per function (the tests' edge cases come last, often)
PERTURBED_CALLS, PERTURBATIONS = 30, 2  # calls per function perturbed, and how often
RTOL, ATOL = 1e-6, 1e-9  # far tighter than any test's tolerance
# A mutant hangs when it runs this much longer than the reference on the same inputs.
SLOWDOWN, GRACE_SECONDS = 20.0, 0.5
REFERENCE_SECONDS = 0.5
MEMORY_BYTES = 2 << 30


class _Hang(BaseException):
    """Raised by the alarm; a BaseException so that a mutant's ``except Exception`` cannot
    swallow it."""


@dataclass
class Call:
    """One call of a graded function: arguments, and the reference's outcome."""

    function: str
    args: tuple
    kwargs: dict
    outcome: tuple = ()
    args_after: tuple = ()
    perturbed: bool = False
    seconds: float = 0.0


@dataclass
class Oracle:
    """The reference notebook's namespace and what the reference does on every input."""

    namespace: dict
    sources: dict[str, str]  # graded function -> its reference definition
    calls: list[Call] = field(default_factory=list)
    callers: dict[str, set[str]] = field(default_factory=dict)


def notebook_namespace(a: Assignment) -> dict:
    """The graded cells of the template run with the reference filled in, in this process."""
    nb = read_template(a)
    question_cells(a, nb)
    bodies = reference_bodies(a)
    sources = [
        fill_bodies(c.source, bodies, str(a.template))[0]
        for c in nb.cells
        if c.cell_type == "code"
        and not CHECK_CELL.match(c.source)
        and "otter_ignore" not in c.metadata.get("tags", [])
    ]
    namespace, errors = run_cells(sources, a.template_dir)
    if errors:
        raise RuntimeError(f"{a.slug}: the reference notebook fails: {errors[0]}")
    return namespace


def _record(a: Assignment, namespace: dict) -> list[Call]:
    """Run every test case against the reference and keep the graded functions' inputs."""
    calls: list[Call] = []
    count: dict[str, int] = {}

    def recorder(name, func):
        def wrapper(*args, **kwargs):
            if count.get(name, 0) < MAX_CALLS:
                try:
                    calls.append(Call(name, copy.deepcopy(args), copy.deepcopy(kwargs)))
                    count[name] = count.get(name, 0) + 1
                except Exception:  # an argument that cannot be copied is not kept
                    pass
            return func(*args, **kwargs)

        return wrapper

    real = {n: namespace[n] for n in a.graded_functions}
    namespace.update({n: recorder(n, f) for n, f in real.items()})
    try:
        score(render_test_files(a), namespace)
    finally:
        namespace.update(real)
    return calls


def _perturb(value, rng):
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        scale = 0.1 * max(float(np.abs(value).max(initial=0.0)), 1.0)
        return value + rng.normal(size=value.shape) * scale
    if isinstance(value, float):
        return value * (1 + 0.1 * rng.normal())
    if isinstance(value, tuple | list):
        return type(value)(_perturb(v, rng) for v in value)
    if isinstance(value, dict):
        return {k: _perturb(v, rng) for k, v in value.items()}
    return value


def _contract_calls(a: Assignment, rng) -> list[Call]:
    path = a.solution_dir / "contract.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"mml_contract_{a.slug}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [Call(name, tuple(args), dict(kwargs)) for name, args, kwargs in module.inputs(rng)]


def _callers(sources: dict[str, str]) -> dict[str, set[str]]:
    """For each graded function, the graded functions whose result depends on it."""
    uses = {
        n: {x.id for x in ast.walk(ast.parse(s)) if isinstance(x, ast.Name)} & set(sources)
        for n, s in sources.items()
    }
    out = {}
    for n in sources:
        found, todo = {n}, [n]
        while todo:
            m = todo.pop()
            for caller, used in uses.items():
                if m in used and caller not in found:
                    found.add(caller)
                    todo.append(caller)
        out[n] = found
    return out


def _run(namespace: dict, call: Call) -> tuple[tuple, tuple]:
    args, kwargs = copy.deepcopy(call.args), copy.deepcopy(call.kwargs)
    try:
        outcome = ("value", namespace[call.function](*args, **kwargs))
    except _Hang:
        raise
    except Exception as e:  # the reference may raise by contract (MatrixIsSingular)
        outcome = ("raise", type(e).__name__)
    return outcome, (args, kwargs)


def build_oracle(a: Assignment, seed: int = 2024) -> Oracle:
    from ..course.template import read_solution

    solution = read_solution(a.solution_file)
    sources = {n: ast.unparse(solution.functions[n]) for n in a.graded_functions}
    namespace = notebook_namespace(a)
    rng = np.random.default_rng(seed)
    recorded = _record(a, namespace)
    calls = list(recorded)
    perturbed: dict[str, int] = {}
    for c in recorded:
        perturbed[c.function] = perturbed.get(c.function, 0) + 1
        if perturbed[c.function] > PERTURBED_CALLS:
            continue
        for _ in range(PERTURBATIONS):
            args, kwargs = _perturb(c.args, rng), _perturb(c.kwargs, rng)
            calls.append(Call(c.function, args, kwargs, perturbed=True))
    calls += _contract_calls(a, rng)
    oracle = Oracle(namespace, sources, [], _callers(sources))
    previous = signal.signal(signal.SIGALRM, _alarm)
    hangs: dict[str, int] = {}
    try:
        for c in calls:
            if c.perturbed and hangs.get(c.function, 0) >= 2:
                continue  # perturbation does not suit this function's contract
            # A perturbed input can leave the contract (a matrix no longer column-stochastic)
            # and the reference may then run for ever: such inputs are dropped.
            signal.setitimer(signal.ITIMER_REAL, REFERENCE_SECONDS)
            start = time.perf_counter()
            try:
                c.outcome, c.args_after = _run(namespace, c)
                c.seconds = time.perf_counter() - start
            except _Hang:
                hangs[c.function] = hangs.get(c.function, 0) + 1
                continue
            except Exception:  # an input the reference cannot take is no test
                continue
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            oracle.calls.append(c)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return oracle


def same(a, b) -> bool:
    """Equal up to floating-point tolerance, recursively through tuples, lists and dicts."""
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, tuple | list | np.ndarray) or isinstance(b, tuple | list | np.ndarray):
        if isinstance(a, np.ndarray) != isinstance(b, np.ndarray):
            return False  # a list where the contract returns an array is another result
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, str) or isinstance(b, str) or a is None or b is None:
        return type(a) is type(b) and a == b
    try:
        x, y = np.asarray(a), np.asarray(b)
    except Exception:
        return False
    kinds = {"b": "b", "i": "i", "u": "i", "f": "f", "c": "f"}
    if x.dtype.kind not in kinds or y.dtype.kind not in kinds:
        try:
            return bool(a == b)
        except Exception:
            return False
    if kinds[x.dtype.kind] != kinds[y.dtype.kind] or x.shape != y.shape:
        return False
    return bool(np.allclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True))


_ORACLE: Oracle | None = None


def _alarm(signum, frame):
    raise _Hang


def _init_worker() -> None:
    warnings.simplefilter("ignore")
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    signal.signal(signal.SIGALRM, _alarm)


def verdict(function: str, source: str) -> str:
    """``equivalent``, ``different`` or ``hangs`` (never ends on an input the tests use):
    the mutant (``source`` replaces ``function``) against the reference, on every input of
    the functions that depend on ``function``."""
    oracle = _ORACLE
    namespace = dict(oracle.namespace)
    affected = oracle.callers[function]
    calls = [c for c in oracle.calls if c.function in affected]
    if not calls:
        return "different"  # no input: nothing shows that it is equivalent
    budget = GRACE_SECONDS + SLOWDOWN * sum(c.seconds for c in calls)
    current = None
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        for name, ref_source in oracle.sources.items():
            exec(compile(source if name == function else ref_source, "<mutant>", "exec"), namespace)
        for current in calls:
            outcome, after = _run(namespace, current)
            if outcome[0] != current.outcome[0] or not same(outcome[1], current.outcome[1]):
                return "different"
            if not same(after, current.args_after):
                return "different"
        return "equivalent"
    except _Hang:
        return "hangs" if current is not None and not current.perturbed else "different"
    except Exception:  # the mutant does not even define the function: certainly different
        return "different"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def verdicts(a: Assignment, mutants: list[tuple[str, str]], workers: int) -> list[str]:
    """The verdict of each (function, mutated source), in worker processes that a mutant
    can crash or exhaust without taking this process with it."""
    global _ORACLE
    if not mutants:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow and nan from perturbed inputs are expected
        _ORACLE = build_oracle(a)
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    out = []
    try:
        with ProcessPoolExecutor(max(1, workers), mp_context=ctx, initializer=_init_worker) as ex:
            futures = [ex.submit(verdict, f, s) for f, s in mutants]
            for fut in futures:
                try:
                    out.append(fut.result())
                except BrokenProcessPool:
                    out.append("different")
    finally:
        _ORACLE = None
    return out
