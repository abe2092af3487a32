"""The sandboxed child: runs a notebook's cells and answers the judge's calls over one socket."""

import builtins
import contextlib
import inspect
import io
import os
import random
import socket
import sys
import types

import numpy as np

from . import confine, frames, load, okformat, portable, wire
from .protocol import KIND_FUNCTION, KIND_OBJECT, Op, Tag

_BASE_EXC = {"SystemExit", "KeyboardInterrupt", "GeneratorExit"}


class Callback:
    """A callable that lives in the judge (a test's function); calling it asks the judge."""

    def __init__(self, server, ident):
        self._server, self._id = server, ident

    def __call__(self, *args, **kwargs):
        return self._server.request({"op": Op.CALLBACK, "cb": self._id}, args, kwargs)


class Server:
    """Executes the notebook, then serves ``resolve`` and ``call`` requests until ``exit``."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.handles: dict[int, object] = {}
        self.by_id: dict[int, int] = {}
        self.ns: dict = {}
        self._enc: wire.Encoder | None = None  # the encoder of the message being sent

    # -- values ---------------------------------------------------------------------------
    def handle(self, obj) -> int:
        h = self.by_id.get(id(obj))
        if h is None or self.handles.get(h) is not obj:
            h = len(self.handles) + 1
            self.handles[h] = obj
            self.by_id[id(obj)] = h
        return h

    def describe_class(self, cls) -> dict:
        if cls.__module__ == "builtins" and getattr(builtins, cls.__name__, None) is cls:
            return {"builtin": cls.__name__}
        if cls.__module__ != self.ns.get("__name__"):
            return {
                "lib": [cls.__module__, cls.__qualname__],
                "bases": [self.describe_class(b) for b in cls.__bases__ if b is not object],
            }
        return {
            "h": self.handle(cls),
            "k": "class",
            "name": cls.__name__,
            "exc": issubclass(cls, BaseException),
            "bases": [self.describe_class(b) for b in cls.__bases__ if b is not object],
        }

    def fallback(self, x):
        if isinstance(x, type):
            return self.describe_class(x)
        if isinstance(x, types.ModuleType):
            # a module the submission wrote (student_files): its names, as copies (frames.py)
            own = frames.encode_module(x, self._enc) if self._enc else None
            return own or {Tag.MODULE: x.__name__}
        if isinstance(x, Callback):  # lives in the judge, only for the call it came with
            return {Tag.HANDLE: self.handle(x), "k": KIND_OBJECT, "type": "callback"}
        if callable(x):
            return self.describe_function(x)
        return {Tag.HANDLE: self.handle(x), "k": KIND_OBJECT, "type": type(x).__name__}

    def describe_function(self, f) -> dict:
        sig = None
        try:
            params = []
            for p in inspect.signature(f).parameters.values():
                default = None
                if p.default is not inspect.Parameter.empty:
                    try:
                        tree, blobs = wire.encode(p.default, self._no_handle)
                        default = None if blobs else tree
                    except wire.Unencodable:
                        pass
                params.append(
                    [p.name, int(p.kind), p.default is not inspect.Parameter.empty, default]
                )
            sig = params
        except (TypeError, ValueError):
            pass
        name = getattr(f, "__name__", type(f).__name__)
        return {
            Tag.HANDLE: self.handle(f),
            "k": KIND_FUNCTION,
            "name": str(name),
            "sig": sig,
            "doc": f.__doc__ if isinstance(getattr(f, "__doc__", None), str) else None,
        }

    @staticmethod
    def _no_handle(x):
        raise wire.Unencodable(type(x).__name__)

    def send(self, header: dict, values: dict | None = None, identity=None) -> None:
        """Send ``values`` under their keys; only ``value`` may refer back to an argument."""
        blobs = []
        if values:
            enc = self._enc = wire.Encoder(self.fallback)
            for k, v in values.items():
                enc.identity = identity if (identity and k == "value") else {}
                enc.arrays = {}  # each key is decoded on its own
                try:
                    header[k] = enc(v)
                except wire.Unencodable as e:
                    header[k] = {"h": self.handle(v), "k": "obj", "type": str(e)[:80]}
            blobs = enc.blobs
        wire.send(self.sock, header, blobs)

    def decode(self, tree, blobs):
        def handle(x, dec, depth):
            h = x.get(Tag.HANDLE)
            if h not in self.handles:
                raise wire.WireError("unknown handle")
            return self.handles[h]

        hooks = {
            Tag.HANDLE: handle,
            Tag.CALLBACK: lambda x, dec, depth: Callback(self, x[Tag.CALLBACK]),
            Tag.CODE: portable.decode,  # a test's pure function, run here (portable.py)
            Tag.MODULE: lambda x, dec, depth: portable.module(x[Tag.MODULE]),
        }
        return wire.decode(tree, blobs, hooks)

    def encode_exception(self, e: BaseException) -> dict:
        return {"cls": self.describe_class(type(e)), "msg": str(e)[:2000]}

    # -- requests ---------------------------------------------------------------------------
    def request(self, header: dict, args, kwargs):
        """Send a request to the judge and serve its nested calls until the answer comes."""
        self.send(header, {"args": list(args), "kwargs": dict(kwargs)})
        return self.serve(until=(Op.RETURN, Op.RAISE))

    def serve(self, until):
        while True:
            msg, blobs = wire.recv(self.sock)
            op = msg["op"]
            if op in until:
                if op == Op.RETURN:
                    return self.decode(msg.get("value"), blobs)
                if op == Op.RAISE:
                    raise RuntimeError(str(msg.get("msg", "")))
                return msg
            if op == Op.RESOLVE:
                self.resolve(msg)
            elif op == Op.CALL:
                self.call(msg, blobs)
            elif op == Op.EXIT:
                os._exit(0)
            else:
                raise wire.WireError(f"unexpected {op}")

    def resolve(self, msg):
        values, missing = {}, []
        for name in msg.get("names", [])[:1000]:
            if isinstance(name, str) and name in self.ns:
                values[name] = self.ns[name]
            else:
                missing.append(name)
        self.send({"op": Op.RESOLVED, "missing": missing}, {"values": values})

    def call(self, msg, blobs):
        f = self.handles.get(msg.get("h"))
        try:
            args = self.decode(msg.get("args"), blobs)
            kwargs = self.decode(msg.get("kwargs"), blobs)
        except wire.WireError:
            raise
        before = {}
        flat = list(args) + list(kwargs.values())
        for i, a in enumerate(flat):
            if isinstance(a, np.ndarray):
                before[i] = a.copy()
            elif type(a) in (list, dict) or frames.is_frame(a):  # frames: pandas, in place
                before[i] = self._fingerprint(a)
        # An OK doctest compares what the function prints (okformat.py): only then is it kept.
        printed = io.StringIO() if msg.get("echo") is True else None
        try:
            if f is None:
                raise TypeError("this object is not callable")
            with (
                contextlib.redirect_stdout(printed)
                if printed is not None
                else contextlib.nullcontext()
            ):
                value = f(*args, **kwargs)
        except BaseException as e:  # student code may raise anything, even SystemExit
            header = {"op": Op.RAISE, "exc": self.encode_exception(e)}
            self.send(header, {"changed": self._changed(flat, before)})
            return
        identity = {id(a): i for i, a in enumerate(flat) if i in before}
        header = {"op": Op.RETURN}
        if printed is not None:  # an OK-format doctest compares what the function printed
            header["printed"] = printed.getvalue()[: okformat.MAX_PRINTED]
        self.send(header, {"value": value, "changed": self._changed(flat, before)}, identity)

    def _fingerprint(self, x):
        try:
            tree, blobs = wire.encode(x, self._no_handle)
            return (repr(tree), blobs)
        except (wire.Unencodable, RecursionError):
            return None

    def _changed(self, flat, before) -> dict:
        out = {}
        for i, old in before.items():
            new = flat[i]
            if isinstance(new, np.ndarray):
                same = (
                    old.shape == new.shape
                    and old.dtype == new.dtype
                    and old.tobytes() == new.tobytes()
                )
            else:
                same = old is not None and old == self._fingerprint(new)
            if not same:
                out[str(i)] = new
        return out


class _IPython:
    """Enough of ``get_ipython()`` for transformed magics and ``!`` lines to run harmlessly."""

    def __init__(self, ns):
        self.user_ns = ns

    def run_line_magic(self, name, line, *_a, **_k):
        if name in ("time", "timeit", "prun") and line.strip():
            try:
                return eval(compile(line, "<magic>", "eval"), self.user_ns)
            except SyntaxError:
                exec(compile(line, "<magic>", "exec"), self.user_ns)
        return None

    def run_cell_magic(self, name, line, cell):
        if name in ("time", "capture", "timeit", "prun"):
            exec(compile(cell, "<magic>", "exec"), self.user_ns)
        elif name == "writefile" and line.strip():
            with open(line.split()[-1], "a" if "-a" in line.split() else "w") as f:
                f.write(cell)

    def system(self, *_a, **_k):
        return None

    def getoutput(self, *_a, **_k):
        return []

    def __getattr__(self, name):
        return lambda *a, **k: None


def _otter_module(server: Server, notebook_name: str) -> types.ModuleType:
    """A stand-in for ``otter``: ``grader.check`` asks the judge to run the tests now."""

    class Notebook:
        # Any arguments, never an error: the graded notebook is the file submitted, whatever
        # the name an LMS gave it (Otter itself fails here when the file was renamed, then
        # tests every question only at the end). ``notebook_name`` is therefore not checked.
        def __init__(self, *args, **kwargs):
            pass

        def check(self, question, global_env=None):
            reply = server.request({"op": "check", "q": str(question)}, (), {})
            if reply is False:
                raise FileNotFoundError(f"Test {question} does not exist")

        def __getattr__(self, name):  # export, check_all, to_pdf, submit...: no-ops when grading
            return lambda *a, **k: None

    mod = types.ModuleType("otter")
    mod.Notebook = Notebook
    return mod


def run(sock_fd: int, workdir: str, uid: int, limits: dict, features: dict) -> None:
    """Confine this process, run the notebook, serve the judge; never returns."""
    try:
        os.setsid()
        os.chdir(workdir)
        confine.close_fds(sock_fd)
        confine.set_limits(
            limits["cpu"], limits["memory_mb"], limits.get("file_mb", 64), limits.get("nproc", 64)
        )
        if features.get("user"):
            confine.drop_privileges(uid)
        confine.die_with_parent()
        if os.getppid() == 1 and not features.get("pidns"):
            os._exit(71)
        confine.prctl(confine.PR_SET_NO_NEW_PRIVS, 1)
        if features.get("landlock"):
            if confine.landlock(features["landlock"], workdir, confine.read_only_roots()):
                os._exit(72)  # never run student code with weaker isolation than announced
        os.environ.clear()
        os.environ.update(
            {
                "HOME": workdir,
                "TMPDIR": workdir,
                "MPLBACKEND": "Agg",
                "PATH": "/usr/bin:/bin",
                "OPENBLAS_NUM_THREADS": "1",
            }
        )
        seed = os.urandom(8)
        random.seed(seed)
        np.random.seed(int.from_bytes(seed[:4], "little"))
        sock = socket.socket(fileno=sock_fd)
        server = Server(sock)
        serve_notebook(server)
    finally:
        os._exit(70)


def serve_notebook(server: Server) -> None:
    msg, blobs = wire.recv(server.sock)
    if msg.get("op") != Op.RUN:
        os._exit(73)
    if "files" in msg:  # the submission zip's other files (otter_zip.py)
        from .otter_zip import place

        place(wire.decode(msg["files"], blobs))
    sys.path.insert(0, "")  # as in a Jupyter kernel: modules beside the notebook import
    main = types.ModuleType("__main__")
    ns = server.ns = main.__dict__
    ns["__builtins__"] = builtins
    shell = _IPython(ns)
    ns["get_ipython"] = lambda: shell
    ns["display"] = lambda *a, **k: None
    sys.modules["__main__"] = main
    sys.modules["otter"] = _otter_module(server, str(msg.get("notebook", "")))
    if "IPython" in sys.modules:
        sys.modules["IPython"].get_ipython = ns["get_ipython"]
    errors, memory = [], False
    for i, src in enumerate(msg.get("cells", [])):
        try:
            # IPython syntax is rewritten here, in the sandbox, under the submission's deadline
            exec(compile(load.transform(str(src)), f"<cell {i}>", "exec"), ns)
        except (
            BaseException
        ) as e:  # a cell that raises (even SystemExit) is recorded, as Jupyter does
            memory = memory or isinstance(e, MemoryError)
            errors.append([i, type(e).__name__, str(e)[:500]])
    server.send({"op": Op.DONE, "errors": errors[:50], "memory": memory})
    server.serve(until=())
