"""Keeps a page's link to itself, although the docstring says self links are ignored."""

import numpy as np


def link_matrix(links, n):
    L = np.zeros((n, n))
    targets = [set() for _ in range(n)]
    for frm, to in links:
        targets[frm].add(to)
    for j in range(n):
        if targets[j]:
            for i in targets[j]:
                L[i, j] = 1.0 / len(targets[j])
        else:
            L[:, j] = 1.0 / n
    return L
