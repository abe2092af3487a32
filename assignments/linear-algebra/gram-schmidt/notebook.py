# %% [markdown]
# # The Gram-Schmidt process
#
# Many calculations become easy in an **orthonormal basis**: a set of vectors that each have
# length one and are at right angles to each other. The coordinates of a vector in such a
# basis are just dot products, projections need no matrix inverse, and changing basis is a
# transpose. The Gram-Schmidt process turns any list of vectors into an orthonormal basis
# for the space they span, one vector at a time.
#
# In this assignment you will write the process for four vectors in $\mathbb{R}^4$, then for
# any number of vectors of any length, and finally use it to measure the **dimension** of
# the space that a set of vectors spans.
#
# The vectors used here are small examples written for this notebook, or random ones drawn
# with a fixed seed; no data files are needed.

# %%
import matplotlib.pyplot as plt
import numpy as np


VERY_SMALL = 1e-14   # a remainder shorter than this counts as zero

# %% [markdown]
# ## Projections: the one idea you need
#
# If $\mathbf{q}$ is a unit vector ($\|\mathbf{q}\| = 1$), the part of a vector $\mathbf{a}$
# that points along $\mathbf{q}$ is its **projection**
# $$\operatorname{proj}_{\mathbf{q}} \mathbf{a} = (\mathbf{q} \cdot \mathbf{a})\, \mathbf{q},$$
# and what is left, $\mathbf{a} - (\mathbf{q} \cdot \mathbf{a})\,\mathbf{q}$, is
# perpendicular to $\mathbf{q}$. (Check: its dot product with $\mathbf{q}$ is
# $\mathbf{q}\cdot\mathbf{a} - (\mathbf{q}\cdot\mathbf{a})(\mathbf{q}\cdot\mathbf{q}) = 0$.)
#
# ## The process
#
# Take the columns $\mathbf{a}_0, \mathbf{a}_1, \dots, \mathbf{a}_{n-1}$ of a matrix $A$, in
# order. For each column $j$:
#
# 1. subtract its projections onto all the unit vectors found so far:
#    $$\mathbf{r}_j = \mathbf{a}_j - \sum_{i < j} (\mathbf{q}_i \cdot \mathbf{a}_j)\,
#    \mathbf{q}_i ;$$
# 2. if the remainder $\mathbf{r}_j$ is (numerically) zero, $\mathbf{a}_j$ was already in the
#    span of the earlier columns and adds no new direction: record the **zero vector**,
#    $\mathbf{q}_j = \mathbf{0}$;
# 3. otherwise normalise it: $\mathbf{q}_j = \mathbf{r}_j / \|\mathbf{r}_j\|$.
#
# Each $\mathbf{q}_j$ is perpendicular to all earlier ones, has length one (or is zero), and
# $\mathbf{q}_0, \dots, \mathbf{q}_j$ span the same space as $\mathbf{a}_0, \dots,
# \mathbf{a}_j$. A zero vector contributes nothing to the sums, so it does no harm to keep
# it.
#
# In floating point a dependent column rarely leaves an exact zero: it leaves a remainder of
# size about $10^{-16}$. So "zero" here means $\|\mathbf{r}_j\| <$ `VERY_SMALL` $= 10^{-14}$.
#
# Two correct ways to compute $\mathbf{r}_j$ are in common use: the **classical** one, which
# computes every coefficient $\mathbf{q}_i \cdot \mathbf{a}_j$ from the original column, and
# the **modified** one, which subtracts one projection at a time and computes the next
# coefficient from the partly reduced vector. They agree in exact arithmetic; the modified
# one is less sensitive to rounding. Either is fine here.
#
# The figure shows the step for the second of two vectors in the plane.

# %% tags=["otter_ignore"]
a0, a1 = np.array([3.0, 1.0]), np.array([1.5, 2.5])
q0 = a0 / np.linalg.norm(a0)
proj = (q0 @ a1) * q0
r1 = a1 - proj
q1 = r1 / np.linalg.norm(r1)

