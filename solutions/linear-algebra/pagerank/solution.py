"""Reference solution for pagerank."""

import numpy as np


def link_matrix(links, n):
    L = np.zeros((n, n))
    targets = [set() for _ in range(n)]
    for frm, to in links:
        if frm != to:
            targets[frm].add(to)
    for j in range(n):
        if targets[j]:
            for i in targets[j]:
                L[i, j] = 1.0 / len(targets[j])
        else:
            L[:, j] = 1.0 / n
    return L


def page_rank(L, d=0.85, tol=0.01):
    n = L.shape[0]
    M = d * L + (1 - d) / n * np.ones((n, n))
    r = np.full(n, 100.0 / n)
    while True:
        r_next = M @ r
        if np.linalg.norm(r_next - r) <= tol:
            return r_next
        r = r_next
