"""The code that reads the child's bytes: wire framing, the decoder's limits, the schema, the
judge's stand-ins, and the rules read from the source. Real sockets, no sandbox (fast)."""

import os
import socket
import struct
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from autograder import checks
from autograder.grade import child, confine, load, protocol, source, wire
from autograder.grade.protocol import Limits, ProtocolError
from autograder.grade.remote import ChildGone, Link, Opaque, StudentFunction


def _roundtrip(value):
    tree, blobs = wire.encode(value, lambda x: (_ for _ in ()).throw(wire.Unencodable("no")))
    return wire.decode(tree, blobs)


def test_plain_values_roundtrip():
    a = np.arange(6.0).reshape(2, 3)
    value = [1, 2.5, "x", None, True, (1, 2), {"k": a}, {1, 2}, frozenset({"a"}), range(3)]
    value += [slice(1, None, 2), b"raw", 1j, Ellipsis, np.float32(2.5), np.array(["é", "b"])]
    out = _roundtrip(value)
    assert out[:6] == value[:6] and np.array_equal(out[6]["k"], a)
    assert out[7:][:7] == value[7:14]
    assert out[14] == np.float32(2.5) and type(out[14]) is np.float32
    assert list(out[15]) == ["é", "b"]


def test_a_blob_counts_each_time_it_is_referenced():
    blob = bytes(1000)
    tree = {"l": [{"b": 0}] * 50}
    assert len(wire.Decoder([blob], {}, limits=Limits(decoded_bytes=60_000))(tree)) == 50
    with pytest.raises(ProtocolError, match="too large"):
        wire.Decoder([blob], {}, limits=Limits(decoded_bytes=20_000))(tree)
    arr = {"a": [0, ["<f8", [125], "C"]]}
    with pytest.raises(ProtocolError, match="too large"):
        wire.Decoder([blob], {}, limits=Limits(decoded_bytes=20_000))({"l": [arr] * 50})


def test_colliding_hashes_are_refused_quickly():
    p = 2**61 - 1  # every multiple of the modulus has hash 0
    tree = {"s": [k * p for k in range(1, 120_001)]}
    start = time.monotonic()
    with pytest.raises(ProtocolError, match="too large"):
        wire.decode(tree, [])
    tuples = {"s": [{"t": [i, 0]} for i in range(5000)]}
    with pytest.raises(ProtocolError, match="tuple keys"):
        wire.decode(tuples, [])
    with pytest.raises(ProtocolError, match="as a set member"):
        wire.decode({"d": [[{"l": [1]}, 2]]}, [])
    assert time.monotonic() - start < 2
    assert wire.decode({"d": [[{"t": [1, "a"]}, 2], ["k", 3]]}, []) == {(1, "a"): 2, "k": 3}


def test_text_is_made_valid_utf8():
    out = wire.decode({"l": ["ok\udcff", {"d": [["\ud800", 1]]}]}, [])
    assert out == ["ok\ufffd", {"\ufffd": 1}]
    points = np.array([0x61, 0xDC80, 0x110000], dtype="<u4").tobytes()
    arr = wire.decode({"a": [0, ["<U1", [3], "C"]]}, [points])
    assert list(arr) == ["a", "\ufffd", "\ufffd"]
    arr.tolist().__str__().encode("utf-8")
    msg = protocol.from_child({"op": "done", "errors": [[0, "E", "bad \udcff"]]}, ("done",), 1)
    assert msg["errors"][0][2] == "bad \ufffd"


@pytest.mark.parametrize(
    "tree",
    [
        {"zz": 1},
        {"l": 3},
        {"sl": [1]},
        {"c": ["x", 1]},
        {"r": [1, 2, 0]},
        {"a": [0, ["|O", [1], "C"]]},
        {"a": [0, ["<U0", [2**40, 0], "C"]]},
        {"a": [0, ["<f8", [3], "C"]]},
        {"b": 5},
        {"ref": 0},
        {"l": [1], "extra": 2},
        [1, 2],
    ],
)
def test_malformed_values_are_protocol_errors(tree):
    with pytest.raises(ProtocolError):
        wire.decode(tree, [b"\0" * 16])


