"""The judge's side of the channel: proxies for the student's functions, values and exceptions."""

import builtins
import inspect
import sys
import types

import numpy as np

from . import frames, okformat, portable, protocol, wire
from .protocol import KIND_CLASS, KIND_FUNCTION, KIND_OBJECT, LIMITS, Op, Tag, clean_text

# Library exception types a student's code may raise and a test may catch by their real class.
LIBRARY_PREFIXES = ("numpy", "scipy", "sklearn", "math")


class ChildGone(Exception):
    """The submission's process is no longer there (it exited, crashed or was stopped)."""


class Opaque:
    """A student value that cannot be copied out of the sandbox; using it fails the test."""

    def __init__(self, type_name: str):
        self._type = type_name

    def __repr__(self):
        return f"<{self._type} object (kept in the sandbox)>"


class StudentFunction:
    """Calls a function defined by the submission, inside the sandbox.

    ``__mml_code_names__`` (read by ``checks.code_names``) is what the judge reads from the
    submitted source for the name it resolved the function by, never what the child says;
    computed only when a test asks (reading the source costs more than grading).
    """

    def __init__(self, link, h: int, name: str, doc: str | None, signature):
        self._link = link
        self._h = h
        self.__name__ = self.__qualname__ = name
        self.__doc__ = doc
        self.__signature__ = signature
        self._graded_name: str | None = None

    @property
    def __mml_code_names__(self) -> frozenset:
        return self._link.code_names(self._graded_name)

    def __call__(self, *args, **kwargs):
        return self._link.call(self._h, args, kwargs)

    def __repr__(self):
        return f"<student function {self.__name__}>"


