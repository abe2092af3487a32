"""Generated hostile messages against the judge's real decoder: it raises only the protocol's
own error, stays within its limits and never hangs."""

import socket
import tempfile
import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from autograder.grade import protocol, wire
from autograder.grade.protocol import Op, ProtocolError, Tag
from autograder.grade.remote import Link

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="mml-hypothesis-"))  # not the repository
TAGS = [v for k, v in vars(Tag).items() if k.isupper()] + ["k", "zz", ""]
OPS = [v for k, v in vars(Op).items() if k.isupper()]
FUZZ = settings(
    database=None,  # no example database written into the repository
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=40),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["\udcff", "\ud800x", "<f8", "|O", "<U2", "C", "F", "fn", "class", "obj"]),
)


def _tagged(children):
    tag = st.sampled_from(TAGS)
    small = st.lists(
        st.sampled_from([0, 1, 2, -1, 3]), min_size=1, max_size=4
    )  # indices, ranges, shapes
    one = st.builds(lambda t, v: {t: v}, tag, st.one_of(children, small, st.integers(-2, 5)))
    handle = st.fixed_dictionaries(
        {"h": st.integers(-2, 5), "k": st.sampled_from(["fn", "class", "obj", "x"])},
        optional={
            "name": scalars,
            "sig": children,
            "doc": scalars,
            "exc": st.booleans(),
            "bases": st.lists(children, max_size=3),
            "type": scalars,
        },
    )
    array = st.builds(
        lambda i, dt, shape, order: {"a": [i, [dt, shape, order]]},
        st.integers(-1, 3),
        st.sampled_from(["<f8", "<i4", "|b1", "<U3", "|S2", "<c16", "<M8[D]", "|O", "<U0"]),
        st.lists(st.integers(-1, 9), max_size=4),
        st.sampled_from(["C", "F", "X"]),
    )
    return st.one_of(
        one,
        handle,
        array,
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
    )


# leaves: plain values, and tagged values with small payloads (indices, ranges, shapes)
payloads = st.one_of(
    st.integers(-2, 5),
    st.lists(st.sampled_from([0, 1, 2, -1, 3]), max_size=4),
    st.lists(scalars, max_size=3),
    scalars,
)
leaves = st.one_of(scalars, st.builds(lambda t, v: {t: v}, st.sampled_from(TAGS), payloads))
trees = st.recursive(leaves, _tagged, max_leaves=40)
blobs = st.lists(st.binary(max_size=64), max_size=4)


@settings(FUZZ, max_examples=400)
@given(tree=trees, blobs=blobs)
def test_decoder_raises_only_protocol_errors(tree, blobs):
    link = Link(None, time.monotonic() + 5, modules={"numpy": np})
    start = time.monotonic()
    try:
        link.decode(tree, blobs, args=(np.zeros(2),))
    except ProtocolError:
        pass
    assert time.monotonic() - start < 1.5
    assert len(link.classes) <= protocol.LIMITS.classes


@settings(FUZZ, max_examples=300)
@given(
    tag=st.sampled_from(TAGS),
    payload=st.one_of(
        st.lists(st.integers(-1, 3), min_size=2, max_size=3),
        st.lists(st.one_of(st.integers(-1, 3), scalars, trees), max_size=4),
        scalars,
    ),
)
def test_each_tag_checks_its_payload(tag, payload):
    try:
        Link(None, time.monotonic() + 5).decode({tag: payload}, [b"\0" * 8], args=(1,))
    except ProtocolError:
        pass


@FUZZ
@given(
    op=st.sampled_from(OPS + ["", "nope"]),
    fields=st.dictionaries(
        st.sampled_from(["q", "errors", "memory", "values", "exc", "cb", "args", "x"]), trees
    ),
)
def test_schema_raises_only_protocol_errors(op, fields):
    msg = dict(fields, op=op)
    expected = (Op.CHECK, Op.DONE, Op.RESOLVED, Op.RETURN, Op.RAISE, Op.CALLBACK)
    try:
        out = protocol.from_child(msg, expected, cells=3)
    except ProtocolError:
        return
    if op == Op.DONE:  # what the judge keeps is bounded, valid text
        assert len(out.get("errors", [])) <= protocol.LIMITS.cell_errors
        for e in out.get("errors", []):
            (e[1] + e[2]).encode("utf-8")


@settings(max_examples=100, deadline=2000, database=None)
@given(raw=st.binary(max_size=200), head=st.tuples(st.integers(0, 300), st.integers(0, 5)))
def test_framing_raises_only_protocol_errors(raw, head):
    a, b = socket.socketpair()
    with a, b:
        a.sendall(wire._HEAD.pack(head[0], head[1], len(raw) // 2) + raw)
        a.shutdown(socket.SHUT_WR)
        start = time.monotonic()
        try:
            wire.recv(b, time.monotonic() + 1)
        except ProtocolError:
            pass
        assert time.monotonic() - start < 1.5
