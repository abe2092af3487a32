"""Spreads a dangling page over the other n - 1 pages, leaving itself out."""

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
        elif n > 1:
            L[:, j] = 1.0 / (n - 1)
            L[j, j] = 0.0
        else:
            L[0, 0] = 1.0
    return L
