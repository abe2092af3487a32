"""Counts a link listed twice as two votes."""

import numpy as np


def link_matrix(links, n):
    L = np.zeros((n, n))
    for frm, to in links:
        if frm != to:
            L[to, frm] += 1.0
    for j in range(n):
        total = L[:, j].sum()
        if total > 0:
            L[:, j] /= total
        else:
            L[:, j] = 1.0 / n
    return L
