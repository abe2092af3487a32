"""Tests for special-matrices."""

from fractions import Fraction

import numpy as np

from autograder.checks import (
    call,
    check_array,
    check_not_calling,
    check_raises,
    check_unchanged,
    once,
)
from autograder.testing import case

_FORBIDDEN = [
    "det",
    "slogdet",
    "matrix_rank",
    "inv",
    "pinv",
    "solve",
    "lstsq",
    "tensorsolve",
    "tensorinv",
    "svd",
    "svdvals",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "qr",
    "lu",
    "lu_factor",
    "cond",
    "null_space",
    "orth",
]


def _check_row_step(fix, start, expected, name):
    """Call ``fix`` on a copy of ``start``; check the result and that A changed in place."""
    A = np.array(start, dtype=float)
    out = call(fix, A)
    if out is None:
        raise AssertionError(f"{name} returned None: change A in place and finish with `return A`.")
    check_array(out, expected, name, rtol=1e-9, atol=1e-12)
    if np.array_equal(A, np.array(start, dtype=float)):
        raise AssertionError(
            f"{name} returned the right matrix but left A itself unchanged: the row steps "
            "must change A in place (e.g. `A[2] = ...`), because the driver relies on it."
        )
    check_array(A, expected, f"A after calling {name}", rtol=1e-9, atol=1e-12)


def _for_input(A, check, *args, **kwargs):
    """Run ``check(*args, **kwargs)``; on failure, say once which input matrix it was."""
    try:
        check(*args, **kwargs)
    except AssertionError as e:
        raise AssertionError(f"For A =\n{np.asarray(A)}\n{e}") from None


def _exact_fix_row(A, i):
    """Unit row-echelon step for row ``i`` in exact arithmetic (rows above are done).

    Returns the expected matrix, or None when MatrixIsSingular is expected.
    """
    M = [[Fraction(int(v)) for v in row] for row in np.asarray(A)]

    def cleared(r):
        r = list(r)
        for k in range(i):
            c = r[k]
            r = [a - c * b for a, b in zip(r, M[k])]
        return r

    r = cleared(M[i])
    for k in range(i + 1, 4):
        if r[i] != 0:
            break
        r = cleared([a + b for a, b in zip(r, M[k])])
    if r[i] == 0:
        return None
    M[i] = [a / r[i] for a in r]
    return np.array([[float(v) for v in row] for row in M])


def _echelon_rows(rng, k):
    """k integer rows already in unit row-echelon form, with non-zero entries above pivots."""
    rows = np.zeros((k, 4))
    for i in range(k):
        rows[i, i] = 1
        rows[i, i + 1 :] = rng.choice([-3, -2, -1, 1, 2, 3], size=3 - i)
    return rows


@once
def _row_two_cases():
    """``_row_two_inputs`` with each one's exact expected result (None: singular), read-only:
    fixed data, computed once per process rather than for every submission."""
    return tuple(_frozen(A, _exact_fix_row(A, 2)) for _kind, A in _row_two_inputs())


@once
def _row_three_cases():
    return tuple(_frozen(A, _exact_fix_row(A, 3)) for _kind, A in _row_three_inputs())


def _frozen(*arrays):
    for a in arrays:
        if a is not None:
            a.flags.writeable = False
    return arrays


def _row_two_inputs():
    """Inputs for fix_row_two: plain, borrowing from row 3, and singular ones."""
    rng = np.random.default_rng(7)
    out = []
    for kind in ["plain"] * 4 + ["borrow"] * 4 + ["singular"] * 3:
        top = _echelon_rows(rng, 2)
        c = rng.choice([-2, -1, 1, 2, 3], size=4)
        if kind == "plain":
            row2 = rng.integers(-4, 5, size=4).astype(float)
            row3 = rng.integers(-4, 5, size=4).astype(float)
        elif kind == "borrow":
            row2 = c[0] * top[0] + c[1] * top[1] + [0, 0, 0, c[2]]
            row3 = rng.integers(-4, 5, size=4).astype(float)
            row3[:2] = rng.choice([-2, -1, 1, 2], size=2)
        else:
            row2 = c[0] * top[0] + c[1] * top[1] + [0, 0, 0, c[2]]
            row3 = c[3] * top[0] - c[1] * top[1] + [0, 0, 0, c[0]]
        A = np.vstack([top, row2, row3])
        if kind != "singular" and _exact_fix_row(A, 2) is None:
            continue
        out.append((kind, A))
    return out