def test_depth_and_count_limits():
    deep = 1
    for _ in range(60):
        deep = {"l": [deep]}
    with pytest.raises(ProtocolError, match="nested"):
        wire.decode(deep, [])
    with pytest.raises(ProtocolError, match="too many"):
        wire.decode({"l": list(range(protocol.LIMITS.items + 1))}, [])


def test_decoding_stops_at_the_deadline():
    with pytest.raises(protocol.Timeout):
        wire.decode({"l": list(range(100_000))}, [], deadline=time.monotonic() - 1)


@pytest.mark.parametrize(
    "msg, why",
    [
        ({"op": "done", "errors": [[10**9, "E", "x"]]}, "names no cell"),
        ({"op": "check", "q": ["q1"]}, "not text"),
        ({"op": "check", "q": "q1", "score": 5}, "unknown fields"),
        ({"op": "exit"}, "was due"),
        ({"op": "done", "errors": [[0, "E", "x"]] * 51}, "short list"),
        ({"op": "raise", "exc": "boom"}, "without an exception"),
        ({"op": "callback", "cb": "1"}, "not an integer"),
    ],
)
def test_schema_of_messages_from_the_child(msg, why):
    with pytest.raises(ProtocolError, match=why):
        protocol.from_child(msg, ("done", "check", "raise", "callback"), cells=3)


def test_frame_limits():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!IIQ", 2**31, 0, 0))
        with pytest.raises(ProtocolError, match="too large"):
            wire.recv(b, time.monotonic() + 2)
    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("!IIQ", 4, 0, 0) + b"[1] ")
        with pytest.raises(ProtocolError, match="object with an 'op'"):
            wire.recv(b, time.monotonic() + 2)


def test_a_send_has_a_deadline_when_the_peer_stops_reading():
    judge, child_end = socket.socketpair()
    with judge, child_end:
        link = Link(judge, time.monotonic() + 1.0)
        start = time.monotonic()
        with pytest.raises(ChildGone, match="stopped reading"):
            link.send({"op": "return"}, {"value": np.zeros(2 * 2**20)})
        assert time.monotonic() - start < 3
        assert link.gone == "timeout"


def _serve(sock, ns):
    server = child.Server(sock)
    server.ns = ns
    try:
        server.serve(until=())
    except (wire.WireError, OSError):
        pass


def _link_with_child(ns):
    judge, theirs = socket.socketpair()
    threading.Thread(target=_serve, args=(theirs, ns), daemon=True).start()
    return Link(judge, time.monotonic() + 10)


def test_a_callback_lives_only_for_its_call():
    """sandpit-2's attack: keep the test's function and bind it to another graded name."""
    ns = {}

    def step(f):
        ns["kept"] = f  # the child keeps the judge's callback...
        return f(2)

    def later():
        return ns["kept"](3)  # ...and calls it after its call has ended

    ns.update(step=step, later=later)
    link = _link_with_child(ns)
    reference = lambda x: x * 10  # noqa: E731  (a test's own function)
    got = link.resolve(["step", "later", "kept"])
    assert got["step"](reference) == 20
    got = link.resolve(["kept"])
    assert not callable(got["kept"]) and isinstance(got["kept"], Opaque)
    with pytest.raises(ChildGone, match="not part of the call"):
        link.resolve(["later"])["later"]()
    assert link.gone == "nonsense" and "callback" in link.violation


def test_a_returned_callback_handle_breaks_the_protocol():
    judge, theirs = socket.socketpair()
    with judge, theirs:
        link = Link(judge, time.monotonic() + 5)
        wire.send(theirs, {"op": "resolved", "values": {"d": [["mean", {"cb": 1}]]}})
        with pytest.raises(ChildGone, match="callback handle"):
            link.resolve(["mean"])


