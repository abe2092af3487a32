"""Assertions for test cases: numpy-aware, ordered diagnostics that a student can act on.

The build copies the functions a test case uses into the Otter test file (see
``autograder/course/cases.py``), so every function here may use only the standard library,
numpy and the other functions of this module, and must be a plain top-level ``def``.
"""

import warnings

import numpy as np


def describe(value):
    """A short, readable description of a value for a failure message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def show_value(value):
    """A call's argument as a student would recognise it: small values in full, large ones
    summarised by shape, dtype and a few entries."""
    if isinstance(value, np.ndarray):
        kind = f"shape {value.shape}, {value.dtype}"
        if value.size <= 12 and value.ndim <= 2:
            return f"{_nested(value.tolist())} ({kind})"
        head = ", ".join(
            f"{x:.4g}" if isinstance(x, float) else str(x) for x in value.reshape(-1)[:3].tolist()
        )
        return f"an array of {kind}, starting {head}, ..."
    if isinstance(value, dict):
        parts = [f"{k!r}: {_brief(v)}" for k, v in list(value.items())[:8]]
        more = ", ..." if len(value) > 8 else ""
        return "{" + ", ".join(parts) + more + "}"
    if callable(value) and not isinstance(value, type):
        name = getattr(value, "__name__", "")
        return (
            f"the function {name}"
            if isinstance(name, str) and name.isidentifier()
            else "a function"
        )
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _nested(items):
    """Nested lists of numbers as written in Python, floats to 6 significant digits."""
    if isinstance(items, list):
        return "[" + ", ".join(_nested(x) for x in items) + "]"
    if isinstance(items, float):
        return repr(float(f"{items:.6g}"))
    return repr(items)


def _brief(value):
    """One value inside a container: arrays by shape and dtype only."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, {value.dtype}"
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _student_name(func, fallback="your function"):
    """A function's name for a message; a submission controls it, so only a short identifier."""
    name = getattr(func, "__name__", None)
    if isinstance(name, str) and name.isidentifier() and len(name) <= 40:
        return name
    return fallback


def _error_text(error):
    """An exception as ``Type: message``, bounded: its text comes from the submission."""
    try:
        text = str(error)
    except Exception:  # a student's exception may break even its own __str__
        text = ""
    text = " ".join(text.split())
    if len(text) > 300:
        text = text[:297] + "..."
    kind = _student_name(type(error), "an exception")
    return f"{kind}: {text}" if text else kind


def call(func, *args, convention=None, **kwargs):
    """Call a student's function; if it raises, fail with a sentence a student can act on.

    The sentence names the call, shows its arguments (small ones in full, large ones by shape
    and dtype), the exception, and ``convention``: what the notebook promised that such an
    error usually means is missed (e.g. inputs of shape (D, 1)).
    """
    try:
        return func(*args, **kwargs)
    except Exception as error:  # whatever the student's code raises becomes a failed check
        raised = error
    name = _student_name(func)
    try:
        import inspect

        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        params = [
            p.name for p in inspect.signature(func).parameters.values() if p.kind in positional
        ]
    except (TypeError, ValueError):
        params = []
    params = [p if p.isidentifier() and len(p) <= 30 else "" for p in params]
    shown = []
    for i, value in enumerate(args):
        label = params[i] if i < len(params) and params[i] else f"argument {i + 1}"
        shown.append((label, value))
    shown += list(kwargs.items())
    signature = ", ".join(label for label, _ in shown)
    lines = [f"{name}({signature}) raised {_error_text(raised)}"]
    for label, value in shown:
        try:
            lines.append(f"  {label} = {show_value(value)}")
        except Exception:  # a value of the student's whose repr breaks is not shown
            lines.append(f"  {label} = (a value that cannot be shown)")
    if convention:
        lines.append(convention)
    raise AssertionError("\n".join(lines))


