"""A test's pure functions, copied into the sandbox instead of called back (``checks.portable``).

A function a test passes to the student's code (a sandpit's depth ``f(p)``, a step rule) is
otherwise a callback: every call is a round trip to the judge, and a sandpit's search makes a
thousand. A function its test marked ``portable`` travels instead as its code (``marshal``,
from the judge to the child only: the judge never reads code from the child, and its decoder
has no such tag), with its closure, defaults and the globals it names, each encoded as any
other value; the child rebuilds it and calls it locally. Anything that cannot travel (a
closure cell holding a test's list, an unmarshallable constant) makes it a callback again.

What the child learns is what it could learn anyway: the inputs it is given (a function's
values at every point it asks for). What a copy cannot do is record into the test's own
state, which is why only marked functions travel.
"""

import builtins
import importlib
import marshal
import sys
import types

from . import wire
from .protocol import Tag

MARK = "__mml_portable__"


def is_portable(x) -> bool:
    return type(x) is types.FunctionType and getattr(x, MARK, False) is True


def _global_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _global_names(c)
    return names


def encode(f: types.FunctionType, enc: wire.Encoder, busy: set[int]) -> dict:
    """The wire form of ``f`` (judge side); Unencodable if it cannot travel. ``busy``: the
    functions being encoded (a function that reaches itself is called back instead)."""
    if id(f) in busy:
        raise wire.Unencodable("a portable function that refers to itself")
    busy.add(id(f))
    try:
        try:
            code = marshal.dumps(f.__code__)
        except ValueError:
            raise wire.Unencodable("code that cannot be copied") from None
        cells = []
        for cell in f.__closure__ or ():
            try:
                cells.append(cell.cell_contents)
            except ValueError:  # not yet assigned
                raise wire.Unencodable("an empty closure cell") from None
        named = {
            n: f.__globals__[n]
            for n in sorted(_global_names(f.__code__))
            if n in f.__globals__ and n != "__builtins__"
        }
        return {
            Tag.CODE: [
                enc.blob(code),
                f.__name__,
                enc(cells),
                enc(named),
                enc(f.__defaults__),
                enc(f.__kwdefaults__),
            ]
        }
    finally:
        busy.discard(id(f))


def module(name) -> types.ModuleType:
    """A module the judge named (child side): one already imported here, else imported."""
    if type(name) is not str:
        raise wire.WireError("malformed module")
    mod = sys.modules.get(name)
    if mod is None:
        try:
            mod = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - whatever the import raises, it is a wire fault
            raise wire.WireError(f"module {name!r} is not available in the sandbox") from None
    return mod


def decode(x: dict, dec, depth: int) -> types.FunctionType:
    """Rebuild a test's function from its wire form (child side: the judge sent it)."""
    v = x[Tag.CODE]
    if len(x) != 1 or type(v) is not list or len(v) != 6:
        raise wire.WireError("malformed function code")
    blob, name, cells, named, defaults, kwdefaults = v
    code = marshal.loads(dec._blob(blob))
    if not isinstance(code, types.CodeType):
        raise wire.WireError("malformed function code")
    cells, named = dec(cells, depth + 1), dec(named, depth + 1)
    defaults, kwdefaults = dec(defaults, depth + 1), dec(kwdefaults, depth + 1)
    if type(cells) is not list or type(named) is not dict or len(cells) != len(code.co_freevars):
        raise wire.WireError("malformed function code")
    env = {"__builtins__": builtins, "__name__": "__test__", **named}
    closure = tuple(types.CellType(c) for c in cells) or None
    f = types.FunctionType(code, env, str(name), tuple(defaults) if defaults else None, closure)
    f.__kwdefaults__ = kwdefaults or None
    setattr(f, MARK, True)
    return f