def _counting_callbacks(link):
    served = []
    serve = link._serve_callback
    link._serve_callback = lambda msg, blobs: served.append(msg["cb"]) or serve(msg, blobs)
    return served


def _search_in_a_child():
    """A child's ``search(f, n)`` (evaluates the test's f n times) and the callbacks served."""
    ns = {}
    exec("def search(f, n):\n    return [f([float(i), 1.0]) for i in range(n)]\n", ns)
    link = _link_with_child(ns)
    return link.resolve(["search"])["search"], _counting_callbacks(link)


def test_a_portable_function_runs_in_the_child_without_a_round_trip():
    search, served = _search_in_a_child()

    def make(k, offset=0.5):  # closure data, a module, a default, a nested portable function
        @checks.portable
        def shift(x, by=offset):
            return x + by

        @checks.portable
        def f(p):
            return float(np.sin(p[0]) * k[0]) + shift(p[1])

        return f

    f = make([2.0])
    assert search(f, 50) == [f([float(i), 1.0]) for i in range(50)]
    assert served == []  # every one of the 50 evaluations ran in the child
    steep = checks.portable(lambda p: 3 * f(p))  # a marked lambda over a marked function
    assert search(steep, 3) == [3 * f([float(i), 1.0]) for i in range(3)] and served == []


def test_unmarked_or_untravelling_functions_are_called_back():
    search, served = _search_in_a_child()
    seen = []

    def recorder(p):  # records into the test's list: must run here, so it is not marked
        seen.append(p[0])
        return p[0]

    assert search(recorder, 4) == [0.0, 1.0, 2.0, 3.0] and seen == [0.0, 1.0, 2.0, 3.0]
    assert len(served) == 4
    # marked, but it closes over a lock, which cannot travel: called back, still right
    lock = threading.Lock()
    locked = checks.portable(lambda p: p[0] if lock else None)
    assert search(locked, 2) == [0.0, 1.0] and len(served) == 6
    # marked, over an unmarked function: the lambda travels, what it calls is called back
    wrapped = checks.portable(lambda p: -recorder(p))
    assert search(wrapped, 2) == [-0.0, -1.0] and len(served) == 8


def test_code_from_the_child_breaks_the_protocol():
    """Code travels from the judge to the child only: the judge's decoder has no such tag."""
    judge, theirs = socket.socketpair()
    with judge, theirs:
        link = Link(judge, time.monotonic() + 5)
        forged = {"code": [0, "f", {"l": []}, {"d": []}, None, None]}
        wire.send(theirs, {"op": "resolved", "values": {"d": [["f", forged]]}}, [b"\xe3"])
        with pytest.raises(ChildGone, match="unknown value tag 'code'"):
            link.resolve(["f"])
    assert link.gone == "nonsense"


