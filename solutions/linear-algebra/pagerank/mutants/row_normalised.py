"""Normalises the rows of the link matrix instead of its columns."""

import numpy as np


def link_matrix(links, n):
    A = np.zeros((n, n))
    for frm, to in set(links):
        if frm != to:
            A[to, frm] = 1.0
    for i in range(n):
        if A[i].sum() > 0:
            A[i] /= A[i].sum()
        else:
            A[i] = 1.0 / n
    return A
