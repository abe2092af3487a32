# %% [markdown]
# # Mean and covariance of a data set
#
# Principal component analysis starts from two summaries of a data set: where the data sit
# (the **mean**) and how they spread around that point (the **covariance**). In this
# exercise you compute both, first with plain loops so that every step of the definition is
# visible, then with matrix operations that do the same work many times faster. Finally you
# work out what happens to the mean and the covariance when every data point goes through
# the same affine map $x \mapsto Ax + b$.
#
# **Conventions.** A data set of $N$ points in $\mathbb{R}^D$ is stored as a matrix `X` of
# shape `(N, D)`: one row per data point, one column per feature. Vectors are 1-D arrays of
# shape `(D,)`.
#
# **The data.** We use the UCI handwritten digits as bundled with scikit-learn
# (`sklearn.datasets.load_digits`): 1797 greyscale images of 8 x 8 pixels, each pixel an
# integer from 0 (white) to 16 (black). The file `digits.npz` beside this notebook holds a
# copy of them (`images` and `labels`), so you only need numpy to read it. Flattening an
# image row by row turns it into a point of $\mathbb{R}^{64}$.

# %%
import numpy as np
import matplotlib.pyplot as plt


# %% tags=["otter_ignore"]
data = np.load("digits.npz")
images, labels = data["images"], data["labels"]
X_digits = images.reshape(len(images), -1).astype(float)  # shape (1797, 64)
print("images:", images.shape, images.dtype, " data matrix:", X_digits.shape)

fig, axes = plt.subplots(2, 8, figsize=(8, 2.4))
for ax, img, lab in zip(axes.flat, images, labels):
    ax.imshow(img, cmap="gray_r", vmin=0, vmax=16)
    ax.set_title(str(lab), fontsize=9)
    ax.axis("off")
fig.suptitle("The first sixteen digits of the data set")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## The mean
#
# The mean of the data points $x_1, \dots, x_N \in \mathbb{R}^D$ is the vector
#
# $$\bar{x} = \frac{1}{N} \sum_{n=1}^{N} x_n \in \mathbb{R}^D .$$
#
# It is computed one feature at a time: the $d$-th entry of $\bar{x}$ is the average of
# column $d$ of `X`. So the mean of an `(N, D)` matrix is a vector of length $D$, one
# number per *column*, not one per row.
#
# ## The covariance
#
# The covariance matrix measures how the features vary together around the mean:
#
# $$S = \frac{1}{N} \sum_{n=1}^{N} (x_n - \bar{x})(x_n - \bar{x})^\top \in \mathbb{R}^{D \times D}.$$
#
# Each term $(x_n - \bar{x})(x_n - \bar{x})^\top$ is an outer product, a $D \times D$
# matrix. The diagonal entry $S_{dd}$ is the variance of feature $d$; the off-diagonal entry
# $S_{de}$ is positive when features $d$ and $e$ tend to be above their means together, and
# negative when one tends to be above its mean while the other is below. $S$ is symmetric.
#
# If we stack the *centred* points $x_n - \bar{x}$ as the rows of a matrix $\bar{X}$, the
# sum of outer products is a single matrix product:
#
# $$S = \frac{1}{N} \bar{X}^\top \bar{X}.$$
#
# Two details matter. First, the points must be centred: $\frac{1}{N} X^\top X$ without
# subtracting the mean is a different matrix (it mixes in $\bar{x}\bar{x}^\top$). Second,
# we divide by $N$: this is the covariance of the data set itself (the *population*
# covariance). Statistics courses often divide by $N - 1$ to estimate the covariance of a
# larger population from a sample; that is not what we want here.
#
# ### A worked example
#
# Take three points in $\mathbb{R}^2$, the rows of
#
# $$X = \begin{bmatrix} 1 & 2 \\ 3 & 0 \\ 5 & 4 \end{bmatrix}.$$
#
# The mean is $\bar{x} = \frac13 \big( (1,2) + (3,0) + (5,4) \big) = (3, 2)$. The centred
# points are $(-2, 0)$, $(0, -2)$ and $(2, 2)$, so
#
# $$S = \frac{1}{3}\left(
# \begin{bmatrix} 4 & 0 \\ 0 & 0 \end{bmatrix} +
# \begin{bmatrix} 0 & 0 \\ 0 & 4 \end{bmatrix} +
# \begin{bmatrix} 4 & 4 \\ 4 & 4 \end{bmatrix}\right)
# = \frac{1}{3}\begin{bmatrix} 8 & 4 \\ 4 & 8 \end{bmatrix}.$$
#
# Both features have variance $8/3$, and their covariance $4/3$ is positive: in this little
# data set, a large first coordinate comes with a large second one.
#
# The figure below shows what a covariance matrix looks like as a shape: 400 points drawn
# around the mean $(1, 2)$ with a covariance whose off-diagonal entry is positive. The
# ellipse marks the points at "two standard deviations" from the mean; its axes point along
# the eigenvectors of $S$ (that observation is where PCA will begin).

