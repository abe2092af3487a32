"""Unit tests of the pagerank reference solution: stochastic matrices and the power iteration."""

import numpy as np
import pytest

from .conftest import load_solution

sol = load_solution("pagerank")

TOWN_LINKS = [
    (0, 4), (0, 3),
    (1, 2), (1, 4), (1, 5),
    (2, 1), (2, 0), (2, 4), (2, 3),
    (3, 4), (3, 0), (3, 5),
    (4, 2), (4, 3), (4, 5), (4, 2), (4, 4),
]  # fmt: skip


def random_links(seed, n, m):
    rng = np.random.default_rng(seed)
    return [tuple(int(v) for v in rng.integers(0, n, size=2)) for _ in range(m)]


@pytest.mark.parametrize("seed", range(5))
def test_link_matrix_is_column_stochastic(seed):
    links = random_links(seed, 12, 30)
    L = sol.link_matrix(links, 12)
    assert L.shape == (12, 12)
    assert np.all(L >= 0)
    np.testing.assert_allclose(L.sum(axis=0), 1.0)
    assert np.all(np.diag(L)[[j for j in range(12) if any(a == j != b for a, b in links)]] == 0)


def test_link_matrix_conventions():
    L = sol.link_matrix([(0, 1), (0, 1), (1, 1)], 3)
    np.testing.assert_allclose(L[:, 0], [0, 1, 0])  # duplicate counts once
    np.testing.assert_allclose(L[:, 1], 1 / 3)  # only a self link: dangling
    np.testing.assert_allclose(L[:, 2], 1 / 3)  # no links: dangling
    links = list(TOWN_LINKS)
    sol.link_matrix(links, 6)
    assert links == TOWN_LINKS


def test_town_matrix_matches_the_hand_calculation():
    L = sol.link_matrix(TOWN_LINKS, 6)
    np.testing.assert_allclose(L[:, 4], [0, 0, 1 / 3, 1 / 3, 0, 1 / 3])
    np.testing.assert_allclose(L[:, 5], 1 / 6)
    np.testing.assert_allclose(L.sum(axis=1)[[1, 4]], [5 / 12, 19 / 12])


def test_page_rank_sums_to_100_and_matches_the_eigenvector():
    L = sol.link_matrix(TOWN_LINKS, 6)
    r = sol.page_rank(L, tol=1e-10)
    assert r.shape == (6,)
    assert np.isclose(r.sum(), 100.0)
    M = 0.85 * L + 0.15 / 6
    vals, vecs = np.linalg.eig(M)
    v = np.real(vecs[:, np.argmax(np.real(vals))])
    np.testing.assert_allclose(r, 100 * v / v.sum(), atol=1e-7)
    np.testing.assert_allclose(M @ r, r, atol=1e-8)


def test_page_rank_stopping_rule_and_purity():
    L = sol.link_matrix(random_links(3, 9, 20), 9)
    before = L.copy()
    r = sol.page_rank(L)
    np.testing.assert_array_equal(L, before)
    M = 0.85 * L + 0.15 / 9
    iterates = [np.full(9, 100 / 9)]
    while True:
        iterates.append(M @ iterates[-1])
        if np.linalg.norm(iterates[-1] - iterates[-2]) <= 0.01:
            break
    np.testing.assert_allclose(r, iterates[-1], rtol=1e-12)
    # one step earlier would not have stopped
    assert np.linalg.norm(iterates[-2] - iterates[-3]) > 0.01
    first = sol.page_rank(L, tol=1e6)
    np.testing.assert_allclose(first, iterates[1], rtol=1e-12)


def test_damping_extremes():
    L = sol.link_matrix([(0, 1), (1, 2), (2, 0), (2, 1)], 3)
    np.testing.assert_allclose(sol.page_rank(L, d=0.0), np.full(3, 100 / 3))
    r = sol.page_rank(L, d=1.0, tol=1e-9)
    np.testing.assert_allclose(L @ r, r, atol=1e-7)
