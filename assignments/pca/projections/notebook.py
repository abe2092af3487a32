# %% [markdown]
# # Orthogonal projections
#
# Principal component analysis, which you will build in the next assignment, rests on one
# idea: replace a data point by the *closest* point in a smaller subspace. "Closest" means an
# **orthogonal projection**, and this notebook is about computing those.
#
# You will write four short functions:
#
# 1. the projection matrix onto a line through the origin, and the projection of a vector onto it;
# 2. the projection matrix onto any subspace spanned by a few vectors, and the projection of a
#    vector onto it.
#
# At the end you will use them to approximate handwritten digits by combinations of a few
# "average digits".
#
# Throughout, vectors are NumPy arrays. Your functions should accept a vector either as a flat
# array of shape `(D,)` or as a column of shape `(D, 1)`.

# %%
import numpy as np
import matplotlib.pyplot as plt


# %% [markdown]
# ## Projecting onto a line
#
# Take a non-zero vector $\mathbf b \in \mathbb R^D$. The multiples $\lambda \mathbf b$ form a
# line $U$ through the origin. For a vector $\mathbf x$ we want the point
# $\pi_U(\mathbf x) = \lambda \mathbf b$ on that line that is nearest to $\mathbf x$.
#
# The nearest point is the one where the leftover piece $\mathbf x - \lambda \mathbf b$ meets
# the line at a right angle, so its inner product with $\mathbf b$ vanishes:
#
# $$
# \mathbf b^\top (\mathbf x - \lambda \mathbf b) = 0
# \quad\Longrightarrow\quad
# \lambda = \frac{\mathbf b^\top \mathbf x}{\mathbf b^\top \mathbf b} = \frac{\mathbf b^\top \mathbf x}{\lVert \mathbf b \rVert^2}.
# $$
#
# The number $\lambda$ is the **coordinate** of the projection with respect to $\mathbf b$; the
# projection itself is the *vector*
#
# $$
# \pi_U(\mathbf x) = \lambda\, \mathbf b = \frac{\mathbf b\, \mathbf b^\top}{\lVert \mathbf b \rVert^2}\, \mathbf x = \mathbf P_{\mathbf b}\, \mathbf x,
# \qquad
# \mathbf P_{\mathbf b} = \frac{\mathbf b\, \mathbf b^\top}{\mathbf b^\top \mathbf b} \in \mathbb R^{D \times D}.
# $$
#
# A few facts worth checking in your head:
#
# * $\mathbf b \mathbf b^\top$ is an outer product, a $D \times D$ matrix of rank one; the
#   denominator $\mathbf b^\top \mathbf b$ is a plain number.
# * Scaling $\mathbf b$ by any $c \neq 0$ does not change $\mathbf P_{\mathbf b}$: the line is the
#   same, and the $c^2$ cancels. Without the denominator it would not cancel.
# * $\mathbf P_{\mathbf b}$ is symmetric, and projecting twice changes nothing:
#   $\mathbf P_{\mathbf b}^2 = \mathbf P_{\mathbf b}$.
#
# **Worked example.** Let $\mathbf b = (2, 1)$ and $\mathbf x = (1, 2)$. Then
# $\mathbf b^\top \mathbf x = 4$ and $\lVert \mathbf b \rVert^2 = 5$, so $\lambda = 4/5$ and
# $\pi_U(\mathbf x) = \tfrac45 (2, 1) = (1.6,\ 0.8)$. The leftover piece is
# $\mathbf x - \pi_U(\mathbf x) = (-0.6,\ 1.2)$, and indeed
# $(2, 1) \cdot (-0.6, 1.2) = -1.2 + 1.2 = 0$. The matrix is
#
# $$
# \mathbf P_{\mathbf b} = \frac15 \begin{pmatrix} 4 & 2 \\ 2 & 1 \end{pmatrix}.
# $$
#
# The figure draws this example.

# %%
b_ex = np.array([2.0, 1.0])
x_ex = np.array([1.0, 2.0])
p_ex = 4 / 5 * b_ex  # the projection worked out above