class Link:
    """One submission's channel: resolve names, call functions, serve the child's callbacks.

    ``modules`` are the modules the judge holds for this assignment (a module value from the
    child resolves to one of these or to an opaque stand-in); ``code_names(name)`` gives the
    names the function bound to ``name`` uses, read from the submitted source.
    """

    def __init__(self, sock, deadline: float, modules: dict | None = None, code_names=None):
        self.sock = sock
        self.deadline = deadline
        self.modules = modules or {}
        self.code_names = code_names or _unknown_code_names
        self.proxies: dict[int, StudentFunction] = {}
        self.classes: dict[int, type] = {}
        self.callbacks: list[dict[int, object]] = []  # one frame per call in progress
        self.gone: str | None = None
        self.violation: str | None = None
        self.saw_memory_error = False
        self.echo = False  # repeat what student functions print (OK-format doctests compare it)
        self.kept: set[str] = set()  # types of values that stayed in the sandbox (otter_zip)

    # -- wire -----------------------------------------------------------------------------
    def broke(self, what: str) -> ChildGone:
        """Record a protocol violation; the caller raises what this returns."""
        self.gone = "nonsense"
        self.violation = self.violation or clean_text(what, 300)
        return ChildGone(f"the submission broke the protocol: {self.violation}")

    def _fault(self, e: wire.WireError) -> ChildGone:
        if isinstance(e, wire.Timeout):
            self.gone = "timeout"
            return ChildGone("the submission ran out of time")
        if isinstance(e, wire.Closed):
            self.gone = "closed"
            return ChildGone("the submission's process ended")
        return self.broke(str(e))

    def recv(self, expected: tuple[str, ...], cells: int = 0):
        if self.gone:
            raise ChildGone(self.gone)
        try:
            msg, blobs = wire.recv(self.sock, self.deadline)
            return protocol.from_child(msg, expected, cells), blobs
        except wire.WireError as e:
            raise self._fault(e) from None

    def send(self, header: dict, values: dict | None = None) -> None:
        if self.gone:
            raise ChildGone(self.gone)
        blobs = []
        if values:
            enc = wire.Encoder(None)
            busy: set[int] = set()
            enc.fallback = lambda x: self._outgoing(x, enc, busy)
            for k, v in values.items():
                enc.arrays = {}  # each key is decoded on its own
                header[k] = enc(v)
            blobs = enc.blobs
        try:
            wire.send(self.sock, header, blobs, self.deadline)
        except wire.Timeout:
            self.gone = "timeout"
            raise ChildGone("the submission ran out of time (it stopped reading)") from None
        except OSError:
            self.gone = "closed"
            raise ChildGone("the submission's process ended") from None

    def _outgoing(self, x, enc: wire.Encoder, busy: set[int]):
        """The wire form of what plain encoding cannot copy (``enc``: the message's encoder;
        ``busy``: the portable functions being encoded)."""
        if isinstance(x, StudentFunction) and x._link is self:
            return {Tag.HANDLE: x._h}
        h = getattr(x, "__mml_handle__", None)
        if isinstance(x, type) and h is not None and self.classes.get(h) is x:
            return {Tag.HANDLE: h}
        if isinstance(x, types.ModuleType):  # numpy in a portable function's closure
            return {Tag.MODULE: x.__name__}
        if portable.is_portable(x):
            try:  # its code travels: the child calls it without a round trip
                return portable.encode(x, enc, busy)
            except (wire.Unencodable, RecursionError):
                pass  # called back, as any other function of the test
        if callable(x) and self.callbacks:
            # valid only for the call being made: the child can call it back while that call
            # runs, never keep it, return it or bind it to a name
            frame = self.callbacks[-1]
            i = next((k for k, f in frame.items() if f is x), None)
            if i is None:
                i = len(frame) + 1 + 1000 * len(self.callbacks)
                frame[i] = x
            return {Tag.CALLBACK: i}
        raise wire.Unencodable(f"cannot pass a {type(x).__name__} to the submission")

    def decode(self, tree, blobs, args=()):
        """A value from the child: plain data, or stand-ins for what lives in the sandbox."""

        def arg(x, dec, depth):
            i = x[Tag.ARG]
            if len(x) == 1 and type(i) is int and 0 <= i < len(args):
                return args[i]
            return Opaque("argument")

        hooks = {
            Tag.HANDLE: self._incoming_handle,
            Tag.BUILTIN: self._class,
            Tag.LIB: self._class,
            Tag.MODULE: self._module,
            Tag.CALLBACK: _no_callback,
            Tag.ARG: arg,
        }
        return wire.decode(tree, blobs, hooks, self.deadline)

    def _module(self, x, dec, depth):
        """A module the notebook bound to a name (``np``): the judge's own copy of a module it
        already holds for this assignment, never one imported by a name the child chose."""
        name = x[Tag.MODULE]
        if len(x) != 1 or type(name) is not str:
            raise wire.WireError("malformed module")
        mod = self.modules.get(name)
        return mod if mod is not None else Opaque("module")

    def _incoming_handle(self, x, dec, depth):
        h, kind = x.get(Tag.HANDLE), x.get("k")
        if type(h) is not int or type(kind) is not str:
            raise wire.WireError("malformed handle")
        if kind == KIND_FUNCTION:
            if not x.keys() <= {"h", "k", "name", "sig", "doc"}:
                raise wire.WireError("unknown fields in a function handle")
            if h not in self.proxies:
                if len(self.proxies) >= LIMITS.functions:
                    raise wire.WireError("too many functions")
                name, doc = x.get("name", "function"), x.get("doc")
                if type(name) is not str or (doc is not None and type(doc) is not str):
                    raise wire.WireError("malformed function handle")
                self.proxies[h] = StudentFunction(
                    self,
                    h,
                    clean_text(name, 200),
                    None if doc is None else clean_text(doc, LIMITS.text_chars),
                    self._signature(x.get("sig"), dec, depth),
                )
            return self.proxies[h]
        if kind == KIND_CLASS:
            return self._class(x, dec, depth)
        if kind == KIND_OBJECT:
            if not x.keys() <= {"h", "k", "type"}:
                raise wire.WireError("unknown fields in an object handle")
            t = x.get("type", "object")
            name = clean_text(t if type(t) is str else "object", 80)
            self.kept.add(name)  # said in the result (--autograder zips: otter_zip.flag_kept)
            return Opaque(name)
        raise wire.WireError("unknown kind of handle")

    def _signature(self, params, dec, depth):
        if params is None:
            return None
        if type(params) is not list or len(params) > 255:
            raise wire.WireError("malformed signature")
        out = []
        for p in params:
            if type(p) is not list or len(p) != 4 or type(p[0]) is not str:
                raise wire.WireError("malformed signature")
            name, kind, has_default, default = p
            if type(kind) is not int or type(has_default) is not bool:
                raise wire.WireError("malformed signature")
            d = inspect.Parameter.empty
            if has_default:
                d = dec(default, depth + 1) if default is not None else Opaque("default")
            out.append((clean_text(name, 200), kind, d))
        try:
            return inspect.Signature(
                [inspect.Parameter(n, inspect._ParameterKind(k), default=d) for n, k, d in out]
            )
        except (ValueError, TypeError):
            return None  # a signature Python would not accept: the proxy has none

    def _class(self, x, dec, depth: int):
        """A class from the child: builtins and library classes are the real ones; classes the
        notebook defines get one stand-in each (exceptions can be raised and caught by it)."""
        dec.count()
        if depth > LIMITS.depth:
            raise wire.WireError("class hierarchy too deep")
        if Tag.BUILTIN in x:
            name = x[Tag.BUILTIN]
            if len(x) != 1 or type(name) is not str:
                raise wire.WireError("malformed builtin class")
            cls = vars(builtins).get(name)
            if isinstance(cls, type):
                if issubclass(cls, BaseException) and not issubclass(cls, Exception):
                    return _stand_in(cls.__name__, (Exception,))
                return cls
            return Opaque("class")
        if Tag.LIB in x:
            ref = x[Tag.LIB]
            if not x.keys() <= {"lib", "bases"}:
                raise wire.WireError("unknown fields in a library class")
            cls = _library_class(ref)
            if cls is not None:
                return cls
            bases = self._bases(x, dec, depth)
            name = ref[1].rsplit(".", 1)[-1]
            return _stand_in(clean_text(name, 80), bases or (Exception,))
        if not x.keys() <= {"h", "k", "name", "exc", "bases"}:
            raise wire.WireError("unknown fields in a class handle")
        h, name = x.get("h"), x.get("name", "class")
        if type(h) is not int or type(name) is not str:
            raise wire.WireError("malformed class handle")
        if h in self.classes:
            return self.classes[h]
        if len(self.classes) >= LIMITS.classes:
            raise wire.WireError("too many classes")
        name = clean_text(name, 80)
        if not x.get("exc"):
            proxy = StudentFunction(self, h, name, None, None)
            self.classes[h] = proxy
            return proxy
        cls = _stand_in(name, self._bases(x, dec, depth) or (Exception,), h)
        self.classes[h] = cls
        return cls

    def _bases(self, x, dec, depth) -> tuple:
        bases = x.get("bases", [])
        if type(bases) is not list:
            raise wire.WireError("malformed class bases")
        out = []
        for b in bases[:8]:
            if type(b) is not dict or not b:
                raise wire.WireError("malformed class bases")
            c = self._class(b, dec, depth + 1)
            if isinstance(c, type) and issubclass(c, Exception) and c not in out:
                out.append(c)
        return tuple(out)

    # -- requests ---------------------------------------------------------------------------
    def resolve(self, names: list[str]) -> dict:
        self.send({"op": Op.RESOLVE, "names": names})
        msg, blobs = self.recv((Op.RESOLVED,))
        try:
            values = self.decode(msg["values"], blobs)
        except wire.WireError as e:
            raise self._fault(e) from None
        if not isinstance(values, dict):
            raise self.broke("the resolved values are not a dict")
        out = {k: v for k, v in values.items() if isinstance(k, str) and k in names}
        for k, v in out.items():
            if isinstance(v, StudentFunction) and v._graded_name is None:
                v._graded_name = k  # its code is read from the source under this name
        return out

    def call(self, h: int, args: tuple, kwargs: dict):
        flat = list(args) + list(kwargs.values())
        self.callbacks.append({})
        try:
            header = {"op": Op.CALL, "h": h, "echo": self.echo}
            self.send(header, {"args": list(args), "kwargs": dict(kwargs)})
            while True:
                msg, blobs = self.recv((Op.RETURN, Op.RAISE, Op.CALLBACK, Op.CHECK))
                op = msg["op"]
                if op == Op.CALLBACK:
                    self._serve_callback(msg, blobs)
                elif op == Op.CHECK:  # grader.check called inside a test: ignored, as harmless
                    self.send({"op": Op.RETURN, "value": True})
                else:
                    break
        finally:
            self.callbacks.pop()
        try:
            self._copy_back(flat, self.decode(msg.get("changed"), blobs))
            if op == Op.RETURN:
                if self.echo and "printed" in msg:  # an OK-format doctest compares the output
                    sys.stdout.write(msg["printed"][: okformat.MAX_PRINTED])
                return self.decode(msg.get("value"), blobs, flat)
            exc = self._exception(msg["exc"])
        except wire.WireError as e:
            raise self._fault(e) from None
        raise exc

    def _serve_callback(self, msg, blobs):
        f = self.callbacks[-1].get(msg["cb"])
        if f is None:
            raise self.broke("a callback that is not part of the call in progress")
        try:
            args = self.decode(msg.get("args"), blobs)
            kwargs = self.decode(msg.get("kwargs"), blobs)
        except wire.WireError as e:
            raise self._fault(e) from None
        if type(args) is not list or type(kwargs) is not dict:
            raise self.broke("malformed callback arguments")
        try:
            value = f(*args, **{str(k): v for k, v in kwargs.items()})
            self.send({"op": Op.RETURN}, {"value": value})
        except ChildGone:
            raise
        except Exception as e:
            self.send({"op": Op.RAISE, "msg": clean_text(f"{type(e).__name__}: {e}", 2000)})

    @staticmethod
    def _copy_back(flat, changed):
        if not isinstance(changed, dict):
            return
        for key, new in changed.items():
            try:
                old = flat[int(key)]
            except (ValueError, IndexError, TypeError, OverflowError):
                continue
            try:
                if isinstance(old, np.ndarray) and isinstance(new, np.ndarray):
                    if old.shape == new.shape:
                        old[...] = new
                elif type(old) is list and type(new) is list:
                    old[:] = new
                elif type(old) is dict and type(new) is dict:
                    old.clear()
                    old.update(new)
                else:
                    frames.copy_back(old, new)  # a DataFrame or Series changed in place
            except (ValueError, TypeError, OverflowError):
                pass

    def _exception(self, info: dict) -> BaseException:
        msg = info.get("msg", "")
        cls = self.decode(info.get("cls"), [])
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            cls = _stand_in("Error", (Exception,))
        if cls is MemoryError:
            self.saw_memory_error = True
        try:
            return cls(msg)
        except Exception:
            return _stand_in(cls.__name__, (Exception,))(msg)


