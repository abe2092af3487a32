"""The judge's side of the channel: proxies for the student's functions, values and exceptions."""

import builtins
import importlib
import inspect
import sys

import numpy as np

from . import frames, okformat, wire

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
    """Calls a function defined by the submission, inside the sandbox."""

    def __init__(self, link, info: dict):
        self._link = link
        self._h = info["h"]
        self.__name__ = self.__qualname__ = info.get("name", "function")
        self.__doc__ = info.get("doc")
        self.__mml_code_names__ = frozenset(
            n for n in info.get("names") or [] if isinstance(n, str)
        )
        self.__signature__ = _signature(link, info.get("sig"))

    def __call__(self, *args, **kwargs):
        return self._link.call(self._h, args, kwargs)

    def __repr__(self):
        return f"<student function {self.__name__}>"


def _signature(link, params):
    if not isinstance(params, list):
        return None
    try:
        out = []
        for name, kind, has_default, default in params:
            d = inspect.Parameter.empty
            if has_default:
                d = link.decode(default, []) if default is not None else Opaque("default")
            out.append(inspect.Parameter(str(name), inspect._ParameterKind(int(kind)), default=d))
        return inspect.Signature(out)
    except (ValueError, TypeError, wire.WireError):
        return None


class Link:
    """One submission's channel: resolve names, call functions, serve the child's callbacks."""

    def __init__(self, sock, deadline: float):
        self.sock = sock
        self.deadline = deadline
        self.proxies: dict[int, object] = {}
        self.classes: dict[int, type] = {}
        self.callbacks: dict[int, object] = {}
        self.callback_ids: dict[int, int] = {}
        self.gone: str | None = None
        self.saw_memory_error = False
        self.echo = False  # repeat what student functions print (OK-format doctests compare it)
        self.kept: set[str] = set()  # types of values that stayed in the sandbox (otter_zip)

    # -- wire -----------------------------------------------------------------------------
    def recv(self):
        if self.gone:
            raise ChildGone(self.gone)
        try:
            return wire.recv(self.sock, self.deadline)
        except wire.Timeout:
            self.gone = "timeout"
            raise ChildGone("the submission ran out of time") from None
        except wire.Closed:
            self.gone = "closed"
            raise ChildGone("the submission's process ended") from None
        except wire.WireError as e:
            self.gone = "nonsense"
            raise ChildGone(f"the submission broke the protocol: {e}") from None

    def send(self, header: dict, values: dict | None = None) -> None:
        if self.gone:
            raise ChildGone(self.gone)
        blobs = []
        if values:
            enc = wire.Encoder(self._outgoing)
            for k, v in values.items():
                enc.arrays = {}  # each key is decoded on its own
                header[k] = enc(v)
            blobs = enc.blobs
        try:
            wire.send(self.sock, header, blobs)
        except OSError:
            self.gone = "closed"
            raise ChildGone("the submission's process ended") from None

    def _outgoing(self, x):
        if isinstance(x, StudentFunction):
            return {"h": x._h}
        h = getattr(x, "__mml_handle__", None)
        if isinstance(x, type) and h is not None and self.classes.get(h) is x:
            return {"h": h}
        if callable(x):
            i = self.callback_ids.setdefault(id(x), len(self.callbacks) + 1)
            self.callbacks[i] = x
            return {"cb": i}
        raise wire.Unencodable(f"cannot pass a {type(x).__name__} to the submission")

    def decode(self, tree, blobs, args=()):
        hooks = {
            "h": self._incoming_handle,
            "builtin": self._class,
            "lib": self._class,
            "mod": lambda x: _module(x.get("mod")),
            "cb": lambda x: self.callbacks.get(x.get("cb")) or Opaque("callback"),
            "arg": lambda x: (
                args[x["arg"]]
                if type(x.get("arg")) is int and 0 <= x["arg"] < len(args)
                else Opaque("argument")
            ),
        }
        return wire.decode(tree, blobs, hooks)

    def _incoming_handle(self, x):
        h, kind = x.get("h"), x.get("k")
        if type(h) is not int:
            raise wire.WireError("bad handle")
        if kind == "fn":
            if h not in self.proxies:
                self.proxies[h] = StudentFunction(self, x)
            return self.proxies[h]
        if kind == "class":
            return self._class(x)
        name = str(x.get("type", "object"))[:80]
        self.kept.add(name)
        return Opaque(name)

    def _class(self, x):
        """A class from the child: builtins and library classes are the real ones; classes the
        notebook defines get one stand-in each (exceptions can be raised and caught by it)."""
        if "builtin" in x:
            cls = getattr(builtins, str(x["builtin"]), None)
            if isinstance(cls, type):
                if issubclass(cls, BaseException) and not issubclass(cls, Exception):
                    return _stand_in(cls.__name__, (Exception,))
                return cls
            return Opaque("class")
        if "lib" in x:
            cls = _library_class(x["lib"])
            if cls is not None:
                return cls
            bases = tuple(
                b
                for b in (self._class(b) for b in x.get("bases", [])[:8])
                if isinstance(b, type) and issubclass(b, Exception)
            )
            name = x["lib"][1] if isinstance(x["lib"], list) and len(x["lib"]) == 2 else "Error"
            return _stand_in(str(name).rsplit(".", 1)[-1], bases or (Exception,))
        h = x.get("h")
        if h in self.classes:
            return self.classes[h]
        if not x.get("exc"):
            proxy = StudentFunction(self, {"h": h, "name": x.get("name", "class")})
            self.classes[h] = proxy
            return proxy
        bases = tuple(
            b
            for b in (self._class(b) for b in x.get("bases", [])[:8])
            if isinstance(b, type) and issubclass(b, Exception)
        ) or (Exception,)
        try:
            cls = _stand_in(str(x.get("name", "Error")), bases, h)
        except TypeError:  # e.g. an inconsistent MRO: fall back to a plain exception class
            cls = _stand_in(str(x.get("name", "Error")), (Exception,), h)
        self.classes[h] = cls
        return cls

    # -- requests ---------------------------------------------------------------------------
    def resolve(self, names: list[str]) -> dict:
        self.send({"op": "resolve", "names": names})
        msg, blobs = self.recv()
        if msg["op"] != "resolved" or type(msg.get("values")) is not dict:
            self.gone = "nonsense"
            raise ChildGone("the submission broke the protocol")
        values = self.decode(msg["values"], blobs)
        if not isinstance(values, dict):
            raise ChildGone("the submission broke the protocol")
        return {k: v for k, v in values.items() if isinstance(k, str) and k in names}

    def call(self, h: int, args: tuple, kwargs: dict):
        flat = list(args) + list(kwargs.values())
        header = {"op": "call", "h": h, "echo": self.echo}
        self.send(header, {"args": list(args), "kwargs": dict(kwargs)})
        while True:
            msg, blobs = self.recv()
            op = msg["op"]
            if op in ("return", "raise"):
                try:
                    self._copy_back(flat, self.decode(msg.get("changed"), blobs))
                    if op == "return":
                        if self.echo and type(msg.get("printed")) is str:  # an OK doctest's
                            sys.stdout.write(msg["printed"][: okformat.MAX_PRINTED])
                        return self.decode(msg.get("value"), blobs, flat)
                    raise self._exception(msg.get("exc"))
                except wire.WireError as e:
                    self.gone = "nonsense"
                    raise ChildGone(f"the submission broke the protocol: {e}") from None
            if op == "callback":
                self._serve_callback(msg, blobs)
            elif op == "check":  # grader.check called from inside a test: ignored, as harmless
                self.send({"op": "return", "value": True})
            else:
                self.gone = "nonsense"
                raise ChildGone("the submission broke the protocol")

    def _serve_callback(self, msg, blobs):
        f = self.callbacks.get(msg.get("cb"))
        try:
            args = self.decode(msg.get("args"), blobs)
            kwargs = self.decode(msg.get("kwargs"), blobs)
            if f is None or type(args) is not list or type(kwargs) is not dict:
                raise TypeError("unknown callback")
            value = f(*args, **{str(k): v for k, v in kwargs.items()})
            self.send({"op": "return"}, {"value": value})
        except ChildGone:
            raise
        except Exception as e:
            self.send({"op": "raise", "msg": f"{type(e).__name__}: {e}"[:2000]})

    @staticmethod
    def _copy_back(flat, changed):
        if not isinstance(changed, dict):
            return
        for key, new in changed.items():
            try:
                old = flat[int(key)]
            except (ValueError, IndexError, TypeError):
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
            except (ValueError, TypeError):
                pass

    def _exception(self, info) -> BaseException:
        if not isinstance(info, dict):
            return RuntimeError("the submission raised an exception")
        msg = str(info.get("msg", ""))[:2000]
        try:
            cls = self.decode(info.get("cls"), [])
        except wire.WireError:
            cls = None
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            cls = _stand_in("Error", (Exception,))
        if cls is MemoryError:
            self.saw_memory_error = True
        try:
            return cls(msg)
        except Exception:
            return _stand_in(cls.__name__, (Exception,))(msg)


def _stand_in(name: str, bases: tuple, handle=None) -> type:
    cls = type(name if name.isidentifier() else "Error", bases, {"__module__": "__main__"})
    if handle is not None:
        cls.__mml_handle__ = handle
    return cls


def _library_class(ref):
    if not (isinstance(ref, list) and len(ref) == 2 and all(isinstance(r, str) for r in ref)):
        return None
    module, qualname = ref
    if module.split(".")[0] not in LIBRARY_PREFIXES or module not in sys.modules:
        return None
    obj = sys.modules[module]
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) and issubclass(obj, BaseException) else None


def _module(name):
    """A module the notebook bound to a name (``np``): the judge's own, trusted copy."""
    if isinstance(name, str) and name in sys.modules:
        return sys.modules[name]
    if isinstance(name, str) and name.split(".")[0] in LIBRARY_PREFIXES + ("random", "matplotlib"):
        try:
            return importlib.import_module(name)
        except ImportError:
            pass
    return Opaque("module")
