"""Tests for pagerank."""

import numpy as np

from autograder.checks import as_float_array, call, check_array, check_unchanged
from autograder.testing import case

# The micro-internet of the notebook: six websites of a small town.
# 0 Bakery, 1 Library, 2 Town Hall, 3 Football Club, 4 Gazette, 5 Weather Station.
_TOWN_LINKS = [
    (0, 4), (0, 3),
    (1, 2), (1, 4), (1, 5),
    (2, 1), (2, 0), (2, 4), (2, 3),
    (3, 4), (3, 0), (3, 5),
    (4, 2), (4, 3), (4, 5), (4, 2), (4, 4),
]  # fmt: skip

# Worked out by hand in the notebook: column j spreads page j's vote over the pages it links to.
_TOWN_L = np.array(
    [
        [0, 0, 1 / 4, 1 / 3, 0, 1 / 6],
        [0, 0, 1 / 4, 0, 0, 1 / 6],
        [0, 1 / 3, 0, 0, 1 / 3, 1 / 6],
        [1 / 2, 0, 1 / 4, 0, 1 / 3, 1 / 6],
        [1 / 2, 1 / 3, 1 / 4, 1 / 3, 0, 1 / 6],
        [0, 1 / 3, 0, 1 / 3, 1 / 3, 1 / 6],
    ]
)

# page_rank(_TOWN_L) with d=0.85, tol=0.01: the 8th iterate (the first to change by <= 0.01).
_TOWN_RANKS = np.array(
    [14.21262309, 8.32713615, 14.09563086, 20.77264076, 22.61085135, 19.98111779]
)


def _ref_link_matrix(links, n):
    """An independent construction: unique non-self pairs, then divide by out-degrees."""
    pairs = {(int(a), int(b)) for a, b in links if a != b}
    A = np.zeros((n, n))
    for a, b in pairs:
        A[b, a] = 1.0
    out = A.sum(axis=0)
    A[:, out == 0] = 1.0
    return A / A.sum(axis=0)


def _ref_page_rank(L, d=0.85, tol=0.01):
    """The damped power iteration, written without forming M."""
    n = L.shape[0]
    r = np.ones(n) * 100.0 / n
    while True:
        new = d * (L @ r) + (1.0 - d) * r.sum() / n
        if np.sqrt(np.sum((new - r) ** 2)) <= tol:
            return new
        r = new