fig, ax = plt.subplots(figsize=(6, 4.5))
arrows = [(a0, "tab:blue", "$a_0$", (0.1, 0.05)), (a1, "tab:orange", "$a_1$", (0.05, 0.1)),
          (q0, "navy", "$q_0$", (0.0, -0.35)), (q1, "darkred", "$q_1$", (-0.3, 0.05)),
          (proj, "tab:green", r"$(q_0 \cdot a_1)\, q_0$", (-0.2, -0.45))]
for v, colour, label, offset in arrows:
    ax.annotate("", xy=v, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=colour, lw=2))
    ax.text(v[0] + offset[0], v[1] + offset[1], label, color=colour, fontsize=12)
ax.annotate("", xy=a1, xytext=proj,
            arrowprops=dict(arrowstyle="->", color="tab:red", lw=2, linestyle="--"))
ax.text(*((a1 + proj) / 2 + [0.1, 0.0]), "$r_1$", color="tab:red", fontsize=12)
ax.set_xlim(-0.8, 3.6)
ax.set_ylim(-0.6, 3.0)
ax.set_aspect("equal")
ax.grid(alpha=0.3)
ax.set_title("One step: subtract the part along $q_0$, then normalise")
plt.show()

# %% [markdown]
# ### A worked example
#
# Let $\mathbf{a}_0 = (1, 1, 0)$, $\mathbf{a}_1 = (1, 0, 1)$ and $\mathbf{a}_2 = (2, 1, 1)$.
#
# * $\mathbf{q}_0 = \mathbf{a}_0 / \sqrt{2} = (1, 1, 0)/\sqrt{2}$.
# * $\mathbf{q}_0 \cdot \mathbf{a}_1 = 1/\sqrt{2}$, so
#   $\mathbf{r}_1 = (1, 0, 1) - \tfrac{1}{2}(1, 1, 0) = (\tfrac12, -\tfrac12, 1)$, with
#   length $\sqrt{3/2}$, and $\mathbf{q}_1 = (1, -1, 2)/\sqrt{6}$.
# * $\mathbf{q}_0 \cdot \mathbf{a}_2 = 3/\sqrt{2}$ and $\mathbf{q}_1 \cdot \mathbf{a}_2 =
#   3/\sqrt{6}$, so $\mathbf{r}_2 = (2, 1, 1) - \tfrac32 (1, 1, 0) - \tfrac12 (1, -1, 2) =
#   (0, 0, 0)$. Indeed $\mathbf{a}_2 = \mathbf{a}_0 + \mathbf{a}_1$, so $\mathbf{q}_2 =
#   \mathbf{0}$.
#
# The three vectors span only a plane: a space of dimension 2.

# %% [markdown] question="q1"
# ## Question 1: four vectors in four dimensions
#
# Write `gs_basis4(A)` for a $4 \times 4$ array `A`. Return a new $4 \times 4$ float array
# `B` whose column $j$ is $\mathbf{q}_j$: the Gram-Schmidt vector of column $j$ of `A`,
# taking the columns in order. A column whose remainder has norm below `VERY_SMALL` becomes
# a column of zeros (this applies to column 0 too: its remainder is the column itself).
#
# A few things to watch:
# * project onto the **new** unit vectors $\mathbf{q}_i$, not onto the original columns;
# * do not change `A` itself: start from a float copy, e.g. `B = np.array(A, dtype=float)`
#   (a plain `A.copy()` of an integer array would round your results to integers);
# * `np.linalg.norm(v)` gives the length of a vector, `u @ v` the dot product.
#
# Writing out the four columns one by one is perfectly fine here; you will write a loop in
# Question 2.

# %%
def gs_basis4(A):
    """Orthonormalise the four columns of the 4x4 array A, in order (Gram-Schmidt).

    Returns a new 4x4 float array whose columns are orthonormal, except that a column whose
    remainder has norm below VERY_SMALL is replaced by zeros. A is not changed.
    """
    ...


# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: any number of vectors
#
# Now write `gs_basis(A)` for an $m \times n$ array (any $m, n \ge 1$). The result has the
# same shape as `A`. Nothing changes in the mathematics: loop over the columns.
#
# Note that if $n > m$ (more vectors than dimensions), at most $m$ columns can be non-zero:
# once $m$ orthonormal vectors are found they span all of $\mathbb{R}^m$, and every later
# remainder is zero.