# %% tags=["otter_ignore"]
fig, ax = plt.subplots(figsize=(5, 4.5))
t = np.linspace(-0.6, 1.4, 2)
ax.plot(t * b_ex[0], t * b_ex[1], color="0.6", lw=1, label="the line $U$ spanned by $b$")
ax.annotate("", xy=b_ex, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="C0", lw=2))
ax.annotate("", xy=x_ex, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="C3", lw=2))
ax.plot(*zip(x_ex, p_ex), "--", color="C2", label=r"residual $x - \pi_U(x)$")
ax.plot(*p_ex, "o", color="C2", label=r"projection $\pi_U(x)$")
# a small square marks the right angle between the residual and the line
u = b_ex / np.linalg.norm(b_ex)
v = (x_ex - p_ex) / np.linalg.norm(x_ex - p_ex)
s = 0.12
ax.plot(*zip(p_ex - s * u, p_ex - s * u + s * v, p_ex + s * v), color="k", lw=0.8)
ax.text(*(b_ex + [0.05, -0.15]), "$b$", color="C0", fontsize=13)
ax.text(*(x_ex + [0.05, 0.02]), "$x$", color="C3", fontsize=13)
ax.set_aspect("equal")
ax.set_xlim(-0.5, 2.6)
ax.set_ylim(-0.5, 2.4)
ax.grid(alpha=0.3)
ax.legend(loc="lower right", fontsize=9)
ax.set_title("Projecting $x = (1, 2)$ onto the line through $b = (2, 1)$")
plt.show()

# %% [markdown] question="q1"
# ## Question 1: projection onto a line
#
# Write `projection_matrix_1d(b)`, returning the $D \times D$ matrix $\mathbf P_{\mathbf b}$, and
# `project_1d(x, b)`, returning the projected **vector** $\pi_U(\mathbf x)$ of shape `(D,)`
# (not the coordinate $\lambda$). `project_1d` may use `projection_matrix_1d`.
#
# Both must accept `b` and `x` as flat arrays `(D,)` or as columns `(D, 1)`, possibly with an
# integer dtype, and must not change them. Hints: `np.asarray(b, dtype=float).reshape(-1, 1)`
# turns either shape into a float column; `u @ v.T` of two columns is their outer product; and
# `np.outer` flattens its arguments for you.

# %%
def projection_matrix_1d(b):
    """Matrix of the orthogonal projection onto the line spanned by b.

    b: a non-zero vector, shape (D,) or (D, 1).
    Returns a (D, D) float array P with P @ x the projection of x onto the line.
    """
    ...


# %%
def project_1d(x, b):
    """Orthogonal projection of x onto the line spanned by b.

    x, b: vectors of shape (D,) or (D, 1); b is non-zero.
    Returns the projected vector, shape (D,).
    """
    ...


# %%
grader.check("q1")

# %% [markdown]
# Check the facts from above on your own functions: $\mathbf P_{\mathbf b}$ does not depend on
# the length of $\mathbf b$, and projecting twice is the same as projecting once.

# %% tags=["otter_ignore"]
P_ex = projection_matrix_1d(b_ex)
if answered(q1=(P_ex, project_1d(x_ex, b_ex))):
    print("P_b for b = (2, 1):\n", P_ex)
    print("same matrix for b = (-20, -10):", np.allclose(P_ex, projection_matrix_1d(-10 * b_ex)))
    print("P @ P == P:", np.allclose(P_ex @ P_ex, P_ex))
    print("projection of x = (1, 2):", project_1d(x_ex, b_ex))