def _row_three_inputs():
    rng = np.random.default_rng(11)
    out = []
    for kind in ["plain"] * 5 + ["singular"] * 3:
        top = _echelon_rows(rng, 3)
        if kind == "plain":
            row3 = rng.integers(-4, 5, size=4).astype(float)
            row3[2] = rng.choice([-3, -1, 2, 4])
            if _exact_fix_row(np.vstack([top, row3]), 3) is None:
                continue
        else:
            c = rng.choice([-2, -1, 1, 2, 3], size=3)
            row3 = c @ top
        out.append((kind, np.vstack([top, row3])))
    # The pivot is exactly 1 once row 3 is cleared: clearing column 3 too would zero the row.
    for c in ([1.0, -2.0, 3.0], [-2.0, 1.0, 1.0]):
        top = _echelon_rows(rng, 3)
        out.append(("unit pivot", np.vstack([top, np.array(c) @ top + [0.0, 0.0, 0.0, 1.0]])))
    return out


def _check_bool(actual, expected, name):
    """``name``: the call's description, or a function making it (printing a matrix costs a
    quarter of a millisecond: only a failure's message needs it)."""
    if actual is None or not isinstance(actual, bool | np.bool_) or bool(actual) != expected:
        name = name() if callable(name) else name
    if actual is None:
        raise AssertionError(f"{name} is None: does is_singular end with a `return`?")
    if not isinstance(actual, bool | np.bool_):
        raise AssertionError(
            f"{name} should be True or False, but it is {type(actual).__name__} {actual!r}."
        )
    if bool(actual) != expected:
        raise AssertionError(f"{name} is {bool(actual)}, but {expected} was expected.")


def _singular_floats(seed, count):
    """Singular float matrices whose dependency does not cancel exactly in floating point."""
    rng = np.random.default_rng(seed)
    out = []
    for t in range(count):
        n = 3 + t % 5
        M = np.round(rng.uniform(-1, 1, size=(n, n)), 2)
        i = int(rng.integers(n))
        coef = rng.choice([0.1, 0.3, 0.7, -0.2, -0.6, 1.1], size=n - 1)
        others = np.delete(np.arange(n), i)
        if t % 2:
            M[i] = coef @ M[others]
        else:
            M[:, i] = M[:, others] @ coef
        out.append(M)
    return out


# ----------------------------------------------------------------------------- question 1

_A2_PLAIN = np.array(
    [[1.0, 2.0, -1.0, 3.0], [0.0, 1.0, 2.0, -2.0], [2.0, 5.0, 2.0, 1.0], [1.0, 0.0, 4.0, 2.0]]
)
_A2_BORROW = np.array(
    [[1.0, 2.0, -1.0, 3.0], [0.0, 1.0, 2.0, -2.0], [3.0, 5.0, -5.0, 15.0], [2.0, 1.0, 3.0, 0.0]]
)
_A2_SINGULAR = np.array(
    [[1.0, 2.0, -1.0, 3.0], [0.0, 1.0, 2.0, -2.0], [1.0, 4.0, 3.0, 0.0], [1.0, 1.0, -3.0, 8.0]]
)


@case("q1")
def test_row_two_simple(fix_row_two):
    """Row 2 is cleared with rows 0 and 1 and divided by its pivot 2."""
    expected = _A2_PLAIN.copy()
    expected[2] = [0.0, 0.0, 1.0, -1.5]
    _check_row_step(fix_row_two, _A2_PLAIN, expected, "fix_row_two(A)")


