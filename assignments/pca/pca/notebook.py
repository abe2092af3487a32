# %% [markdown]
# # Principal component analysis
#
# An $8 \times 8$ image of a handwritten digit is a point in $\mathbb R^{64}$, but the digits
# do not fill that space: neighbouring pixels move together, the border is almost always
# blank, and a "3" can only be written in so many ways. **Principal component analysis (PCA)**
# finds a low-dimensional subspace that holds as much of the data's variation as possible, and
# replaces every data point by its orthogonal projection onto that subspace.
#
# You will build PCA from its parts:
#
# 1. `normalize`: centre the data;
# 2. `eig`: eigenvalues and eigenvectors of the covariance matrix, largest first;
# 3. `projection_matrix`: the orthogonal projection onto a subspace (from the last assignment);
# 4. `pca`: put the pieces together and reconstruct the data from a few components;
# 5. `pca_high_dim`: the same result computed through a smaller matrix when there are fewer
#    data points than dimensions.
#
# **The data.** The file `digits.npz` beside this notebook holds the 1797 handwritten digits of
# the UCI "optical recognition of handwritten digits" data set, as bundled with scikit-learn
# (`sklearn.datasets.load_digits`). We saved them with NumPy so that nothing needs downloading.
# Each image has $8 \times 8$ pixels with grey levels from 0 (white) to 16 (black).

# %%
import numpy as np
import matplotlib.pyplot as plt


data = np.load("digits.npz")
images, labels = data["images"], data["labels"]
X = images.reshape(len(images), -1).astype(float)  # one row of 64 pixels per image
N, D = X.shape
print(f"{N} images with {D} pixels each")

# %% tags=["otter_ignore"]
fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for ax, img, lab in zip(axes.ravel(), images, labels):
    ax.imshow(img, cmap="gray_r", vmin=0, vmax=16)
    ax.set_title(str(lab), fontsize=9)
    ax.axis("off")
fig.suptitle("The first twenty digits of the data set")
plt.show()

# %% [markdown]
# ## Step 1: centring the data
#
# Throughout, the data matrix $\mathbf X \in \mathbb R^{N \times D}$ has one data point per
# row. PCA looks for directions of *variation*, so it first moves the origin to the mean
#
# $$
# \boldsymbol\mu = \frac1N \sum_{n=1}^N \mathbf x_n \in \mathbb R^D,
# \qquad
# \bar{\mathbf X} = \mathbf X - \mathbf 1 \boldsymbol\mu^\top ,
# $$
#
# that is, it subtracts $\boldsymbol\mu$ from every row. Some pipelines also divide each
# column by its standard deviation. We do **not**: all our pixels are measured on the same
# scale, and the pixels in the corners never change, so their standard deviation is zero and
# dividing by it would produce `nan`.
#
# **Worked example.** For the three points $(1, 2), (3, 6), (5, 10)$ the mean is $(3, 6)$ and the
# centred rows are $(-2, -4), (0, 0), (2, 4)$.

# %% [markdown] question="q1"
# ## Question 1: `normalize`
#
# Write `normalize(X)`, returning the pair `(Xbar, mu)`: the centred data, of the same shape as
# `X`, and the mean of the columns, of shape `(D,)`. Do not scale the columns, and do not change
# `X` itself (`X - mu` makes a new array; `X -= mu` would overwrite the caller's data).

# %%
def normalize(X):
    """Centre the data X, an (N, D) array with one data point per row.

    Returns (Xbar, mu): Xbar = X minus the mean of each column, shape (N, D), and the
    column means mu, shape (D,). The columns are not rescaled; X is left unchanged.
    """
    ...


# %%
grader.check("q1")