# %% [markdown]
# ## Projecting onto a subspace
#
# Now let the subspace $U$ be spanned by $M$ linearly independent vectors
# $\mathbf b_1, \dots, \mathbf b_M \in \mathbb R^D$, collected as the columns of a
# $D \times M$ matrix $\mathbf B$. A point of $U$ is $\mathbf B \boldsymbol\lambda$ for a
# coordinate vector $\boldsymbol\lambda \in \mathbb R^M$. As before, the nearest point is the
# one whose residual is orthogonal to the subspace, that is to *every* column of
# $\mathbf B$ at once:
#
# $$
# \mathbf B^\top (\mathbf x - \mathbf B \boldsymbol\lambda) = \mathbf 0
# \quad\Longrightarrow\quad
# \mathbf B^\top \mathbf B\, \boldsymbol\lambda = \mathbf B^\top \mathbf x
# \quad\Longrightarrow\quad
# \boldsymbol\lambda = (\mathbf B^\top \mathbf B)^{-1} \mathbf B^\top \mathbf x .
# $$
#
# These are the *normal equations*. The $M \times M$ matrix $\mathbf B^\top \mathbf B$ is
# invertible exactly because the columns are independent. The projection and its matrix are
#
# $$
# \pi_U(\mathbf x) = \mathbf B \boldsymbol\lambda = \mathbf P\, \mathbf x,
# \qquad
# \mathbf P = \mathbf B (\mathbf B^\top \mathbf B)^{-1} \mathbf B^\top \in \mathbb R^{D \times D}.
# $$
#
# With a single column this is the line formula again, since then
# $\mathbf B^\top \mathbf B = \lVert \mathbf b \rVert^2$. The inverse in the middle matters: only
# when the columns are **orthonormal** is $\mathbf B^\top \mathbf B = \mathbf I$ and
# $\mathbf P = \mathbf B \mathbf B^\top$. For columns that are merely independent,
# $\mathbf B \mathbf B^\top$ is not a projection, and neither is the sum of the projections onto
# the separate columns. The true $\mathbf P$ depends only on the subspace, not on which basis
# of it you pick.
#
# **Worked example.** In $\mathbb R^3$ take the plane spanned by $\mathbf b_1 = (1, 0, 1)$ and
# $\mathbf b_2 = (0, 1, 1)$, and the point $\mathbf x = (3, 0, 0)$.
#
# $$
# \mathbf B = \begin{pmatrix} 1 & 0 \\ 0 & 1 \\ 1 & 1 \end{pmatrix},\quad
# \mathbf B^\top \mathbf B = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix},\quad
# (\mathbf B^\top \mathbf B)^{-1} = \frac13 \begin{pmatrix} 2 & -1 \\ -1 & 2 \end{pmatrix},\quad
# \mathbf B^\top \mathbf x = \begin{pmatrix} 3 \\ 0 \end{pmatrix}.
# $$
#
# So $\boldsymbol\lambda = (2, -1)$ and $\pi_U(\mathbf x) = 2\mathbf b_1 - \mathbf b_2 = (2, -1, 1)$.
# The residual $(1, 1, -1)$ is orthogonal to both $\mathbf b_1$ and $\mathbf b_2$. Multiplying
# out gives
#
# $$
# \mathbf P = \frac13 \begin{pmatrix} 2 & -1 & 1 \\ -1 & 2 & 1 \\ 1 & 1 & 2 \end{pmatrix}.
# $$

# %%
B_ex = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
x3 = np.array([3.0, 0.0, 0.0])
p3 = B_ex @ np.array([2.0, -1.0])  # lambda = (2, -1) from the worked example

# %% tags=["otter_ignore"]
fig = plt.figure(figsize=(6, 5.5))
ax = fig.add_subplot(projection="3d")
s, t = np.meshgrid(np.linspace(-0.5, 3, 8), np.linspace(-1.8, 1.2, 8))
plane = B_ex[:, :1, None] * s + B_ex[:, 1:, None] * t  # the points s b1 + t b2
ax.plot_surface(*plane, alpha=0.2, color="C0", edgecolor="C0", lw=0.3)
for j, name in enumerate(["$b_1$", "$b_2$"]):
    ax.quiver(0, 0, 0, *B_ex[:, j], color="C0", lw=2, arrow_length_ratio=0.15)
    ax.text(*(B_ex[:, j] * 1.15), name, color="C0", fontsize=12)
ax.quiver(0, 0, 0, *x3, color="C3", lw=2, arrow_length_ratio=0.08)
ax.text(*(x3 + [0.15, 0, 0.1]), "$x$", color="C3", fontsize=12)
ax.quiver(0, 0, 0, *p3, color="C2", lw=1.5, arrow_length_ratio=0.1)
ax.plot(*zip(x3, p3), "--", color="C2", lw=2)
ax.scatter(*p3, color="C2", s=30)
ax.text(*(p3 + [0.1, 0, 0.2]), r"$\pi_U(x)$", color="C2", fontsize=12)
ax.set_box_aspect(np.ptp(plane.reshape(3, -1), axis=1) + [0.5, 0, 0])
ax.set_xlabel("$e_1$")
ax.set_ylabel("$e_2$")
ax.set_zlabel("$e_3$")
ax.view_init(elev=20, azim=-60)
ax.set_title("Projecting $x = (3, 0, 0)$ onto the plane spanned by $b_1, b_2$")
plt.show()

# %% [markdown] question="q2"
# ## Question 2: projection onto a subspace
#
# Write `projection_matrix_general(B)`, returning
# $\mathbf P = \mathbf B (\mathbf B^\top \mathbf B)^{-1} \mathbf B^\top$ for a $D \times M$
# matrix `B` with linearly independent columns ($M \le D$), and `project_general(x, B)`,
# returning the projected **vector** of shape `(D,)`, not the coordinates
# $\boldsymbol\lambda$. As before, `x` may be `(D,)` or `(D, 1)`, and neither function may
# change its arguments.
#
# Do not assume the columns are orthonormal or even orthogonal. Either `np.linalg.inv` or,
# better, `np.linalg.solve(B.T @ B, ...)` will handle the middle factor.

