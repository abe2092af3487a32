"""Inputs of the graded functions' contract, for telling equivalent mutants apart.

`mml validate --mutate` runs every mutant and the reference on these (and on the tests' own
calls); a mutant that agrees with the reference on all of them is reported as equivalent.
"""

import numpy as np


def _links(rng, n):
    """Random links between n pages: duplicates, self-links and dangling pages included."""
    pairs = [tuple(int(v) for v in rng.integers(0, n, size=2)) for _ in range(2 * n)]
    dangling = int(rng.integers(0, n))
    pairs = [(f, t) for f, t in pairs if f != dangling] + [(dangling, dangling)]
    return pairs + pairs[:2]


def _stochastic(rng, n):
    """A column-stochastic link matrix (the contract of page_rank's L)."""
    L = (rng.random((n, n)) < 0.4).astype(float)
    np.fill_diagonal(L, 0.0)
    L[:, 0] = 0.0  # a dangling page, spread evenly as link_matrix does
    sums = L.sum(axis=0)
    return np.where(sums > 0, L / np.where(sums > 0, sums, 1), 1.0 / n)


def inputs(rng):
    """Yield (function name, positional arguments, keyword arguments)."""
    for n in (1, 2, 5, 9):
        yield "link_matrix", (_links(rng, n), n), {}
        yield "link_matrix", ([], n), {}
    for n in (1, 3, 6, 12):
        L = _stochastic(rng, n)
        yield "page_rank", (L,), {}
        yield "page_rank", (L,), {"d": 0.5, "tol": 1e-6}
        yield "page_rank", (L, 1.0, 0.1), {}
        yield "page_rank", (L,), {"d": 0.0}
