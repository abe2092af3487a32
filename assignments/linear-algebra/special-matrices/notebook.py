# %% [markdown]
# # Identifying special matrices
#
# A square matrix either has an inverse or it does not. The ones that do not are called
# **singular**, and they are special in an unwelcome way: a linear system $A\mathbf{x} =
# \mathbf{b}$ with a singular $A$ has either no solution or infinitely many, and any code
# that tries to invert $A$ will fail or return garbage.
#
# In this assignment you will decide whether a matrix is singular the way you would by hand:
# by reducing it, one row at a time, to **row-echelon form** with ones on the diagonal. You
# will finish a step-by-step procedure for $4 \times 4$ matrices, then write a general test
# for square matrices of any size that copes with floating-point rounding.
#
# All matrices in this notebook are small examples written for it or drawn from a random
# generator with a fixed seed; no data files are needed.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# ## What goes wrong in a singular matrix
#
# A $2 \times 2$ matrix $A$ sends the unit vectors $\mathbf{e}_0, \mathbf{e}_1$ to its two
# columns, and so it sends the unit square to the parallelogram spanned by those columns. The
# area of that parallelogram is $|\det A|$.
#
# When the columns point in the same direction, the parallelogram is squashed flat onto a
# line: the whole plane is mapped onto that line. Many different points land on the same
# image, so there is no way to undo the map, and $A$ has no inverse. That is what singular
# means, in any dimension: the columns are **linearly dependent**, the map loses (at least)
# one dimension, and $\det A = 0$.
#
# The figure below follows the family
# $$A(s) = \begin{pmatrix} 1 & 1 \\ s & 1 \end{pmatrix}, \qquad \det A(s) = 1 - s,$$
# as $s$ grows towards $1$, where the two columns become the same vector.

# %% tags=["otter_ignore"]
square = np.array([[0, 1, 1, 0, 0], [0, 0, 1, 1, 0]], dtype=float)
fig, axes = plt.subplots(1, 4, figsize=(13, 3.4), sharex=True, sharey=True)
for ax, s in zip(axes, [0.0, 0.5, 0.9, 1.0]):
    M = np.array([[1.0, 1.0], [s, 1.0]])
    image = M @ square
    ax.fill(square[0], square[1], color="0.85", label="unit square")
    ax.fill(image[0], image[1], alpha=0.5, color="tab:blue", label="its image")
    ax.plot(image[0], image[1], color="tab:blue")
    for j, colour in enumerate(["tab:red", "tab:green"]):
        ax.annotate("", xy=M[:, j], xytext=(0, 0),
                    arrowprops=dict(arrowstyle="->", color=colour, lw=2))
    ax.set_title(f"s = {s}:  det = {np.linalg.det(M):.2f}")
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
axes[0].legend(loc="upper left", fontsize=8)
fig.suptitle("The unit square under A(s): columns in red and green")
plt.tight_layout()
plt.show()

# %% [markdown]
# At $s = 1$ the blue parallelogram has collapsed onto the line $y = x$: the matrix is
# singular.
#
# ## Row operations and row-echelon form
#
# Three operations on the rows of a matrix never change whether it is singular:
#
# 1. swap two rows;
# 2. multiply a row by a **non-zero** number;
# 3. add a multiple of one row to another row.
#
# Each of them is the same as multiplying $A$ on the left by an invertible matrix $E$, and
# $\det(EA) = \det E \, \det A$ with $\det E \neq 0$, so $\det(EA)$ is zero exactly when
# $\det A$ is.
#
# With these operations we aim for an upper-triangular matrix with ones on its diagonal,
# $$\begin{pmatrix} 1 & * & * & * \\ 0 & 1 & * & * \\ 0 & 0 & 1 & * \\ 0 & 0 & 0 & 1
# \end{pmatrix},$$
# whose determinant is $1$. If we get there, $A$ was not singular. If at some row we cannot
# find a non-zero number for the diagonal (the **pivot**), $A$ is singular.
#
# ### A worked example
#
# Take
# $$A = \begin{pmatrix} 0 & 2 & 2 \\ 1 & 1 & 0 \\ 2 & 0 & 1 \end{pmatrix}.$$
#
# * **Row 0.** The pivot $A_{00}$ is $0$. Adding row 1 to row 0 gives $(1, 3, 2)$, whose
#   pivot is already $1$.
# * **Row 1.** Clear column 0 by subtracting $1 \times$ row 0: $(1, 1, 0) - (1, 3, 2) =
#   (0, -2, -2)$. Divide by the pivot $-2$: $(0, 1, 1)$.
# * **Row 2.** Clear column 0 with row 0: $(2, 0, 1) - 2\,(1, 3, 2) = (0, -6, -3)$. Clear
#   column 1 with row 1: $(0, -6, -3) + 6\,(0, 1, 1) = (0, 0, 3)$. Divide by $3$:
#   $(0, 0, 1)$.
#
# We reached $\begin{pmatrix} 1 & 3 & 2 \\ 0 & 1 & 1 \\ 0 & 0 & 1 \end{pmatrix}$, so $A$ is
# not singular (indeed $\det A = -6$).
#
# Now change the last row to $(2, 4, 2)$, which is row 0 plus twice row 1. Clearing
# column 0 gives $(0, -2, -2)$ and clearing column 1 gives $(0, 0, 0)$: there is no pivot
# left and no row below to borrow one from. This matrix is singular.
#
# ## The step-by-step procedure for a $4 \times 4$ matrix
#
# For a $4 \times 4$ matrix we write one function per row. Each changes `A` **in place**
# (and also returns it), assuming the rows above it are already done:
#
# * `fix_row_zero`: if the pivot $A_{00}$ is zero, add rows 1, 2, 3 to row 0 in turn until
#   it is not; then divide row 0 by its pivot.
# * `fix_row_one`: clear column 0 of row 1 with row 0. If the pivot $A_{11}$ is zero, add
#   row 2 (then, if needed, row 3) and clear column 0 again; then divide by the pivot.
# * `fix_row_two`: the same for row 2, clearing columns 0 and 1, borrowing from row 3.
# * `fix_row_three`: clear columns 0, 1 and 2 of row 3 and divide by the pivot.
#
# Whenever no non-zero pivot can be found, the function raises `MatrixIsSingular`. The first
# two are written for you below; read them, then write the other two.
#
# Why may we *add* a lower row when the pivot is zero? Adding a row is operation 3, so
# singularity is unchanged. After adding we must clear the columns to the left again,
# because the row we added has not been cleared yet.