# %% [markdown]
# ## Step 2: the covariance matrix and its eigenvectors
#
# The covariance matrix of the data is
#
# $$
# \mathbf S = \frac1N \bar{\mathbf X}^\top \bar{\mathbf X} \in \mathbb R^{D \times D},
# $$
#
# dividing by $N$ (not $N - 1$; this is the covariance of the data set itself, as in the first
# assignment of this module). Project the centred data onto a unit vector $\mathbf b$: the
# coordinates are $\bar{\mathbf X} \mathbf b$, and their variance is
#
# $$
# \frac1N \lVert \bar{\mathbf X} \mathbf b \rVert^2 = \mathbf b^\top \mathbf S\, \mathbf b .
# $$
#
# Maximising this over unit vectors (with a Lagrange multiplier $\lambda$ for the constraint
# $\mathbf b^\top \mathbf b = 1$) gives $\mathbf S \mathbf b = \lambda \mathbf b$, and then the
# variance is $\mathbf b^\top \mathbf S \mathbf b = \lambda$. So the direction of largest
# variance is the eigenvector of $\mathbf S$ with the largest eigenvalue, the next best direction
# orthogonal to it is the eigenvector of the second largest eigenvalue, and so on. These
# eigenvectors are the **principal components**; the eigenvalues are the variances along them.
#
# Because $\mathbf S$ is symmetric, its eigenvalues are real and it has an orthonormal basis of
# eigenvectors. Three practical points:
#
# * `np.linalg.eigh` (for symmetric matrices) returns the eigenvalues in **ascending** order;
#   `np.linalg.eig` (for any square matrix) in no particular order. Either way, you sort.
# * NumPy returns the eigenvectors as the **columns** of a matrix: `vectors[:, i]` belongs to
#   `values[i]`. If you reorder the values, reorder the columns with them.
# * An eigenvector is only defined up to its sign: $-\mathbf b$ is as good as $\mathbf b$. The
#   tests accept either.
#
# **Worked example.** For $\mathbf S = \begin{pmatrix} 2 & 1 \\ 1 & 2 \end{pmatrix}$,
# $\mathbf S (1, 1)^\top = 3 (1, 1)^\top$ and $\mathbf S (1, -1)^\top = (1, -1)^\top$. Sorted and
# scaled to unit length: eigenvalues $(3, 1)$ and eigenvectors
# $\tfrac{1}{\sqrt2}(1, 1)$, $\tfrac{1}{\sqrt2}(1, -1)$ as the columns.

# %% [markdown] question="q2"
# ## Question 2: `eig`
#
# Write `eig(S)` for a symmetric matrix `S`, returning `(eigvals, eigvecs)`: the eigenvalues as
# a real array of shape `(D,)` sorted from the largest to the smallest (by value, not by size:
# $4 > 1 > -6$), and a $D \times D$ matrix whose columns are the matching unit-length
# eigenvectors. `np.argsort` gives the order that sorts an array.

