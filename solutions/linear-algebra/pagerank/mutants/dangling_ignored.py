"""Leaves the column of a page without outgoing links at zero."""

import numpy as np


def link_matrix(links, n):
    L = np.zeros((n, n))
    targets = [set() for _ in range(n)]
    for frm, to in links:
        if frm != to:
            targets[frm].add(to)
    for j in range(n):
        for i in targets[j]:
            L[i, j] = 1.0 / len(targets[j])
    return L