def _unknown_code_names(name) -> frozenset:
    return frozenset({"<unknown definition>"})


def _no_callback(x, dec, depth):
    # A callback handle never comes back as a value: that is how a child would make the judge
    # grade its own reference (a test's function bound to a graded name).
    raise wire.WireError("a callback handle came back as a value")


def _stand_in(name: str, bases: tuple, handle=None) -> type:
    name = name if name.isidentifier() else "Error"
    try:
        cls = type(name, bases, {"__module__": "__main__"})
    except TypeError:  # bases that cannot be combined (layout, MRO): a plain exception class
        cls = type(name, (Exception,), {"__module__": "__main__"})
    if handle is not None:
        cls.__mml_handle__ = handle
    return cls


def _library_class(ref):
    """A library's exception class, looked up only in modules the judge holds (no import, no
    module ``__getattr__``: attributes are read from the objects' own dictionaries)."""
    if not (type(ref) is list and len(ref) == 2 and all(type(r) is str for r in ref)):
        raise wire.WireError("malformed library class")
    module, qualname = ref
    if module.split(".")[0] not in LIBRARY_PREFIXES:
        return None
    obj = sys.modules.get(module)
    for part in qualname.split(".")[:8]:
        try:
            obj = vars(obj).get(part)
        except TypeError:
            return None
    return obj if isinstance(obj, type) and issubclass(obj, BaseException) else None