@case("q1")
def test_row_two_borrows_row_three(fix_row_two):
    """After clearing, row 2 is (0, 0, 0, 4): add row 3, clear columns 0 and 1 again."""
    expected = _A2_BORROW.copy()
    expected[2] = [0.0, 0.0, 1.0, -8.0 / 11.0]
    _check_row_step(fix_row_two, _A2_BORROW, expected, "fix_row_two(A) (borrowing row 3)")


@case("q1")
def test_row_two_raises(fix_row_two, MatrixIsSingular):
    """Rows 2 and 3 both clear to (0, 0, 0, *): no pivot for row 2."""
    check_raises(
        MatrixIsSingular, fix_row_two, _A2_SINGULAR.copy(), name="fix_row_two(A) (singular A)"
    )


@case("q1", hidden=True)
def test_row_two_many(fix_row_two, MatrixIsSingular):
    for A, expected in _row_two_cases():
        if expected is None:
            _for_input(
                A, check_raises, MatrixIsSingular, fix_row_two, A.copy(), name="fix_row_two(A)"
            )
        else:
            _for_input(A, _check_row_step, fix_row_two, A, expected, "fix_row_two(A)")


@case("q1", hidden=True)
def test_row_two_pivot_checked_after_clearing(fix_row_two, MatrixIsSingular):
    """The zero test is on the pivot after clearing, not on the original A[2, 2]."""
    zero_before = np.array(
        [[1.0, 1.0, 2.0, 0.0], [0.0, 1.0, -1.0, 1.0], [1.0, 2.0, 0.0, 1.0], [2.0, 3.0, 1.0, 1.0]]
    )
    zero_after = np.array(
        [[1.0, 1.0, 2.0, 0.0], [0.0, 1.0, -1.0, 1.0], [2.0, 3.0, 3.0, 2.0], [1.0, 0.0, 1.0, 1.0]]
    )
    for A in (zero_before, zero_after):
        expected = _exact_fix_row(A, 2)
        _for_input(A, _check_row_step, fix_row_two, A, expected, "fix_row_two(A)")


@case("q1", hidden=True)
def test_row_two_only_row_two_changes(fix_row_two):
    rng = np.random.default_rng(3)
    A = np.vstack([_echelon_rows(rng, 2), [[4.0, -2.0, 3.0, 1.0], [-1.0, 2.0, 5.0, 3.0]]])
    start = A.copy()
    out = fix_row_two(A)
    assert out is not None, "fix_row_two(A) returned None: finish with `return A`."
    for i in (0, 1, 3):
        check_unchanged(start[i], np.asarray(A)[i], f"row {i} of A (only row 2 may change)")


# ----------------------------------------------------------------------------- question 2

_A3_PLAIN = np.array(
    [[1.0, 2.0, -1.0, 3.0], [0.0, 1.0, 2.0, -2.0], [0.0, 0.0, 1.0, 1.0], [2.0, 3.0, 1.0, 4.0]]
)
_A3_SINGULAR = np.array(
    [[1.0, 2.0, -1.0, 3.0], [0.0, 1.0, 2.0, -2.0], [0.0, 0.0, 1.0, 1.0], [1.0, 3.0, 2.0, 2.0]]
)


@case("q2")
def test_row_three_simple(fix_row_three):
    """Row 3 is cleared with rows 0, 1, 2 to (0, 0, 0, -9), then divided by -9."""
    expected = _A3_PLAIN.copy()
    expected[3] = [0.0, 0.0, 0.0, 1.0]
    _check_row_step(fix_row_three, _A3_PLAIN, expected, "fix_row_three(A)")


@case("q2")
def test_row_three_raises(fix_row_three, MatrixIsSingular):
    """Row 3 is row 0 + row 1 + row 2, so it clears to zeros."""
    check_raises(
        MatrixIsSingular,
        fix_row_three,
        _A3_SINGULAR.copy(),
        name="fix_row_three(A) (singular A)",
    )