def _random_links(seed, n, m):
    """m random (from, to) pairs among n pages: some duplicates, self links and dangling pages."""
    rng = np.random.default_rng(seed)
    silent = set(rng.choice(n, size=max(1, n // 5), replace=False).tolist())
    links = []
    while len(links) < m:
        a, b = (int(v) for v in rng.integers(0, n, size=2))
        if a not in silent:
            links.append((a, b))
    links += links[: m // 6] + [(a, a) for a, _ in links[:2]]
    return links


def _check_link_matrix(L, expected, name):
    """Compare with the expected link matrix, with hints for the usual mistakes."""
    arr = as_float_array(L, name)
    exp = np.asarray(expected, dtype=float)
    if arr.shape == exp.shape and np.all(np.isfinite(arr)) and not np.allclose(arr, exp):
        if np.allclose(arr, exp.T):
            raise AssertionError(
                f"{name} looks transposed: entry [i, j] should be the share of page j's vote that "
                "goes to page i, so that column j describes the links *from* page j."
            )
        sums = arr.sum(axis=0)
        for j in range(arr.shape[1]):
            if np.allclose(arr[:, j], 0.0) and not np.allclose(exp[:, j], 0.0):
                raise AssertionError(
                    f"column {j} of {name} is all zeros: page {j} links nowhere, so its vote "
                    f"should be spread equally over all {arr.shape[0]} pages."
                )
            if not np.isclose(sums[j], 1.0):
                raise AssertionError(
                    f"column {j} of {name} sums to {sums[j]:.6g}; every column should sum to 1 "
                    "(normalise columns, not rows)."
                )
    return check_array(arr, exp, name, rtol=1e-9, atol=1e-12)


def _check_ranks(r, expected, name, rtol=1e-7, atol=1e-6):
    """Compare a rank vector after scaling it to a total of 100, as the course promises."""
    arr = as_float_array(r, name)
    exp = np.asarray(expected, dtype=float)
    if arr.shape != exp.shape:
        raise AssertionError(
            f"{name} has shape {arr.shape}, but a 1-D array of shape {exp.shape} was expected."
        )
    if not np.all(np.isfinite(arr)):
        raise AssertionError(f"{name} contains NaN or infinity.")
    total = arr.sum()
    if abs(total) < 1e-12:
        raise AssertionError(f"{name} sums to zero; it should sum to 100.")
    return check_array(arr * (100.0 / total), exp, name, rtol=rtol, atol=atol)


def _check_total(r, n, name):
    arr = as_float_array(r, name)
    assert arr.shape == (n,), f"{name} has shape {arr.shape}; return a 1-D array of shape ({n},)."
    assert np.all(np.isfinite(arr)), f"{name} contains NaN or infinity."
    assert np.isclose(arr.sum(), 100.0, rtol=0, atol=1e-6), (
        f"{name} sums to {arr.sum():.6g}, but ranks should sum to 100: start from 100/n for "
        "every page (M keeps the total unchanged)."
    )
    assert np.all(arr >= 0), f"{name} has negative entries."


# ---------------------------------------------------------------- q1: link_matrix


@case("q1")
def test_link_matrix_three_pages(link_matrix):
    """0 links to 1 and 2; 1 links to 2; 2 links to 0."""
    L = call(link_matrix, [(0, 1), (0, 2), (1, 2), (2, 0)], 3)
    expected = [[0.0, 0.0, 1.0], [0.5, 0.0, 0.0], [0.5, 1.0, 0.0]]
    _check_link_matrix(L, expected, "link_matrix([(0, 1), (0, 2), (1, 2), (2, 0)], 3)")


@case("q1")
def test_link_matrix_dangling_duplicate_and_self_links(link_matrix):
    """Page 2 links nowhere; 0 -> 1 appears twice (counts once); 1 -> 1 is ignored."""
    links = [(0, 1), (0, 1), (0, 2), (1, 1), (1, 0)]
    L = call(link_matrix, links, 3)
    expected = [[0.0, 1.0, 1 / 3], [0.5, 0.0, 1 / 3], [0.5, 0.0, 1 / 3]]
    _check_link_matrix(L, expected, "link_matrix([(0, 1), (0, 1), (0, 2), (1, 1), (1, 0)], 3)")


@case("q1")
def test_link_matrix_town(link_matrix):
    """The micro-internet of the notebook, worked out by hand there."""
    _check_link_matrix(
        call(link_matrix, list(_TOWN_LINKS), 6), _TOWN_L, "link_matrix(town_links, 6)"
    )


@case("q1", hidden=True)
def test_link_matrix_random_webs(link_matrix):
    for seed, n, m in [(1, 7, 15), (2, 12, 40), (3, 25, 60), (4, 40, 200), (5, 4, 6)]:
        links = _random_links(seed, n, m)
        name = f"link_matrix(random web with {n} pages)"
        L = _check_link_matrix(link_matrix(list(links), n), _ref_link_matrix(links, n), name)
        assert np.allclose(L.sum(axis=0), 1.0), f"the columns of {name} should sum to 1."


@case("q1", hidden=True)
def test_link_matrix_no_links_and_self_only(link_matrix):
    """No links at all, a page that links only to itself, and pages never mentioned."""
    _check_link_matrix(link_matrix([], 4), np.full((4, 4), 0.25), "link_matrix([], 4)")
    _check_link_matrix(link_matrix([], 1), [[1.0]], "link_matrix([], 1)")
    _check_link_matrix(link_matrix([(0, 0)], 1), [[1.0]], "link_matrix([(0, 0)], 1)")
    links = [(0, 0), (1, 0), (1, 2), (2, 1)]
    expected = _ref_link_matrix(links, 5)
    _check_link_matrix(link_matrix(links, 5), expected, "link_matrix(links with 0 -> 0, 5)")


@case("q1", hidden=True)
def test_link_matrix_duplicates_count_once(link_matrix):
    links = [(0, 1)] * 3 + [(0, 2), (1, 2), (1, 2), (2, 0), (2, 1), (2, 0), (3, 3), (3, 0)]
    _check_link_matrix(link_matrix(links, 4), _ref_link_matrix(links, 4), "link_matrix(dups, 4)")


@case("q1", hidden=True)
def test_link_matrix_leaves_links_unchanged(link_matrix):
    links = _random_links(9, 8, 20)
    before = list(links)
    L = link_matrix(links, 8)
    assert len(links) == len(before), "your function changed `links`; leave the list as it is."
    check_unchanged(np.array(before), np.array(links), "links")
    _check_link_matrix(L, _ref_link_matrix(before, 8), "link_matrix(links, 8)")


# ------------------------------------------------------------------ q2: page_rank


@case("q2")
def test_page_rank_town(page_rank):
    """The town's web with the defaults: the 8th iterate is the first to move by <= 0.01."""
    L = _TOWN_L.copy()
    r = call(page_rank, L)
    _check_total(r, 6, "page_rank(town_L)")
    _check_ranks(r, _TOWN_RANKS, "page_rank(town_L)")


@case("q2")
def test_page_rank_first_step(page_rank):
    """With a huge tol the first step already counts as converged: return r1 = M @ r0."""
    L = np.array([[0.0, 0.0, 1.0], [0.5, 0.0, 0.0], [0.5, 1.0, 0.0]])
    r = call(page_rank, L, d=0.85, tol=1000.0)
    expected = [100 / 3 * 0.85 + 5.0, 100 / 6 * 0.85 + 5.0, 50 * 0.85 + 5.0]
    _check_total(r, 3, "page_rank(L, d=0.85, tol=1000)")
    _check_ranks(r, expected, "page_rank(L, d=0.85, tol=1000)")


@case("q2", hidden=True)
def test_page_rank_random_webs(page_rank):
    for seed, n, m in [(11, 6, 12), (12, 10, 30), (13, 20, 50), (14, 45, 150)]:
        L = _ref_link_matrix(_random_links(seed, n, m), n)
        name = f"page_rank(random web with {n} pages)"
        r = page_rank(L.copy())
        _check_total(r, n, name)
        _check_ranks(r, _ref_page_rank(L), name)


@case("q2", hidden=True)
def test_page_rank_other_d_and_tol(page_rank):
    L = _ref_link_matrix(_random_links(21, 9, 25), 9)
    for d, tol in [(0.5, 1e-3), (0.95, 1e-4), (0.85, 0.5), (0.7, 1e-6)]:
        name = f"page_rank(L, d={d}, tol={tol})"
        _check_ranks(page_rank(L.copy(), d=d, tol=tol), _ref_page_rank(L, d, tol), name)
    _check_ranks(page_rank(L.copy(), 0.6, 0.02), _ref_page_rank(L, 0.6, 0.02),
                 "page_rank(L, 0.6, 0.02)")  # fmt: skip


@case("q2", hidden=True)
def test_page_rank_d_one_and_zero(page_rank):
    """d = 1 is plain L (aperiodic here, so it converges); d = 0 is the uniform vector."""
    L = np.array(
        [[0.2, 0.0, 0.5, 0.0], [0.3, 0.0, 0.5, 1.0], [0.5, 0.4, 0.0, 0.0], [0.0, 0.6, 0.0, 0.0]]
    )
    _check_ranks(page_rank(L.copy(), d=1.0, tol=1e-5), _ref_page_rank(L, 1.0, 1e-5),
                 "page_rank(L, d=1.0, tol=1e-5)")  # fmt: skip
    _check_ranks(page_rank(L.copy(), d=0.0), np.full(4, 25.0), "page_rank(L, d=0.0)")


@case("q2", hidden=True)
def test_page_rank_total_shape_and_input(page_rank):
    for seed, n in [(31, 5), (32, 16)]:
        L = _ref_link_matrix(_random_links(seed, n, 3 * n), n)
        before = L.copy()
        r = page_rank(L)
        check_unchanged(before, L, "L")
        _check_total(r, n, f"page_rank(L) for {n} pages")
        _check_ranks(r, _ref_page_rank(before), f"page_rank(L) for {n} pages")