# %%
class MatrixIsSingular(Exception):
    """Raised when a row of a matrix cannot be given a non-zero pivot."""


def fix_row_zero(A):
    """Make row 0 of the 4x4 float array A a unit pivot row, in place, and return A."""
    for k in (1, 2, 3):
        if A[0, 0] != 0:
            break
        A[0] = A[0] + A[k]
    if A[0, 0] == 0:
        raise MatrixIsSingular("column 0 is all zeros")
    A[0] = A[0] / A[0, 0]
    return A


def fix_row_one(A):
    """Make row 1 of A a unit pivot row (row 0 already done), in place, and return A."""
    A[1] = A[1] - A[1, 0] * A[0]
    for k in (2, 3):
        if A[1, 1] != 0:
            break
        A[1] = A[1] + A[k]
        A[1] = A[1] - A[1, 0] * A[0]
    if A[1, 1] == 0:
        raise MatrixIsSingular("no non-zero pivot for row 1")
    A[1] = A[1] / A[1, 1]
    return A


# %% [markdown] question="q1"
# ## Question 1: row two
#
# Write `fix_row_two(A)`. It receives a $4 \times 4$ float array whose rows 0 and 1 are
# already in unit row-echelon form ($A_{00} = A_{11} = 1$, $A_{10} = 0$) and must:
#
# 1. clear columns 0 and 1 of row 2, using row 0 for column 0 and then row 1 for column 1
#    (think about why this order matters);
# 2. if the pivot $A_{22}$ is now zero, add row 3 to row 2 and clear columns 0 and 1
#    **again**;
# 3. if the pivot is still zero, raise `MatrixIsSingular`;
# 4. otherwise divide row 2 by its pivot.
#
# Change `A` in place (only row 2 changes) and return it, like the two functions above.

# %%
def fix_row_two(A):
    """Make row 2 of the 4x4 float array A a unit pivot row, in place, and return A.

    Rows 0 and 1 are already in unit row-echelon form. Raises MatrixIsSingular if no
    non-zero pivot can be found for row 2, even after adding row 3.
    """
    ...


# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: row three
#
# Write `fix_row_three(A)`. Rows 0, 1 and 2 are done. Clear columns 0, 1 and 2 of row 3
# (with rows 0, 1 and 2, in that order). There is no row left to borrow from, so if the pivot
# $A_{33}$ is then zero raise `MatrixIsSingular`; otherwise divide row 3 by its pivot.
# Change `A` in place and return it.