@case("q2", hidden=True)
def test_row_three_many(fix_row_three, MatrixIsSingular):
    for A, expected in _row_three_cases():
        if expected is None:
            _for_input(
                A, check_raises, MatrixIsSingular, fix_row_three, A.copy(), name="fix_row_three(A)"
            )
        else:
            _for_input(A, _check_row_step, fix_row_three, A, expected, "fix_row_three(A)")


@case("q2", hidden=True)
def test_row_three_only_row_three_changes(fix_row_three):
    A = np.array(
        [[1.0, -2.0, 3.0, 1.0], [0.0, 1.0, -1.0, 2.0], [0.0, 0.0, 1.0, -3.0], [3.0, 1.0, 2.0, 1.0]]
    )
    start = A.copy()
    out = fix_row_three(A)
    assert out is not None, "fix_row_three(A) returned None: finish with `return A`."
    check_unchanged(start[:3], np.asarray(A)[:3], "rows 0 to 2 of A (only row 3 may change)")
    check_array(A, _exact_fix_row(start, 3), "A after fix_row_three(A)", rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- question 3


@case("q3")
def test_is_singular_small_examples(is_singular):
    examples = [
        (np.eye(3), False, "the 3x3 identity"),
        (np.array([[1.0, 2.0], [2.0, 4.0]]), True, "[[1, 2], [2, 4]]"),
        (
            np.array([[0.0, 2.0, 2.0], [1.0, 1.0, 0.0], [2.0, 0.0, 1.0]]),
            False,
            "the worked example (needs a row exchange)",
        ),
        (
            np.array([[0.0, 2.0, 2.0], [1.0, 1.0, 0.0], [2.0, 4.0, 2.0]]),
            True,
            "the worked example with last row (2, 4, 2)",
        ),
        (np.array([[0.0, 1.0], [1.0, 0.0]]), False, "[[0, 1], [1, 0]] (swap the rows!)"),
    ]
    for M, expected, label in examples:
        _check_bool(call(is_singular, M.copy()), expected, f"is_singular({label})")


@case("q3")
def test_is_singular_rounding(is_singular):
    """The third row is 0.1 r0 + 0.7 r1: rounding leaves a pivot near 1e-17, not 0."""
    r0 = np.array([0.3, 0.7, 0.2])
    r1 = np.array([0.9, 0.1, 0.4])
    M = np.array([r0, r1, 0.1 * r0 + 0.7 * r1])
    _check_bool(
        call(is_singular, M),
        True,
        "is_singular(M) for M with rows r0, r1, 0.1 r0 + 0.7 r1 (compare pivots with tol, "
        "not with == 0)",
    )


@case("q3")
def test_is_singular_leaves_input_alone(is_singular):
    M = np.array([[0.0, 2.0, 1.0], [3.0, 1.0, 2.0], [1.0, 1.0, 3.0]])
    before = M.copy()
    _check_bool(call(is_singular, M), False, "is_singular(M)")
    check_unchanged(before, M, "the matrix passed to is_singular")


@case("q3", hidden=True)
def test_is_singular_random_invertible(is_singular):
    rng = np.random.default_rng(7)
    for n in range(1, 9):
        for _ in range(3):
            M = rng.normal(size=(n, n)) + 2.0 * np.eye(n)[rng.permutation(n)]
            _check_bool(is_singular(M), False, f"is_singular(M) for an invertible {n}x{n} M")


@case("q3", hidden=True)
def test_is_singular_rounded_dependencies(is_singular):
    for M in _singular_floats(5, 14):
        _check_bool(
            is_singular(M),
            True,
            lambda M=M: (
                f"is_singular(M) for this singular M (one row or column is a "
                f"combination of the others):\n{M}\n"
            ),
        )


@case("q3", hidden=True)
def test_is_singular_edge_cases(is_singular):
    P = np.eye(5)[[3, 0, 4, 1, 2]]
    zero_col = np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 1.0], [0.0, 2.0, 5.0]])
    last_dep = np.array(
        [[2.0, 1.0, 0.0, 1.0], [1.0, 3.0, 1.0, 0.0], [0.0, 1.0, 4.0, 1.0], [3.0, 5.0, 5.0, 2.0]]
    )
    rank2 = np.outer([1.0, 2.0, 0.5, -1.0], [1.0, 0.0, 2.0, 1.0]) + np.outer(
        [0.0, 1.0, 1.0, 3.0], [2.0, 1.0, -1.0, 0.0]
    )
    examples = [
        (np.array([[0.0]]), True, "[[0]]"),
        (np.array([[-3.0]]), False, "[[-3]]"),
        (np.zeros((3, 3)), True, "a zero matrix"),
        (P, False, "a 5x5 permutation matrix"),
        (zero_col, True, "a matrix whose first column is zero"),
        (last_dep, True, "a 4x4 matrix whose last row is the sum of the others"),
        (rank2, True, "a 4x4 matrix of rank 2"),
        (np.triu(np.ones((6, 6))), False, "an upper-triangular matrix of ones"),
        (
            np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]),
            True,
            "a 3x3 matrix with row 1 = 2 row 0",
        ),
    ]
    for M, expected, label in examples:
        _check_bool(is_singular(M), expected, f"is_singular({label})")


