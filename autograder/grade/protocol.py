"""The judge-child protocol: message types, value tags, hard limits and the checks on every message.

Everything the sandboxed child sends is hostile. ``from_child`` checks a message's shape
against the schema of its type before the judge reads a field of it; the wire decoder
(``wire.Decoder``) enforces ``Limits`` while it builds values. Any breach raises
``ProtocolError``, which ends that submission as ``crashed`` ("broke the protocol: ...").
"""

import re
from dataclasses import dataclass

import numpy as np


class ProtocolError(Exception):
    """The peer broke the protocol: oversized, malformed or unexpected message."""


class Closed(ProtocolError):
    """The peer closed the channel (it exited or died)."""


class Timeout(ProtocolError):
    """The deadline passed while waiting for, sending to, or decoding from the peer."""


class Op:
    """Message types. Judge -> child: RUN, RESOLVE, CALL, RETURN, RAISE, EXIT; child -> judge:
    CHECK, DONE, RESOLVED, RETURN, RAISE, CALLBACK. Judge <-> zygote: the rest."""

    RUN, RESOLVE, CALL, EXIT = "run", "resolve", "call", "exit"
    CHECK, DONE, RESOLVED, CALLBACK = "check", "done", "resolved", "callback"
    RETURN, RAISE = "return", "raise"
    READY, FORK, FORKED, KILL, EXITED = "ready", "fork", "forked", "kill", "exited"
    CLONE = "clone"  # main process -> template zygote: fork a zygote for this socket


class Tag:
    """Value tags of the wire's JSON tree (each tagged value is a one-key object, except the
    descriptors ``HANDLE``, ``BUILTIN`` and ``LIB``, whose first key is the tag)."""

    ARRAY, MATRIX, REF, SCALAR, COMPLEX, ELLIPSIS = "a", "mx", "ref", "n", "c", "e"
    LIST, TUPLE, SET, FROZENSET, DICT, RANGE, SLICE, BYTES = (
        "l",
        "t",
        "s",
        "fs",
        "d",
        "r",
        "sl",
        "b",
    )
    HANDLE, BUILTIN, LIB, MODULE, CALLBACK, ARG = "h", "builtin", "lib", "mod", "cb", "arg"
    CODE = "code"  # a test's portable function, judge -> child only (portable.py)


# What a handle descriptor says it is ({"h": 3, "k": "fn", ...}).
KIND_FUNCTION, KIND_CLASS, KIND_OBJECT = "fn", "class", "obj"


@dataclass(frozen=True)
class Limits:
    """Hard bounds on what one message from the child may cost the judge."""

    message_bytes: int = 64 * 2**20  # JSON and blobs together, as announced by the frame head
    depth: int = 48  # nesting of values
    items: int = 200_000  # values built while decoding one message
    decoded_bytes: int = 128 * 2**20  # bytes copied out of blobs (a blob counts per reference)
    string_chars: int = 4 * 2**20  # one string
    text_chars: int = 4000  # a name, a message, a type name the judge keeps
    hashed_tuple_entries: int = 1000  # a set or dict with tuple members: tuples hash predictably
    classes: int = 1000  # stand-in classes made for one submission
    functions: int = 20_000  # function proxies made for one submission
    cell_errors: int = 50
    check_every: int = 1024  # decoded values between two looks at the deadline


LIMITS = Limits()

# The plain types a set member or a dict key may have: their hashes cannot be made to collide
# in bulk (str hashes are salted per process; ints are bounded below the hash modulus).
HASHABLE_INT = 2**60
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(s: str, limit: int | None = None) -> str:
    """``s`` as valid UTF-8 text (lone surrogates replaced), cut to ``limit`` characters."""
    if limit is not None and len(s) > limit:
        s = s[:limit]
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = _SURROGATE.sub("\ufffd", s)
    return s


def clean_str_array(arr: np.ndarray) -> np.ndarray:
    """A ``U`` array with only valid code points (surrogates, out of range -> U+FFFD)."""
    if arr.dtype.kind != "U" or arr.size == 0 or arr.dtype.itemsize == 0:
        return arr
    points = arr.view(arr.dtype.byteorder.replace("|", "=") + "u4")
    bad = (points > 0x10FFFF) | ((points >= 0xD800) & (points <= 0xDFFF))
    if bad.any():
        points = points.copy()
        points[bad] = 0xFFFD
        arr = points.view(arr.dtype)
    return arr


def _text(msg: dict, key: str, limit: int = LIMITS.text_chars, optional=False) -> None:
    v = msg.get(key)
    if v is None and optional:
        return
    if type(v) is not str:
        raise ProtocolError(f"'{key}' of a {msg.get('op')!r} message is not text")
    msg[key] = clean_text(v, limit)


def _int(msg: dict, key: str) -> None:
    if type(msg.get(key)) is not int:
        raise ProtocolError(f"'{key}' of a {msg.get('op')!r} message is not an integer")


def _check_done(msg: dict, cells: int) -> None:
    errors = msg.get("errors", [])
    if type(errors) is not list or len(errors) > LIMITS.cell_errors:
        raise ProtocolError("the cell errors are not a short list")
    clean = []
    for e in errors:
        if type(e) is not list or len(e) != 3 or type(e[0]) is not int:
            raise ProtocolError("a cell error is not [index, type, message]")
        if not 0 <= e[0] < cells or type(e[1]) is not str or type(e[2]) is not str:
            raise ProtocolError("a cell error names no cell of the notebook")
        clean.append([e[0], clean_text(e[1], 200), clean_text(e[2], 500)])
    msg["errors"] = clean
    if type(msg.get("memory", False)) is not bool:
        raise ProtocolError("'memory' of a 'done' message is not a boolean")


def _check_raise(msg: dict) -> None:
    exc = msg.get("exc")
    if type(exc) is not dict or type(exc.get("msg", "")) is not str:
        raise ProtocolError("a 'raise' message without an exception")
    exc["msg"] = clean_text(exc.get("msg", ""), 2000)


_FIELDS = {  # the keys each message from the child may carry (besides "op")
    Op.CHECK: {"q", "args", "kwargs"},
    Op.DONE: {"errors", "memory"},
    Op.RESOLVED: {"values", "missing"},
    Op.RETURN: {"value", "changed", "printed"},  # printed: output an OK-format doctest compares
    Op.RAISE: {"exc", "changed"},
    Op.CALLBACK: {"cb", "args", "kwargs"},
}


def from_child(msg: dict, expected: tuple[str, ...], cells: int = 0) -> dict:
    """Check a message from the child against the schema of its type; returns it, cleaned."""
    op = msg.get("op")
    if op not in expected:
        raise ProtocolError(
            f"a {clean_text(str(op), 40)!r} message where {'/'.join(expected)} was due"
        )
    extra = msg.keys() - _FIELDS[op] - {"op"}
    if extra:
        raise ProtocolError(f"unknown fields in a {op!r} message")
    if op == Op.CHECK:
        _text(msg, "q", 200)
    elif op == Op.DONE:
        _check_done(msg, cells)
    elif op == Op.RESOLVED:
        if type(msg.get("values")) is not dict:
            raise ProtocolError("a 'resolved' message without values")
    elif op == Op.RETURN:
        _text(msg, "printed", 64 * 1024, optional=True)
    elif op == Op.RAISE:
        _check_raise(msg)
    elif op == Op.CALLBACK:
        _int(msg, "cb")
    return msg