# %%
def fix_row_three(A):
    """Make row 3 of the 4x4 float array A a unit pivot row, in place, and return A.

    Rows 0, 1 and 2 are already in unit row-echelon form. Raises MatrixIsSingular if the
    pivot of row 3 is zero after clearing.
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# ## Putting the four steps together
#
# The driver below runs the four steps on a float copy of a $4 \times 4$ matrix. It returns
# the matrix as far as elimination got, and whether the matrix turned out to be singular.

# %%
def echelon_4x4(A):
    """Reduce a copy of the 4x4 matrix A; return (the reduced copy, whether A is singular)."""
    B = np.array(A, dtype=float)
    try:
        for step in (fix_row_zero, fix_row_one, fix_row_two, fix_row_three):
            step(B)
    except MatrixIsSingular:
        return B, True
    return B, False


# %% [markdown]
# Let us look at two matrices: the first is invertible and needs a borrowed row for its
# first pivot; in the second, the last row is the sum of the first two, so elimination gets
# stuck.

# %% tags=["otter_ignore"]
examples = {
    "invertible": np.array([[0, 2, 1, 3], [2, 4, 0, 1], [1, 1, 1, 0], [3, 0, 2, 2]]),
    "singular": np.array([[1, 2, 0, 1], [2, 1, 3, 1], [0, 3, 1, 1], [3, 3, 3, 2]]),
}
fig, axes = plt.subplots(2, 2, figsize=(8, 8))
for row, (label, M) in zip(axes, examples.items()):
    B, singular = echelon_4x4(M)
    for ax, data, title in [(row[0], M, f"{label}: A"),
                            (row[1], B, "after elimination" + (" (stuck)" if singular else ""))]:
        ax.imshow(data, cmap="RdBu_r", vmin=-4, vmax=4)
        for (i, j), v in np.ndenumerate(data):
            ax.text(j, i, f"{v + 0.0:.2g}", ha="center", va="center", fontsize=10)
        ax.set_title(title)
        ax.set_xticks(range(4))
        ax.set_yticks(range(4))
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Any size, and the trouble with `== 0`
#
# The same idea works for an $n \times n$ matrix, with one improvement that numerical
# libraries always make: **partial pivoting**. At step $k$, instead of borrowing a lower row
# only when the pivot is zero, look at column $k$ in rows $k, \dots, n-1$, pick the row whose
# entry is largest in absolute value, swap it into row $k$, and use it to clear column $k$
# in all the rows below. If even the largest candidate is zero, the first $k+1$ columns are
# linearly dependent and the matrix is singular. (We do not need ones on the diagonal to
# decide singularity, so dividing each row by its pivot is optional.)
#
# In exact arithmetic "zero" is clear. In floating point it is not: most decimals, like
# $0.1$, are not exactly representable in binary, so a row that *should* become zero usually
# becomes a row of tiny numbers around $10^{-16}$ instead. See for yourself:

# %%
print("0.1 + 0.2 - 0.3 =", 0.1 + 0.2 - 0.3)

M = np.array([[0.1, 0.3],
              [0.3, 0.9]])        # row 1 is exactly 3 times row 0, so M is singular
multiplier = M[1, 0] / M[0, 0]   # should be 3
print("multiplier:", multiplier)
print("pivot left in row 1:", M[1, 1] - multiplier * M[0, 1])

# %% [markdown]
# The second pivot should be $0$, but it comes out as about $2 \times 10^{-16}$. So in
# `is_singular` a pivot counts as zero when its absolute value is at most a small
# **tolerance** `tol` ($10^{-12}$ by default; the matrices we test have entries of size
# about one, so rounding errors stay far below it and genuine pivots far above it).

# %% [markdown] question="q3"
# ## Question 3: is it singular?
#
# Write `is_singular(A, tol=1e-12)` for a square array `A` of any size $n \ge 1$ (integer
# or float entries). Use elimination with row exchanges (partial pivoting as described
# above is a good choice) on a **float copy** of `A`: the caller's array must not change.
# Return `True` if at some step no pivot larger than `tol` in absolute value can be found,
# and `False` otherwise, as a Python (or numpy) bool.
#
# The point of this exercise is to do the elimination yourself: `np.linalg.det`,
# `slogdet`, `matrix_rank`, `inv`, `pinv`, `solve`, `lstsq`, `svd`, `eig`, `qr` and their
# relatives are not allowed in `is_singular` (nor in helpers it calls), and the tests check
# this. `np.argmax`, `np.abs` and ordinary array arithmetic are fine.

# %%
def is_singular(A, tol=1e-12):
    """Return True if the square matrix A is singular, by Gaussian elimination.

    A is an n x n array (integers or floats) and is not changed. A pivot whose absolute
    value is at most tol counts as zero.
    """
    ...


# %%
grader.check("q3")

# %% [markdown]
# ## Checking against numpy
#
# Outside the graded function we may use numpy's own tools to check our work. Below we draw
# random matrices with a fixed seed, make half of them singular by replacing one row with a
# combination of the others, and compare `is_singular` with `np.linalg.matrix_rank`.

# %% tags=["otter_ignore"]
rng = np.random.default_rng(2024)
agree, total = 0, 0
for trial in range(200):
    n = int(rng.integers(2, 8))
    M = rng.normal(size=(n, n))
    if trial % 2:
        i = int(rng.integers(n))
        others = np.delete(M, i, axis=0)
        M[i] = rng.uniform(-1, 1, size=n - 1) @ others
    agree += is_singular(M) == (np.linalg.matrix_rank(M) < n)
    total += 1
print(f"is_singular agrees with matrix_rank on {agree} of {total} random matrices")