def test_modules_resolve_only_to_what_the_judge_holds(tmp_path, monkeypatch):
    (tmp_path / "numpy_exit_on_import.py").write_text("import sys\nsys.exit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    judge, theirs = socket.socketpair()
    with judge, theirs:
        link = Link(judge, time.monotonic() + 5, modules={"numpy": np})
        values = {"d": [["a", {"mod": "numpy"}], ["b", {"mod": "numpy_exit_on_import"}]]}
        values["d"].append(["c", {"lib": ["numpy_exit_on_import", "X"], "bases": []}])
        wire.send(theirs, {"op": "resolved", "values": values})
        got = link.resolve(["a", "b", "c"])
    assert got["a"] is np and isinstance(got["b"], Opaque)
    assert isinstance(got["c"], type) and "numpy_exit_on_import" not in sys.modules


def _define(cells):
    ns = {}
    for c in cells:
        exec(compile(c, "<cell>", "exec"), ns)
    return ns


HONEST = [
    "import numpy as np\n",
    textwrap.dedent(
        """
        def _pivot(M, k):
            return int(np.argmax(np.abs(M[k:, k]))) + k

        def is_singular(M):
            A = np.array(M, dtype=float)
            det = 1.0  # a local that shares a forbidden name is not a call
            for k in range(A.shape[0]):
                p = _pivot(A, k)
                A[[k, p]] = A[[p, k]]
                if abs(A[k, k]) < 1e-12:
                    return True
            return False
        """
    ),
    "scale = lambda M: 2 * M\n",
]


def test_source_names_agree_with_the_code_objects_on_honest_code():
    ns = _define(HONEST)
    d = source.Definitions(HONEST)
    for name in ("is_singular", "scale", "_pivot"):
        assert d.code_names(name) == checks.code_names(ns[name]), name
    assert "det" not in d.code_names("is_singular")


@pytest.mark.parametrize(
    "attack",
    [
        "is_singular = lambda M: np.linalg.det(M) == 0\n",  # rebound after the def
        "globals()['is_singular'] = lambda M: np.linalg.det(M) == 0\n",
        "exec('def is_singular(M):\\n    return np.linalg.det(M) == 0')\n",
        "if False:\n    def is_singular(M):\n        return False\nfrom numpy import *\n",
        "%time x = 1\nis_singular = lambda M: 0\n",
    ],
)
def test_bindings_the_judge_cannot_read_are_violations(attack):
    names = source.Definitions(HONEST + [attack]).code_names("is_singular")
    link = Link(None, 0, code_names=lambda n: names)
    proxy = StudentFunction(link, 1, "is_singular", None, None)
    # either the definition cannot be read, or every definition of the name is counted
    assert "det" in names or checks.dynamic_access(names)
    with pytest.raises(AssertionError, match="could not be read|must not use det"):
        checks.check_not_calling(proxy, ["det"], "is_singular")


def test_computed_names_are_violations_in_both_engines():
    """Otter's own rule is defeated by getattr(np.linalg, "de" + "t"); ours is not."""
    cells = [
        "import numpy as np\n"
        "def is_singular(M):\n"
        "    return getattr(np.linalg, 'de' + 't')(M) == 0\n"
    ]
    ns = _define(cells)
    with pytest.raises(AssertionError, match="uses getattr"):
        checks.check_not_calling(ns["is_singular"], ["det"], "is_singular")  # otter run
    names = source.Definitions(cells).code_names("is_singular")
    proxy = StudentFunction(Link(None, 0, code_names=lambda n: names), 1, "x", None, None)
    proxy._graded_name = "is_singular"
    with pytest.raises(AssertionError, match="uses getattr"):
        checks.check_not_calling(proxy, ["det"], "is_singular")  # mml grade
    honest = _define(HONEST)["is_singular"]
    checks.check_not_calling(honest, ["det"], "is_singular")  # passes


def test_notebook_reading_is_linear_and_bounded(tmp_path):
    src = "\n" * 200_000 + "x = 1\n"  # the old pattern took minutes on this
    start = time.monotonic()
    assert load.transform(src) == src and not load.has_ipython_syntax(" \n" * 200_000)
    assert time.monotonic() - start < 1
    with pytest.raises(load.InvalidSubmission, match="50 MB"):
        load.read_notebook(tmp_path / "big.ipynb", b" " * (load.MAX_NOTEBOOK + 1))


@pytest.mark.skipif(os.geteuid() != 0, reason="sandbox user ids are claimed by root")
def test_two_zygotes_never_share_a_sandbox_uid():
    uid1, fd1 = confine.claim_uid(7)
    uid2, fd2 = confine.claim_uid(7)  # the same start, as two pids equal mod 4000 would give
    try:
        assert uid1 != uid2
    finally:
        os.close(fd1)
    uid3, fd3 = confine.claim_uid(7)  # released with its descriptor
    os.close(fd2), os.close(fd3)
    assert uid3 == uid1