def check_each(*checks):
    """Run every check (a function of no arguments) and report each failure, not the first.

    A question with several functions uses it so that one wrong function does not hide
    another's failure.
    """
    failures = []
    for check in checks:
        try:
            check()
        except AssertionError as e:
            failures.append(str(e))
        except Exception as e:  # a check that breaks on a strange result still reports it
            failures.append(_error_text(e))
    if failures:
        raise AssertionError("\n".join(failures))


def after_earlier(test, *earlier):
    """Run ``test()``; if it fails, first name each earlier function that fails its own check.

    ``earlier`` holds (question, name, check) triples; ``check()`` raises when the student's
    earlier function (which the tested one calls) is wrong, so that the student is sent to
    the question where the mistake is.
    """
    try:
        test()
    except AssertionError as e:
        blame = []
        for question, name, check in earlier:
            try:
                check()
            except Exception:  # any failure of the earlier function counts
                blame.append(
                    f"this uses your `{name}` ({question}), which fails its checks: "
                    f"fix {question} first."
                )
        if not blame:
            raise
        raise AssertionError("\n".join(blame + [str(e)])) from None


def once(make):
    """Decorate a helper that builds a test's fixed data: ``make()`` runs once per process.

    The judge grades many submissions with one loaded test file, so fixed inputs and their
    exact answers need computing only once. ``functools.cache`` cannot do it: the build
    copies helpers into each test function's body, where a cache would start empty on every
    call. The store lives in the globals of the file that defines the helper (the test file,
    which stays loaded), keyed by the helper's code. The result is shared by every submission
    graded after: make it immutable (tuples, arrays with ``flags.writeable = False``).
    """
    store = make.__globals__.setdefault("_mml_once", {})

    def get():
        key = make.__code__
        if key not in store:
            store[key] = make()
        return store[key]

    return get


def portable(func):
    """Mark a function the test passes to the student's code as pure: the grader may then run
    a copy of it in the sandbox instead of calling it back in the judge (a round trip each
    call; a sandpit's search makes a thousand). Only for a function of its arguments, numpy
    and constants: a copy cannot record into the test's lists (leave such a function
    unmarked), and the student's code can read it, as it can read every input it is given.
    Never for a function that does what a graded function does (a reference step rule): the
    student's code could keep the copy and hand it in as its own answer, where a callback is
    valid only during its call. Works as a decorator and on a lambda:
    ``portable(lambda p: -f(p))``."""
    func.__mml_portable__ = True
    return func


def check_not_missing(actual, name):
    """Fail with a clear sentence when a result is None or the stub's Ellipsis."""
    if actual is None:
        raise AssertionError(
            f"{name} is None: is the function still `...`, or does it lack a `return`?"
        )
    if actual is Ellipsis:
        raise AssertionError(f"{name} is `...`: the function has not been written yet.")


def as_float_array(actual, name):
    """Convert a result to a float array, or fail saying why it cannot be one."""
    check_not_missing(actual, name)
    try:
        raw = np.asarray(actual)
        if raw.dtype.kind in "USV":  # numpy would turn "1.5" into 1.5: text is not a number
            raise TypeError
        with warnings.catch_warnings():  # complex entries are judged by check_real, in order
            warnings.simplefilter("ignore")
            arr = np.array(raw, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{name} should be a numeric array, but it is {describe(actual)}."
        ) from None
    return arr


def check_real(actual, name):
    """Fail when a result has complex entries with a non-zero imaginary part (wrong dtype)."""
    if np.iscomplexobj(actual) and np.any(np.imag(np.asarray(actual)) != 0):
        raise AssertionError(
            f"{name} has complex entries (dtype {np.asarray(actual).dtype}), but real numbers "
            "were expected."
        )