# %% tags=["otter_ignore"]
def ellipse_points(center, S, scale=2.0, num=100):
    """Points of the ellipse {center + scale * S^(1/2) u : |u| = 1}, for plotting."""
    vals, vecs = np.linalg.eigh(S)
    t = np.linspace(0, 2 * np.pi, num)
    circle = np.stack([np.cos(t), np.sin(t)])
    return (np.asarray(center).reshape(2, 1) + scale * vecs @ (np.sqrt(vals)[:, None] * circle)).T


rng = np.random.default_rng(2024)
true_mean = np.array([1.0, 2.0])
true_cov = np.array([[2.0, 1.2], [1.2, 1.0]])
cloud = rng.multivariate_normal(true_mean, true_cov, size=400)

fig, ax = plt.subplots(figsize=(5, 4))
ax.scatter(cloud[:, 0], cloud[:, 1], s=6, alpha=0.5, label="data points")
ax.plot(*true_mean, "r+", markersize=14, mew=2, label="mean")
ax.plot(*ellipse_points(true_mean, true_cov).T, "r-", label="2 standard deviations")
ax.set_aspect("equal")
ax.set_xlabel("feature 1")
ax.set_ylabel("feature 2")
ax.legend(loc="upper left", fontsize=8)
ax.set_title("A point cloud, its mean and its covariance")
plt.show()

# %% [markdown]
# ## The effect of an affine map
#
# Suppose every point goes through the same map $y_n = A x_n + b$, with a $D \times D$
# matrix $A$ and a vector $b \in \mathbb{R}^D$ (for images: change the contrast with $A$,
# the brightness with $b$). Because sums and constant factors pass through a linear map,
#
# $$\bar{y} = \frac{1}{N}\sum_n (A x_n + b) = A\bar{x} + b .$$
#
# For the covariance, the shift cancels: $y_n - \bar{y} = A(x_n - \bar{x})$. Hence
#
# $$S_y = \frac{1}{N}\sum_n A (x_n - \bar{x})(x_n - \bar{x})^\top A^\top = A S A^\top .$$
#
# A shift moves the data but does not change their spread, so $b$ does not appear in $S_y$.
# Check the order of the factors with the shapes: $A$ acts on column vectors, so $A$ comes
# first and $A^\top$ last. For example, doubling every pixel and adding 1 ($A = 2I$,
# $b = \mathbf{1}$) doubles the mean and adds 1, but multiplies the covariance by 4.
#
# ## Your tasks
#
# Five questions follow. The graded functions must not change their arguments, and `X` may
# hold integers (like pixel values): the results are always floating point arrays.

# %% [markdown] question="q1"
# ## Question 1: the mean, with a loop
#
# Write `mean_naive(X)`, which computes the mean of the rows of `X` by going through the
# data points one at a time in a Python `for` loop and adding them up. Use the loop rather
# than `np.mean` or `np.sum` here: the point is to see the definition at work. It returns a vector of
# shape `(D,)`.

# %%
def mean_naive(X):
    """Mean of the rows of X, computed with a loop over the data points.

    X: array of shape (N, D), one data point per row (may hold integers).
    Returns: array of shape (D,), the average of the N rows.
    """
    ...

# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: the mean, vectorised
#
# Write `mean(X)`, which returns the same vector without a Python loop over the data
# points. Numpy functions that work along an axis are the tool here; take care to average
# over the right one.

# %%
def mean(X):
    """Mean of the rows of X, without a Python loop over the data points.

    X: array of shape (N, D), one data point per row (may hold integers).
    Returns: array of shape (D,), the average of the N rows.
    """
    ...

# %%
grader.check("q2")