# %%
def projection_matrix_general(B):
    """Matrix of the orthogonal projection onto the span of the columns of B.

    B: a (D, M) array with linearly independent columns.
    Returns a (D, D) float array P with P @ x the projection of x onto the column space.
    """
    ...


# %%
def project_general(x, B):
    """Orthogonal projection of x onto the span of the columns of B.

    x: a vector of shape (D,) or (D, 1); B: a (D, M) array with independent columns.
    Returns the projected vector, shape (D,).
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# Try it on the worked example, and see that a different basis of the same plane, for instance
# $\mathbf b_1 + \mathbf b_2$ and $\mathbf b_1 - 2\mathbf b_2$, gives the same matrix, while
# $\mathbf B \mathbf B^\top$ does not.

# %% tags=["otter_ignore"]
P3 = projection_matrix_general(B_ex)
if answered(q2=(P3, project_general(x3, B_ex))):
    other_basis = B_ex @ np.array([[1.0, 1.0], [1.0, -2.0]])
    print("P =\n", np.round(P3 * 3, 10), "/ 3")
    print("projection of x:", project_general(x3, B_ex))
    print("same P from another basis:", np.allclose(P3, projection_matrix_general(other_basis)))
    print("B B^T equals P:", np.allclose(P3, B_ex @ B_ex.T))

# %% [markdown]
# ## Digits as combinations of average digits
#
# Projections work the same way in 64 dimensions as in 3. The file `digits.npz` beside this
# notebook holds the 1797 handwritten digits of the UCI "optical recognition of handwritten
# digits" data set, as bundled with scikit-learn (`sklearn.datasets.load_digits`); we saved them
# with NumPy so that nothing needs downloading. Each image has $8 \times 8$ pixels with grey
# levels from 0 to 16, so flattened it is a vector in $\mathbb R^{64}$.
#
# For a basis we take the **average image of each digit class**: ten vectors in
# $\mathbb R^{64}$, which are linearly independent. Projecting an image onto their span finds the
# combination of average digits that is closest to it in the Euclidean sense. With only the
# averages of 0, 1 and 7 as a basis the approximations are poor; with all ten they already
# capture the rough shape of every digit.

# %%
data = np.load("digits.npz")
images, labels = data["images"], data["labels"]
X = images.reshape(len(images), -1).astype(float)  # one 64-pixel row per image
class_means = np.stack([X[labels == k].mean(axis=0) for k in range(10)], axis=1)  # (64, 10)
print("data:", X.shape, " basis of class means:", class_means.shape)

# %% tags=["otter_ignore"]
fig, axes = plt.subplots(1, 10, figsize=(10, 1.4))
for k, ax in enumerate(axes):
    ax.imshow(class_means[:, k].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"mean {k}", fontsize=9)
    ax.axis("off")
plt.show()

# %% tags=["otter_ignore"]
examples = [np.flatnonzero(labels == k)[3] for k in range(10)]
small_basis = class_means[:, [0, 1, 7]]
in_span = project_general(X[examples[0]], small_basis)
if answered(q2=(projection_matrix_general(small_basis), in_span)):
    rows = {
        "original": X[examples],
        "onto means\nof 0, 1, 7": np.array([project_general(X[i], small_basis) for i in examples]),
        "onto all ten\nmeans": np.array([project_general(X[i], class_means) for i in examples]),
    }
    fig, axes = plt.subplots(3, 10, figsize=(10, 3.6))
    for r, (name, imgs) in enumerate(rows.items()):
        for c, img in enumerate(imgs):
            ax = axes[r, c]
            ax.imshow(np.reshape(img, (8, 8)), cmap="gray_r", vmin=0, vmax=16)
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0:
                ax.set_ylabel(name, fontsize=9)
    fig.suptitle("Handwritten digits and their projections onto spans of class-mean images")
    plt.show()

    for name, basis in [("means of 0, 1, 7", small_basis), ("all ten means", class_means)]:
        P = projection_matrix_general(basis)
        residual = X - X @ P  # P is symmetric, so each row x becomes (P x)^T = x^T P
        share = 1 - (residual**2).sum() / (X**2).sum()
        print(f"projection onto {name}: keeps {100 * share:.1f}% of the total squared length")

# %% [markdown]
# The projections onto all ten means keep most of each image, but not its individual
# strokes: that would take directions chosen to fit the variation *around* the average, not
# the averages themselves. Finding the best such directions is exactly what principal
# component analysis does, in the next assignment.