def format_index(index):
    """An index tuple as it would be written in numpy, e.g. [1, 2]."""
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def check_array(actual, expected, name="the result", rtol=1e-6, atol=1e-8, vector=False):
    """Check that ``actual`` is an array close to ``expected``.

    Problems are reported in a fixed order: missing value, not numeric, wrong shape, complex
    entries (wrong dtype), NaN or infinity, then which entries differ. With ``vector=True`` a
    vector result may have shape (D,), (D, 1) or (1, D). Returns the result as a float array.
    """
    arr = as_float_array(actual, name)
    exp = np.array(expected, dtype=float)
    if vector and arr.size == exp.size and arr.ndim <= 2 and exp.ndim <= 2:
        if max(arr.shape, default=1) == arr.size and max(exp.shape, default=1) == exp.size:
            arr, exp = arr.reshape(-1), exp.reshape(-1)
    if arr.shape != exp.shape:
        raise AssertionError(f"{name} has shape {arr.shape}, but shape {exp.shape} was expected.")
    check_real(actual, name)
    bad = ~np.isfinite(arr) & np.isfinite(exp)
    if bad.any():
        where = format_index(np.argwhere(bad)[0]) if arr.ndim else ""
        raise AssertionError(
            f"{name} contains NaN or infinity (first at {name}{where}); "
            "look for a division by zero or an overflow."
        )
    close = np.isclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        if arr.ndim == 0:
            raise AssertionError(
                f"{name} is {float(arr):.10g}, but {float(exp):.10g} was expected "
                f"(off by {float(arr - exp):.3g})."
            )
        wrong = np.argwhere(~close)
        lines = [
            f"  {name}{format_index(i)} is {arr[tuple(i)]:.10g}, expected "
            f"{exp[tuple(i)]:.10g} (off by {arr[tuple(i)] - exp[tuple(i)]:.3g})"
            for i in wrong[:4]
        ]
        more = f"\n  ... and {len(wrong) - 4} more" if len(wrong) > 4 else ""
        raise AssertionError(
            f"{len(wrong)} of {arr.size} entries of {name} are wrong:\n" + "\n".join(lines) + more
        )
    return arr


def check_shape(actual, shape, name="the result"):
    """Check that ``actual`` is a finite numeric array of the given shape (values not checked)."""
    arr = as_float_array(actual, name)
    if arr.shape != tuple(shape):
        raise AssertionError(f"{name} has shape {arr.shape}, but {tuple(shape)} was expected.")
    if not np.isfinite(arr).all():
        raise AssertionError(f"{name} contains NaN or infinity.")
    return arr


def check_scalar(actual, expected, name="the result", rtol=1e-6, atol=1e-8):
    """Check that ``actual`` is a single number close to ``expected``."""
    arr = as_float_array(actual, name)
    if arr.size != 1:
        raise AssertionError(f"{name} should be a single number, but it has shape {arr.shape}.")
    check_real(actual, name)
    value = float(arr.reshape(-1)[0])
    if not np.isfinite(value) and np.isfinite(expected):
        raise AssertionError(f"{name} is {value}; look for a division by zero.")
    if not np.isclose(value, expected, rtol=rtol, atol=atol):
        raise AssertionError(
            f"{name} is {value:.10g}, but {expected:.10g} was expected "
            f"(off by {value - expected:.3g})."
        )
    return value


def check_integer(actual, expected, name="the result"):
    """Check that ``actual`` is a whole number (Python or numpy) equal to ``expected``."""
    check_not_missing(actual, name)
    if isinstance(actual, (bool, np.bool_)):
        raise AssertionError(f"{name} should be an integer, but it is {describe(actual)}.")
    arr = as_float_array(actual, name)
    if arr.size != 1 or float(arr.reshape(-1)[0]) != round(float(arr.reshape(-1)[0])):
        raise AssertionError(f"{name} should be a whole number, but it is {describe(actual)}.")
    value = int(round(float(arr.reshape(-1)[0])))
    if value != expected:
        raise AssertionError(f"{name} is {value}, but {expected} was expected.")
    return value


def check_equal(actual, expected, name="the result"):
    """Check a string or other exact value."""
    check_not_missing(actual, name)
    if type(actual) is not type(expected) or actual != expected:
        raise AssertionError(f"{name} is {describe(actual)}, but {expected!r} was expected.")
    return actual