# %% [markdown]
# ### The mean digit
#
# The mean of all 1797 images is an image too: each pixel is the average ink at that
# position. Averaging over each class separately gives a blurred "typical" version of each
# digit. (This cell uses your `mean`; it is not graded.)

# %% tags=["otter_ignore"]
if answered(q2=mean(X_digits)):
    fig, axes = plt.subplots(1, 11, figsize=(11, 1.6))
    axes[0].imshow(mean(X_digits).reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
    axes[0].set_title("all", fontsize=9)
    for digit in range(10):
        axes[digit + 1].imshow(mean(X_digits[labels == digit]).reshape(8, 8), cmap="gray_r",
                               vmin=0, vmax=16)
        axes[digit + 1].set_title(str(digit), fontsize=9)
    for ax in axes:
        ax.axis("off")
    fig.suptitle("The mean image, over all digits and per class")
    plt.show()

# %% [markdown] question="q3"
# ## Question 3: the covariance, with a loop
#
# Write `cov_naive(X)`, which computes the covariance matrix $S$ (dividing by $N$) from the
# definition: compute the mean, then go through the data points in a `for` loop and add up
# the outer products of the centred points (`np.outer` is allowed). It returns an array of
# shape `(D, D)`.

# %%
def cov_naive(X):
    """Covariance matrix of the rows of X (dividing by N), with a loop over the data points.

    X: array of shape (N, D), one data point per row (may hold integers).
    Returns: array of shape (D, D), the symmetric matrix (1/N) sum_n (x_n - m)(x_n - m)^T
    where m is the mean of the rows.
    """
    ...

# %%
grader.check("q3")

# %% [markdown] question="q4"
# ## Question 4: the covariance, vectorised
#
# Write `cov(X)`, which returns the same matrix with matrix operations and no Python loop
# over the data points: centre the data, then use the formula
# $S = \frac{1}{N}\bar{X}^\top \bar{X}$. (Numpy's `np.cov(X, rowvar=False, bias=True)`
# computes the same matrix; use it to check your work, not as your answer.) Do not change
# `X` itself while centring it.

# %%
def cov(X):
    """Covariance matrix of the rows of X (dividing by N), without a loop over data points.

    X: array of shape (N, D), one data point per row (may hold integers).
    Returns: array of shape (D, D), the same matrix as cov_naive(X).
    """
    ...

# %%
grader.check("q4")

# %% [markdown]
# ### Three views of the digits' covariance
#
# The covariance of the digit images is a $64 \times 64$ matrix. Left: the matrix itself.
# Middle: its diagonal, the variance of each pixel, folded back into an $8 \times 8$ image:
# the border pixels hardly ever change, the centre varies most. Right: one row of $S$,
# the covariance of the pixel marked with a cross with every other pixel, divided by the
# standard deviations to give correlations between $-1$ and $1$.

# %% tags=["otter_ignore"]
S_digits = cov(X_digits)
if answered(q4=S_digits):
    pixel = 3 * 8 + 2  # row 3, column 2 of the image
    std = np.sqrt(np.diag(S_digits))
    corr_row = S_digits[pixel] / np.where(std > 0, std * std[pixel], np.inf)

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    im = axes[0].imshow(S_digits, cmap="RdBu_r", vmin=-np.abs(S_digits).max(),
                        vmax=np.abs(S_digits).max())
    axes[0].set_title("covariance matrix S (64 x 64)")
    axes[0].set_xlabel("pixel index")
    axes[0].set_ylabel("pixel index")
    fig.colorbar(im, ax=axes[0], fraction=0.046)
    im = axes[1].imshow(np.diag(S_digits).reshape(8, 8), cmap="viridis")
    axes[1].set_title("variance of each pixel")
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    im = axes[2].imshow(corr_row.reshape(8, 8), cmap="RdBu_r", vmin=-1, vmax=1)
    axes[2].plot(pixel % 8, pixel // 8, "kx", markersize=10, mew=2)
    axes[2].set_title("correlation with the marked pixel")
    fig.colorbar(im, ax=axes[2], fraction=0.046)
    for ax in axes[1:]:
        ax.set_xticks([])
        ax.set_yticks([])
    plt.tight_layout()
    plt.show()
    print("agrees with np.cov:", np.allclose(S_digits, np.cov(X_digits, rowvar=False, bias=True)))

# %% [markdown]
# ### How much faster is the vectorised code?
#
# The loops and the matrix operations do the same arithmetic, but a Python loop pays for
# every step in the interpreter, while numpy runs the whole computation in compiled code.
# The figure times both versions on the first $N$ digit images, for growing $N$ (both axes
# are logarithmic). Both grow roughly in proportion to $N$; the gap between them is the
# price of the interpreter.

# %% tags=["otter_ignore"]
import time


def best_time(func, X, repeats=3):
    """The fastest of a few runs of func(X), in seconds."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        func(X)
        best = min(best, time.perf_counter() - start)
    return best


sizes = [10, 30, 100, 300, 1000, len(X_digits)]
timings = {f.__name__: [best_time(f, X_digits[:n]) for n in sizes]
           for f in (mean_naive, mean, cov_naive, cov)}

fig, ax = plt.subplots(figsize=(6, 4))
for name, style in [("mean_naive", "o--"), ("mean", "o-"), ("cov_naive", "s--"), ("cov", "s-")]:
    ax.loglog(sizes, timings[name], style, label=name)
ax.set_xlabel("number of images N")
ax.set_ylabel("time (seconds)")
ax.set_title("Loops against vectorised code")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown] question="q5"
# ## Question 5: mean and covariance after an affine map
#
# Write `affine_mean(mean, A, b)` and `affine_covariance(S, A, b)`. Given the mean `mean`
# (shape `(D,)`) and the covariance `S` (shape `(D, D)`) of a data set, they return the mean
# and the covariance of the data set after every point $x$ is replaced by $Ax + b$. Use the
# formulas above: you do not need the data points themselves. (`affine_covariance` receives
# `b` so that both functions take the same arguments; think about whether it needs it.)

# %%
def affine_mean(mean, A, b):
    """Mean of the data after the map x -> A x + b.

    mean: array (D,), the mean of the original data; A: array (D, D); b: array (D,).
    Returns: array (D,).
    """
    ...


def affine_covariance(S, A, b):
    """Covariance of the data after the map x -> A x + b.

    S: array (D, D), the covariance of the original data; A: array (D, D); b: array (D,).
    Returns: array (D, D).
    """
    ...

# %%
grader.check("q5")

# %% [markdown]
# ### Seeing the formulas at work
#
# We map the point cloud from the beginning through a matrix $A$ that turns and squeezes it,
# and a shift $b$.
# The crosses and ellipses drawn in colour come from the data (your `mean` and `cov` of the
# points); the dashed black ones on the right come from your `affine_mean` and
# `affine_covariance`, which never saw the mapped points. They should coincide.

# %% tags=["otter_ignore"]
A_demo = np.array([[0.6, -1.2], [0.9, 0.3]])
b_demo = np.array([4.0, -3.0])
mapped = cloud @ A_demo.T + b_demo

if answered(
    q2=mean(cloud),
    q4=cov(cloud),
    q5=(affine_mean(np.zeros(2), A_demo, b_demo),
        affine_covariance(np.eye(2), A_demo, b_demo)),
):
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
    panels = [(axes[0], cloud, "original data x"), (axes[1], mapped, "mapped data Ax + b")]
    for ax, pts, title in panels:
        m, S = mean(pts), cov(pts)
        ax.scatter(pts[:, 0], pts[:, 1], s=6, alpha=0.4)
        ax.plot(*m, "r+", markersize=14, mew=2)
        ax.plot(*ellipse_points(m, S).T, "r-")
        ax.set_title(title)
        ax.set_aspect("equal")
    m_pred = affine_mean(mean(cloud), A_demo, b_demo)
    S_pred = affine_covariance(cov(cloud), A_demo, b_demo)
    axes[1].plot(*m_pred, "kx", markersize=10, mew=2, label="affine_mean")
    axes[1].plot(*ellipse_points(m_pred, S_pred).T, "k--", label="affine_covariance")
    axes[1].legend(loc="upper left", fontsize=8)
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Summary
#
# - The mean of an `(N, D)` data matrix averages down the columns and has shape `(D,)`.
# - The covariance $S = \frac{1}{N}\bar{X}^\top\bar{X}$ needs centred data and divides by
#   $N$; it is symmetric, with the variances on its diagonal.
# - Under $x \mapsto Ax + b$ the mean becomes $A\bar{x} + b$ and the covariance
#   $ASA^\top$: shifts move data but do not spread them.
# - Vectorised numpy code computes the same numbers as loops, orders of magnitude faster.