# %%
def eig(S):
    """Eigenvalues and eigenvectors of a symmetric (D, D) matrix S, largest eigenvalue first.

    Returns (eigvals, eigvecs): eigvals of shape (D,) in decreasing order, and eigvecs of
    shape (D, D) whose column i is a unit eigenvector for eigvals[i].
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# ## Step 3: projecting onto the principal subspace
#
# Collect the first $M$ principal components as the columns of
# $\mathbf B \in \mathbb R^{D \times M}$. As in the previous assignment, the orthogonal
# projection onto the span of the columns of $\mathbf B$ has the matrix
#
# $$
# \mathbf P = \mathbf B (\mathbf B^\top \mathbf B)^{-1} \mathbf B^\top .
# $$
#
# For principal components the columns are orthonormal, so $\mathbf B^\top \mathbf B = \mathbf I$
# and $\mathbf P = \mathbf B \mathbf B^\top$, but your function should be correct for any basis
# with independent columns. Applied to data stored in rows, the projection of every row is
# $\bar{\mathbf X} \mathbf P^\top = \bar{\mathbf X} \mathbf P$, since $\mathbf P$ is symmetric.

# %% [markdown] question="q3"
# ## Question 3: `projection_matrix`
#
# Write `projection_matrix(B)` for a $D \times M$ matrix `B` with linearly independent columns,
# returning the $D \times D$ matrix of the orthogonal projection onto their span. Do not assume
# that the columns are orthonormal.

# %%
def projection_matrix(B):
    """Matrix of the orthogonal projection onto the span of the columns of B.

    B: a (D, M) array with linearly independent columns (not necessarily orthonormal).
    Returns a (D, D) array P = B (B^T B)^-1 B^T.
    """
    ...


# %%
grader.check("q3")

# %% [markdown]
# ## Step 4: PCA
#
# With the three pieces, PCA with $M$ components is:
#
# 1. centre the data: $\bar{\mathbf X}$ and $\boldsymbol\mu$;
# 2. form $\mathbf S = \frac1N \bar{\mathbf X}^\top \bar{\mathbf X}$ and find its eigenpairs, largest first;
# 3. keep the first $M$ eigenvalues (the **principal values**, the variances along the components)
#    and the first $M$ eigenvectors as the columns of $\mathbf B$ (the **principal components**);
# 4. reconstruct every point from its projection, moved back by the mean:
#    $\tilde{\mathbf X} = \bar{\mathbf X} \mathbf P + \mathbf 1 \boldsymbol\mu^\top$.
#
# Forgetting the mean in the last step is a classic slip: the projection of the *centred* data
# lives around the origin, while the data live around $\boldsymbol\mu$.
#
# **Worked example.** Take the four points $(2, 1), (4, -1), (6, 5), (8, 3)$. Their mean is
# $\boldsymbol\mu = (5, 2)$ and the centred points are $(-3, -1), (-1, -3), (1, 3), (3, 1)$. Then
#
# $$
# \mathbf S = \frac14 \begin{pmatrix} 9+1+1+9 & 3+3+3+3 \\ 3+3+3+3 & 1+9+9+1 \end{pmatrix}
# = \begin{pmatrix} 5 & 3 \\ 3 & 5 \end{pmatrix},
# $$
#
# with eigenvalues $8$ and $2$ and eigenvectors $\tfrac1{\sqrt2}(1, 1)$ and
# $\tfrac1{\sqrt2}(1, -1)$. With one component, the centred points project to
# $(-2, -2), (-2, -2), (2, 2), (2, 2)$, and adding the mean back gives the reconstruction
# $(3, 0), (3, 0), (7, 4), (7, 4)$. (Dividing by $N - 1 = 3$ instead would have given the
# principal value $32/3$, not $8$.)

# %%
X_ex = np.array([[2.0, 1.0], [4.0, -1.0], [6.0, 5.0], [8.0, 3.0]])
mu_ex = X_ex.mean(axis=0)
u_ex = np.array([1.0, 1.0]) / np.sqrt(2)  # first principal component from the worked example
rec_ex = (X_ex - mu_ex) @ np.outer(u_ex, u_ex) + mu_ex

# %% tags=["otter_ignore"]
fig, ax = plt.subplots(figsize=(5.5, 4.5))
t = np.array([-5.0, 5.0])
ax.plot(mu_ex[0] + t * u_ex[0], mu_ex[1] + t * u_ex[1], color="0.6", lw=1,
        label="first principal axis through the mean")
for x, r in zip(X_ex, rec_ex):
    ax.plot(*zip(x, r), "--", color="C2", lw=1)
ax.plot(*X_ex.T, "o", color="C3", label="data")
ax.plot(*rec_ex.T, "s", color="C2", mfc="none", ms=9, label="reconstruction, $M = 1$")
ax.plot(*mu_ex, "k+", ms=12, mew=2, label=r"mean $\mu$")
ax.set_aspect("equal")
ax.grid(alpha=0.3)
ax.legend(fontsize=8, loc="lower right")
ax.set_title("PCA with one component on four points")
plt.show()

# %% [markdown] question="q4"
# ## Question 4: `pca`
#
# Write `pca(X, num_components)` for data `X` of shape `(N, D)`, returning the tuple
# `(reconst, mean, principal_values, principal_components)` with shapes `(N, D)`, `(D,)`,
# `(M,)` and `(D, M)`, where `M = num_components`. Divide the covariance by $N$. The principal
# components are unit-length columns. Use your `normalize`, `eig` and `projection_matrix`.
#
# `pca` is tested with your own earlier functions, so a mistake in Questions 1 to 3 makes
# these checks fail too. When one of them fails its own checks, the message names it
# ("fix q1 first"): start there.

# %%
def pca(X, num_components):
    """Principal component analysis of X (N, D) with M = num_components components.

    Returns (reconst, mean, principal_values, principal_components):
    reconst (N, D): every data point projected onto the principal subspace, mean added back;
    mean (D,): the mean of the data;
    principal_values (M,): the M largest eigenvalues of the covariance (divided by N);
    principal_components (D, M): the matching unit eigenvectors, as columns.
    """
    ...


# %%
grader.check("q4")

# %% [markdown]
# ## PCA on the digits
#
# The first principal components, drawn as images, show the pixel patterns along which the
# digits vary the most. Each is a pattern of pixels that get darker (one colour) while others
# get lighter (the other colour); their signs are arbitrary.

# %% tags=["otter_ignore"]
if answered(q4=pca(X, 8)):
    _, mean_digit, values, components = pca(X, 8)
    fig, axes = plt.subplots(1, 9, figsize=(11, 1.8))
    axes[0].imshow(mean_digit.reshape(8, 8), cmap="gray_r")
    axes[0].set_title("mean", fontsize=9)
    for i, ax in enumerate(axes[1:]):
        c = components[:, i].reshape(8, 8)
        lim = np.abs(c).max()
        ax.imshow(c, cmap="RdBu", vmin=-lim, vmax=lim)
        ax.set_title(f"PC {i + 1}\nvariance {values[i]:.0f}", fontsize=8)
    for ax in axes:
        ax.axis("off")
    plt.show()

# %% [markdown]
# Each digit is now approximated by the mean plus a combination of the first $M$ components.
# With one or two components every digit looks like a blurred average; by ten or twenty the
# individual digits are easy to read, although we keep less than a third of the 64 numbers.

# %% tags=["otter_ignore"]
counts = [1, 2, 5, 10, 20]
shown = [np.flatnonzero(labels == k)[0] for k in (0, 2, 3, 4, 7, 9)]
if answered(q4=pca(X, 1)):
    fig, axes = plt.subplots(len(shown), len(counts) + 1, figsize=(7, 7.5))
    for j, m in enumerate(counts):
        reconst = pca(X, m)[0]
        for i, n in enumerate(shown):
            axes[i, j].imshow(reconst[n].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        axes[0, j].set_title(f"{m} comp.", fontsize=9)
    for i, n in enumerate(shown):
        axes[i, -1].imshow(images[n], cmap="gray_r", vmin=0, vmax=16)
    axes[0, -1].set_title("original", fontsize=9)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("Reconstructions with a growing number of principal components")
    plt.show()

# %% [markdown]
# How good is the approximation? The mean squared reconstruction error,
#
# $$
# \frac1N \sum_{n=1}^N \lVert \mathbf x_n - \tilde{\mathbf x}_n \rVert^2 ,
# $$
#
# has a neat closed form: it is the sum of the eigenvalues that were left out,
# $\sum_{i > M} \lambda_i$, because each discarded direction takes its variance with it. The
# figure computes the error directly and compares it with that sum; the right-hand panel shows
# the fraction of the total variance the first $M$ components keep.

# %% tags=["otter_ignore"]
if answered(q4=pca(X, 1)):
    all_values = pca(X, D)[2]
    ms = np.arange(1, D + 1)
    measured_at = [1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 35, 40, 45, 50]
    errors = [np.mean(np.sum((X - pca(X, m)[0]) ** 2, axis=1)) for m in measured_at]
    left_out = [all_values[m:].sum() for m in ms]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    ax1.plot(ms, left_out, "-", color="C1",
             label=r"sum of left-out eigenvalues $\sum_{i>M}\lambda_i$")
    ax1.plot(measured_at, errors, "o", ms=5, label="measured error")
    ax1.set_ylim(bottom=0)
    ax1.set_xlabel("number of components $M$")
    ax1.set_ylabel("mean squared reconstruction error")
    ax1.legend()
    ax1.grid(alpha=0.3)
    ax2.plot(ms, np.cumsum(all_values) / all_values.sum(), "-o", ms=3)
    ax2.axhline(0.9, color="0.5", ls=":")
    ax2.set_xlabel("number of components $M$")
    ax2.set_ylabel("fraction of the variance kept")
    ax2.grid(alpha=0.3)
    fig.suptitle("Reconstruction error of the digits against the number of components")
    plt.show()
    print("components needed for 90% of the variance:",
          int(np.searchsorted(np.cumsum(all_values) / all_values.sum(), 0.9) + 1))

# %% [markdown]
# Two components are too few to reconstruct a digit, but they are enough to draw the whole
# data set. Each digit below is placed at its coordinates $\mathbf B^\top(\mathbf x_n - \boldsymbol\mu)$
# along the first two components and coloured by its label: several classes already form
# their own clusters, without PCA ever seeing the labels.

# %% tags=["otter_ignore"]
if answered(q4=pca(X, 2)):
    _, mu_all, _, B2 = pca(X, 2)
    Z = (X - mu_all) @ B2
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    sc = ax.scatter(Z[:, 0], Z[:, 1], c=labels, cmap="tab10", s=8)
    fig.colorbar(sc, ax=ax, ticks=range(10), label="digit")
    ax.set_xlabel("coordinate along PC 1")
    ax.set_ylabel("coordinate along PC 2")
    ax.set_title("The digits in the plane of the first two principal components")
    plt.show()

# %% [markdown]
# ## Step 5: PCA when there are fewer points than dimensions
#
# Step 2 diagonalises a $D \times D$ matrix, which costs about $D^3$ operations. For images with
# many pixels and comparatively few examples ($N < D$) there is a cheaper route through the
# $N \times N$ matrix
#
# $$
# \mathbf K = \frac1N \bar{\mathbf X} \bar{\mathbf X}^\top .
# $$
#
# Suppose $\mathbf K \mathbf u = \lambda \mathbf u$ with $\lambda > 0$. Multiply by
# $\bar{\mathbf X}^\top$ on the left:
#
# $$
# \underbrace{\frac1N \bar{\mathbf X}^\top \bar{\mathbf X}}_{\mathbf S}\; (\bar{\mathbf X}^\top \mathbf u)
# = \lambda\, (\bar{\mathbf X}^\top \mathbf u).
# $$
#
# So $\mathbf b = \bar{\mathbf X}^\top \mathbf u$ is an eigenvector of $\mathbf S$ with the
# **same** eigenvalue. It is not of unit length, though: for a unit $\mathbf u$,
# $\lVert \bar{\mathbf X}^\top \mathbf u \rVert^2 = \mathbf u^\top \bar{\mathbf X} \bar{\mathbf X}^\top \mathbf u = N \lambda$,
# so divide it by its norm. (The non-zero eigenvalues of $\mathbf S$ and $\mathbf K$ are the
# same; $\mathbf S$ just has $D - N$ or more extra zeros.)
#
# **Worked example.** The three points $(3, 2, 5, 4), (0, 3, 2, 5), (0, 1, 2, 3)$ in
# $\mathbb R^4$ have mean $(1, 2, 3, 4)$ and centred rows $(2, 0, 2, 0)$, $(-1, 1, -1, 1)$,
# $(-1, -1, -1, -1)$. Their inner products give
#
# $$
# \mathbf K = \frac13 \begin{pmatrix} 8 & -4 & -4 \\ -4 & 4 & 0 \\ -4 & 0 & 4 \end{pmatrix},
# $$
#
# with $\mathbf K (2, -1, -1)^\top = 4 \cdot (2, -1, -1)^\top$ and
# $\mathbf K (0, 1, -1)^\top = \tfrac43 (0, 1, -1)^\top$. Mapping back,
# $\bar{\mathbf X}^\top (2, -1, -1)^\top = (6, 0, 6, 0)$, which scales to the first principal
# component $\tfrac1{\sqrt2}(1, 0, 1, 0)$ with principal value $4$; the second is
# $\tfrac1{\sqrt2}(0, 1, 0, 1)$ with principal value $\tfrac43$.

# %% [markdown] question="q5"
# ## Question 5: `pca_high_dim`
#
# Write `pca_high_dim(X, num_components)` for data with $N < D$. It returns the same tuple as
# `pca`, with the same shapes and values, but finds the eigenvectors of the $N \times N$ matrix
# $\mathbf K$ (divided by $N$) and maps them to unit-length principal components. You may use
# `normalize`, `eig` and `projection_matrix`; do not form the $D \times D$ covariance matrix.
# As for `pca`, a failing earlier function is named in the message: fix it first.

# %%
def pca_high_dim(X, num_components):
    """PCA of X (N, D) with N < D through the N x N matrix Xbar Xbar^T / N.

    Returns (reconst, mean, principal_values, principal_components) with the same meaning
    and shapes as pca: (N, D), (D,), (M,), (D, M), with unit-length components.
    """
    ...


# %%
grader.check("q5")

# %% [markdown]
# Both routes give the same answer. To see when the second one pays off, we blow the digits up
# to $32 \times 32$ pixels (each pixel becomes a $4 \times 4$ block, so $D = 1024$) and take
# $N = 300$ of them. The timings depend on your computer, but the $N \times N$ route should win
# clearly.

# %% tags=["otter_ignore"]
import time

big = np.kron(images[:300], np.ones((4, 4))).reshape(300, -1)
if answered(q4=pca(X, 1), q5=pca_high_dim(X[:20], 1)):
    start = time.perf_counter()
    result_d = pca(big, 10)
    time_d = time.perf_counter() - start
    start = time.perf_counter()
    result_n = pca_high_dim(big, 10)
    time_n = time.perf_counter() - start
    print(f"data: {big.shape[0]} images of {big.shape[1]} pixels")
    print(f"pca through the {big.shape[1]} x {big.shape[1]} matrix: {time_d:.3f} s")
    print(f"pca_high_dim through the {big.shape[0]} x {big.shape[0]} matrix: {time_n:.3f} s")
    print("same principal values:", np.allclose(result_d[2], result_n[2]))
    print("same reconstructions:", np.allclose(result_d[0], result_n[0]))