def check_columns_up_to_sign(actual, expected, name="the result", rtol=1e-5, atol=1e-7):
    """Check a matrix whose columns are defined only up to sign (eigenvectors, components)."""
    arr = as_float_array(actual, name)
    exp = np.array(expected, dtype=float)
    if exp.ndim == 1:
        arr, exp = arr.reshape(-1, 1) if arr.size == exp.size else arr, exp.reshape(-1, 1)
    if arr.shape != exp.shape:
        raise AssertionError(f"{name} has shape {arr.shape}, but shape {exp.shape} was expected.")
    if not np.isfinite(arr).all():
        raise AssertionError(f"{name} contains NaN or infinity.")
    for j in range(exp.shape[1]):
        same = np.allclose(arr[:, j], exp[:, j], rtol=rtol, atol=atol)
        flipped = np.allclose(arr[:, j], -exp[:, j], rtol=rtol, atol=atol)
        if not (same or flipped):
            raise AssertionError(
                f"column {j} of {name} is not the expected vector (even allowing a sign flip)."
            )
    return arr


def check_unchanged(before, after, name="the input", by="your function"):
    """Check that a function (``by``, e.g. the call) left its argument as it was."""
    if not np.array_equal(np.asarray(before), np.asarray(after)):
        raise AssertionError(f"{by} changed {name}, its input; work on a copy (`.copy()`) instead.")


def check_raises(exc_type, func, *args, name="the call"):
    """Check that ``func(*args)`` raises ``exc_type``."""
    try:
        func(*args)
    except exc_type:
        return
    except Exception as e:  # another exception: say which, not a raw traceback
        raise AssertionError(
            f"{name} should raise {exc_type.__name__}, but it raised {_error_text(e)}"
        ) from None
    raise AssertionError(f"{name} should raise {exc_type.__name__}, but it returned normally.")


def code_names(func):
    """Every global and attribute name that ``func`` and the notebook functions it uses mention.

    A sandboxed grader passes a proxy that is not a Python function; it carries the same names,
    computed by the grader from the submitted source (never reported by the sandbox).
    """
    import types

    if not isinstance(func, types.FunctionType):
        reported = getattr(func, "__mml_code_names__", None)
        if reported is not None:
            return set(reported)
        func = type(func).__call__ if callable(func) else func
    names, seen, todo = set(), set(), [func]
    while todo:
        f = todo.pop()
        code = getattr(f, "__code__", None)
        if code is None or id(code) in seen:
            continue
        seen.add(id(code))
        codes, own = [code], set()
        while codes:
            c = codes.pop()
            own.update(c.co_names)
            codes.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
        names |= own
        env = getattr(f, "__globals__", {})
        for n in own:
            g = env.get(n)
            if isinstance(g, types.FunctionType) and g.__module__ == f.__module__:
                todo.append(g)
    return names


def dynamic_access(names):
    """The names among ``names`` that reach code by a name computed while it runs.

    A rule such as "do not call det" cannot be checked for such code:
    ``getattr(np.linalg, "de" + "t")`` hides the name from the code's own names.
    """
    computed = {
        "getattr", "setattr", "delattr", "vars", "globals", "locals", "eval", "exec",
        "compile", "__import__", "importlib", "import_module", "__dict__", "__getattribute__",
        "__globals__", "__builtins__", "builtins", "modules", "attrgetter", "methodcaller",
    }  # fmt: skip
    return sorted(n for n in names if n in computed or n.startswith("<"))


def check_not_calling(func, forbidden, name, reason="this question asks you to do it yourself"):
    """Check that ``func`` (and the notebook functions it calls) use none of ``forbidden``,
    and reach nothing by a computed name (which would hide what it calls)."""
    names = code_names(func)
    computed = dynamic_access(names)
    if computed:
        how = (
            "its definition could not be read from the notebook"
            if any(n.startswith("<") for n in computed)
            else "it uses " + ", ".join(computed)
        )
        raise AssertionError(
            f"{name} must reach the functions it calls by their names, so that it can be "
            f"checked that it does not use {', '.join(sorted(forbidden))}; {how}: {reason}."
        )
    used = sorted(names & set(forbidden))
    if used:
        raise AssertionError(f"{name} must not use {', '.join(used)}: {reason}.")
