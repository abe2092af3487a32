"""Puts page j's outgoing links in row j instead of column j (L[from, to])."""

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
                L[j, i] = 1.0 / len(targets[j])
        else:
            L[j, :] = 1.0 / n
    return L