@case("q3", hidden=True)
def test_is_singular_integer_input(is_singular):
    examples = [
        (np.array([[2, 1], [1, 1]]), False),
        (np.array([[2, 4], [1, 2]]), True),
        (np.array([[3, 1, 2], [1, 2, 0], [2, 1, 1]]), False),
        (np.array([[0, 3, 1], [2, 1, 1], [4, 5, 3]]), True),
    ]
    for M, expected in examples:
        before = M.copy()
        _check_bool(
            is_singular(M),
            expected,
            lambda M=M: f"is_singular(M) for the integer matrix\n{M}\n(work on a float copy)",
        )
        check_unchanged(before, M, "the integer matrix passed to is_singular")


@case("q3", hidden=True)
def test_is_singular_uses_tol(is_singular):
    D = np.diag([1.0, 1e-9, 1.0])
    _check_bool(is_singular(D), False, "is_singular(diag(1, 1e-9, 1)) with the default tol")
    _check_bool(is_singular(D, tol=1e-6), True, "is_singular(diag(1, 1e-9, 1), tol=1e-6)")
    _check_bool(is_singular(D, 1e-6), True, "is_singular(diag(1, 1e-9, 1), 1e-6)")
    L = np.array([[1.0, 0.0, 0.0], [0.5, 1e-10, 0.0], [0.25, 0.5, 1.0]])
    _check_bool(is_singular(L), False, "is_singular(L) for a lower-triangular L with pivot 1e-10")


@case("q3", hidden=True)
def test_is_singular_purity(is_singular):
    rng = np.random.default_rng(21)
    examples = [
        (rng.normal(size=(5, 5)) + 3.0 * np.eye(5), False),
        (_singular_floats(8, 1)[0], True),
        (np.eye(4)[::-1].copy(), False),
    ]
    for M, expected in examples:
        before = M.copy()
        _check_bool(is_singular(M), expected, lambda b=before: f"is_singular(M) for M =\n{b}\n")
        check_unchanged(before, M, "the matrix passed to is_singular")


@case("q3", hidden=True, points=2)
def test_is_singular_does_its_own_elimination(is_singular):
    _check_bool(is_singular(np.eye(2)), False, "is_singular(identity)")
    _check_bool(is_singular(np.ones((2, 2))), True, "is_singular(ones((2, 2)))")
    check_not_calling(
        is_singular,
        _FORBIDDEN,
        "is_singular",
        "this question asks you to decide singularity by your own elimination",
    )