# %%
def gs_basis(A):
    """Orthonormalise the columns of the m x n array A, in order (Gram-Schmidt).

    Returns a new float array of the same shape as A whose non-zero columns are
    orthonormal; a column whose remainder has norm below VERY_SMALL is replaced by zeros.
    A is not changed.
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# ## Seeing the result
#
# Three hand-picked vectors in $\mathbb{R}^3$, before and after. The new vectors are at
# right angles and of unit length; the first points the same way as the first original
# vector, and the first two lie in the plane of the first two original vectors.

# %% tags=["otter_ignore"]
V = np.array([[1.2, 0.8, 0.5],
              [0.2, 0.9, 0.6],
              [0.1, 0.0, 0.9]])
Q = gs_basis(V)
if answered(q2=Q):
    fig = plt.figure(figsize=(10, 4.5))
    colours = ["tab:blue", "tab:orange", "tab:green"]
    for k, (M, title) in enumerate([(V, "columns of V"), (Q, "columns of gs_basis(V)")]):
        ax = fig.add_subplot(1, 2, k + 1, projection="3d")
        for j in range(3):
            ax.quiver(0, 0, 0, *M[:, j], color=colours[j], lw=2, arrow_length_ratio=0.1,
                      label=f"column {j}")
        ax.set_xlim(-0.2, 1.2)
        ax.set_ylim(-0.2, 1.2)
        ax.set_zlim(-0.2, 1.2)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_zlabel("z")
        ax.set_title(title)
        ax.legend(loc="upper left", fontsize=8)
    plt.tight_layout()
    plt.show()
    print("Q.T @ Q =\n", np.round(Q.T @ Q, 12))

# %% [markdown] question="q3"
# ## Question 3: the dimension of a span
#
# The number of non-zero columns that Gram-Schmidt returns is the number of independent
# directions among the columns of `A`: the **dimension** of the space they span (also called
# the **rank** of `A`).
#
# Write `dimensions(A)` that returns this number as an integer, using your `gs_basis`. A
# column of `gs_basis(A)` counts as non-zero if its norm is above `VERY_SMALL` (or simply if
# it has a non-zero entry, since the zeroed columns are exactly zero).
# `dimensions` is tested with your own `gs_basis`: if that fails its checks, the message here
# says so ("fix q2 first").

# %%
def dimensions(A):
    """Return the dimension of the space spanned by the columns of A, as an integer.

    Uses gs_basis: the number of non-zero columns it returns.
    """
    ...


# %%
grader.check("q3")

# %% [markdown]
# ## An orthonormal basis at a glance
#
# Below, `A` is a $6 \times 5$ matrix with random integer entries (fixed seed) whose column 3
# is column 0 minus twice column 2. Its Gram matrix $A^\top A$ (all dot products between
# columns) is full of large numbers. For $B = $ `gs_basis(A)`, $B^\top B$ is the identity,
# except for a zero where the dependent column was: it added no new direction, so the
# dimension is 4, not 5.

# %% tags=["otter_ignore"]
rng = np.random.default_rng(11)
A = rng.integers(-3, 4, size=(6, 5)).astype(float)
A[:, 3] = A[:, 0] - 2 * A[:, 2]
B = gs_basis(A)
if answered(q2=B, q3=dimensions(A)):
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    for ax, G, title in [(axes[0], A.T @ A, r"$A^\top A$"), (axes[1], B.T @ B, r"$B^\top B$")]:
        im = ax.imshow(G, cmap="RdBu_r", vmin=-np.abs(G).max(), vmax=np.abs(G).max())
        for (i, j), v in np.ndenumerate(np.round(G, 10)):
            colour = "white" if abs(v) > 0.6 * np.abs(G).max() else "black"
            ax.text(j, i, f"{v + 0.0:.3g}", ha="center", va="center", fontsize=9, color=colour)
        ax.set_title(title)
        ax.set_xlabel("column")
        ax.set_ylabel("column")
        fig.colorbar(im, ax=ax, shrink=0.8)
    plt.tight_layout()
    plt.show()
    print("dimensions(A) =", dimensions(A))
