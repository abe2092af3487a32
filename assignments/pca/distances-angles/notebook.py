# %% [markdown]
# # Distances, angles and nearest neighbours
#
# How far apart are two images? How different are their "directions"? Once data points are
# vectors, an inner product answers both questions, and the answers are already enough to
# build a classifier: label a new point like its nearest neighbours. In this exercise you
# compute distances and angles, turn them into a whole matrix of distances at once, and use
# them to classify flowers and to find the most similar handwritten digit.
#
# **Conventions.** A data set is a matrix `X` of shape `(N, D)`, one data point per row.
# Vectors are 1-D arrays of shape `(D,)`; where a function accepts a vector it accepts a
# column of shape `(D, 1)` just as well.
#
# **The data.** Two data sets bundled with scikit-learn, copied into files beside this
# notebook so that numpy alone can read them:
# - `digits.npz`: the UCI handwritten digits (`sklearn.datasets.load_digits`), 1797 images of
#   8 x 8 pixels with values from 0 to 16, and their labels 0-9;
# - `iris.npz`: Fisher's iris data (`sklearn.datasets.load_iris`), four measurements in cm
#   of 150 flowers from three species.

# %%
import numpy as np
import matplotlib.pyplot as plt


# %% tags=["otter_ignore"]
digits = np.load("digits.npz")
images, digit_labels = digits["images"], digits["labels"]
# The pixels are stored as uint8, whose arithmetic wraps around (np.uint8(3) - np.uint8(5)
# is 254), so convert to floats before subtracting images.
X_digits = images.reshape(len(images), -1).astype(float)

iris = np.load("iris.npz")
iris_X, iris_y = iris["features"], iris["labels"]
iris_features = [str(name) for name in iris["feature_names"]]
iris_species = [str(name) for name in iris["species"]]
print("digits:", X_digits.shape, " iris:", iris_X.shape, iris_features)

# %% [markdown]
# ## Inner products, lengths, distances and angles
#
# The dot product of two vectors $x, y \in \mathbb{R}^D$ is the inner product
#
# $$\langle x, y \rangle = x^\top y = \sum_{d=1}^{D} x_d\, y_d .$$
#
# From it we get everything else we need:
#
# - the **length** (norm) of a vector, $\lVert x \rVert = \sqrt{\langle x, x \rangle}$;
# - the **distance** between two vectors, the length of their difference,
#   $d(x, y) = \lVert x - y \rVert = \sqrt{\langle x - y, x - y \rangle}$;
# - the **angle** $\omega \in [0, \pi]$ between two non-zero vectors, from
#   $$\cos \omega = \frac{\langle x, y \rangle}{\lVert x \rVert \, \lVert y \rVert}.$$
#
# The distance is the square root of a sum of squares: the sum of squares alone (the
# *squared* distance) orders points in the same way, but it is not a distance; for example
# it does not double when all coordinates double. Angles are measured in **radians**
# (`np.arccos` returns radians; a right angle is $\pi/2$). Two vectors pointing the same
# way have angle 0 however long they are: the angle compares directions, the distance
# compares positions.
#
# One numerical detail. For two vectors pointing the same way, rounding can make the
# computed cosine come out as `1.0000000000000002`, and `np.arccos` of a number above 1 is
# `nan`. Clip the cosine into $[-1, 1]$ (`np.clip`) before taking the arc cosine.
#
# ### A worked example
#
# Let $x = (1, 2, 2)$ and $y = (3, 0, 4)$. Then $\lVert x \rVert = \sqrt{1 + 4 + 4} = 3$,
# $\lVert y \rVert = \sqrt{9 + 16} = 5$ and $\langle x, y \rangle = 3 + 0 + 8 = 11$, so
#
# $$\cos \omega = \frac{11}{15}, \qquad \omega = \arccos \tfrac{11}{15} \approx 0.7494
# \text{ radians} \; (\approx 42.9^\circ).$$
#
# Their difference is $x - y = (-2, 2, -2)$, so
# $d(x, y) = \sqrt{4 + 4 + 4} = 2\sqrt{3} \approx 3.4641$.
#
# ### Other inner products
#
# The dot product is one inner product among many: for any symmetric positive definite
# matrix $A$, $\langle x, y \rangle_A = x^\top A y$ is one too, with its own lengths,
# distances and angles. The figure shows the vectors of length 1 for the dot product (a
# circle) and for $A = \begin{bmatrix} 2 & 1 \\ 1 & 1 \end{bmatrix}$ (an ellipse), and two
# vectors that are orthogonal for $\langle \cdot, \cdot \rangle_A$ although their dot
# product is not zero. We use the dot product from now on.

# %% tags=["otter_ignore"]
A_demo = np.array([[2.0, 1.0], [1.0, 1.0]])
t = np.linspace(0, 2 * np.pi, 200)
circle = np.stack([np.cos(t), np.sin(t)])
# x^T A x = 1 on the ellipse: scale each direction u by 1 / sqrt(u^T A u)
ellipse = circle / np.sqrt(np.einsum("it,ij,jt->t", circle, A_demo, circle))
u = np.array([1.0, 0.0])
v = np.array([-1.0, 2.0])  # u^T A v = -2 + 2 = 0

fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.plot(*circle, "C0-", label=r"$\|x\| = 1$ (dot product)")
ax.plot(*ellipse, "C1-", label=r"$\|x\|_A = 1$")
for vec, name in [(u, "u"), (v, "v")]:
    ax.annotate("", xy=vec, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="k"))
    ax.text(*(vec * 1.08), name, fontsize=12)
ax.axhline(0, color="grey", lw=0.5)
ax.axvline(0, color="grey", lw=0.5)
ax.set_aspect("equal")
ax.set_xlim(-2.2, 2.2)
ax.set_ylim(-2.2, 2.2)
ax.legend(loc="lower right", fontsize=8)
ax.set_title(r"$u^\top A v = 0$: orthogonal for $\langle\cdot,\cdot\rangle_A$")
plt.show()

# %% [markdown] question="q1"
# ## Question 1: distance and angle
#
# Write `distance(x0, x1)`, the Euclidean distance $\lVert x_0 - x_1 \rVert$, and
# `angle(x0, x1)`, the angle between the two vectors in radians, between $0$ and $\pi$.
# Both return a single number and accept vectors of shape `(D,)` or `(D, 1)` (both arguments
# have the same shape). Remember to clip the cosine. You may assume that neither vector is
# zero in `angle`.

# %%
def distance(x0, x1):
    """Euclidean distance between two vectors.

    x0, x1: arrays of shape (D,) or (D, 1), the same shape.
    Returns: a float, the length of x0 - x1.
    """
    ...


def angle(x0, x1):
    """Angle between two non-zero vectors, in radians.

    x0, x1: arrays of shape (D,) or (D, 1), the same shape.
    Returns: a float in [0, pi].
    """
    ...

# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: all the distances at once
#
# Comparing many points with many others one pair at a time in Python is slow. Write
# `pairwise_distance_matrix(X, Y)` for `X` of shape `(N, D)` and `Y` of shape `(M, D)`; it
# returns the `(N, M)` matrix whose entry `[n, m]` is the distance between row `n` of `X` and
# row `m` of `Y`. Do it without Python loops. Two ways that work:
#
# - **broadcasting**: `X[:, None, :] - Y[None, :, :]` has shape `(N, M, D)` and holds every
#   difference; square, sum over the last axis, take the square root;
# - **expanding the square**:
#   $\lVert x - y \rVert^2 = \lVert x \rVert^2 + \lVert y \rVert^2 - 2\,x^\top y$, where
#   all the $x^\top y$ are the single product `X @ Y.T`. Rounding can make this a tiny
#   negative number when $x = y$, so clip at 0 before the square root.
#
# The second way needs far less memory when $N$, $M$ and $D$ are all large.

# %%
def pairwise_distance_matrix(X, Y):
    """Distances between every row of X and every row of Y, without Python loops.

    X: array (N, D); Y: array (M, D).
    Returns: array (N, M) with entry [n, m] the distance between X[n] and Y[m].
    """
    ...

# %%
grader.check("q2")

# %% [markdown]
# ### How far apart are the digits?
#
# We average the images of each digit class (ten mean images) and compare the means with
# your functions: distances on the left, angles on the right. Small numbers mean similar
# images. Which pairs of digits look most alike to the geometry? Note that the two views do
# not always agree: the angle ignores how much ink an image has, the distance does not.

# %% tags=["otter_ignore"]
class_means = np.array([X_digits[digit_labels == c].mean(axis=0) for c in range(10)])
if answered(
    q1=angle(class_means[0], class_means[1]),
    q2=pairwise_distance_matrix(class_means, class_means),
):
    dist_means = pairwise_distance_matrix(class_means, class_means)
    angle_means = np.array([[angle(a, b) for b in class_means] for a in class_means])

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    for ax, M, title, fmt in [(axes[0], dist_means, "distance between class means", "{:.0f}"),
                              (axes[1], angle_means, "angle between class means (radians)",
                               "{:.2f}")]:
        im = ax.imshow(M, cmap="viridis")
        for r in range(10):
            for c in range(10):
                ax.text(c, r, fmt.format(M[r, c]), ha="center", va="center", fontsize=7,
                        color="w" if M[r, c] < 0.6 * M.max() else "k")
        ax.set_xticks(range(10))
        ax.set_yticks(range(10))
        ax.set_xlabel("digit")
        ax.set_ylabel("digit")
        ax.set_title(title)
        fig.colorbar(im, ax=ax, fraction=0.046)
    plt.tight_layout()
    plt.show()

# %% [markdown] question="q3"
# ## Question 3: k nearest neighbours
#
# The **k-nearest-neighbour** classifier labels a new point $x$ by a vote: find the $k$
# rows of the training data `X` closest to $x$ and return the label that occurs most often
# among their labels `y`. If several labels share the highest count, return the **smallest**
# of them.
#
# For example, with one-dimensional training points $0, 1, 3, 4$ labelled $2, 1, 2, 1$ and
# $x = 0.2$, the three nearest points are $0, 1, 3$ with labels $2, 1, 2$: the vote gives 2.
# With $k = 2$ the nearest labels are $2, 1$, a tie, so the answer is 1.
#
# Write `knn(k, X, y, x)`. It returns the label as an integer. You may use your functions
# from above. You may assume that no two training points are at exactly the same distance
# from `x` where that would matter.

# %%
def knn(k, X, y, x):
    """Label of x by a majority vote of its k nearest training points.

    k: the number of neighbours (1 <= k <= N); X: array (N, D), the training points;
    y: array (N,) of integer labels; x: array (D,), the point to classify.
    Returns: an int, the most common label among the k rows of X nearest to x
    (the smallest such label if there is a tie).
    """
    ...

# %%
grader.check("q3")

# %% [markdown]
# ### Decision regions on the iris flowers
#
# Using only two of the four measurements, petal length and petal width, we colour every
# point of a grid with the species your `knn` predicts there. With $k = 1$ every training
# flower claims its own little region, and single unusual flowers carve out islands; with a
# larger $k$ the vote smooths the boundaries.

# %% tags=["otter_ignore"]
cols = [2, 3]  # petal length, petal width
pts = iris_X[:, cols]
gx, gy = np.meshgrid(np.linspace(0.5, 7.5, 70), np.linspace(-0.2, 2.8, 60))
grid = np.column_stack([gx.ravel(), gy.ravel()])

if answered(q3=knn(1, pts, iris_y, grid[0])):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, k in zip(axes, (1, 15)):
        pred = np.array([knn(k, pts, iris_y, g) for g in grid]).reshape(gx.shape)
        ax.contourf(gx, gy, pred, levels=[-0.5, 0.5, 1.5, 2.5], colors=["C0", "C1", "C2"],
                    alpha=0.25)
        for c in range(3):
            ax.scatter(*pts[iris_y == c].T, s=14, color=f"C{c}", edgecolor="k", linewidth=0.3,
                       label=iris_species[c])
        ax.set_xlabel(iris_features[cols[0]])
        ax.set_title(f"k = {k}")
    axes[0].set_ylabel(iris_features[cols[1]])
    axes[0].legend(loc="upper left", fontsize=8)
    plt.tight_layout()
    plt.show()

# %% [markdown]
# How good is the vote on the digits? We keep the first 1497 images as training data and
# classify the last 300 with all 64 pixels.

# %% tags=["otter_ignore"]
train, test = slice(0, 1497), slice(1497, None)
for k in (1, 3, 7):
    pred = np.array([knn(k, X_digits[train], digit_labels[train], x) for x in X_digits[test]])
    print(f"k = {k}: {np.mean(pred == digit_labels[test]):.1%} of the test digits correct")

# %% [markdown] question="q4"
# ## Question 4: the most similar image
#
# Write `most_similar_image(X, i)`, which returns the index of the row of `X` closest (in
# distance) to row `i`, **other than row `i` itself**, whose distance to itself is always
# zero. If another row is an exact copy of row `i`, that copy is the answer. Do not change
# `X`.

# %%
def most_similar_image(X, i):
    """Index of the row of X nearest to row i, excluding row i itself.

    X: array (N, D) with N >= 2, one image per row; i: an index 0 <= i < N.
    Returns: an int j != i minimising the distance between X[j] and X[i].
    """
    ...

# %%
grader.check("q4")

# %% [markdown]
# ### Nearest and farthest
#
# For one chosen image we show the most similar image (your `most_similar_image`), the next
# few nearest ones, and, for contrast, the five farthest images in the whole data set.

# %% tags=["otter_ignore"]
chosen = 33
if answered(
    q2=pairwise_distance_matrix(X_digits[:2], X_digits[:1]),
    q4=most_similar_image(X_digits, chosen),
):
    d = pairwise_distance_matrix(X_digits, X_digits[[chosen]])[:, 0]
    order = np.argsort(d)
    best = most_similar_image(X_digits, chosen)
    nearest = [best] + [j for j in order if j not in (chosen, best)][:4]
    farthest = list(order[::-1][:5])

    fig, axes = plt.subplots(1, 11, figsize=(12, 1.9))
    for ax, j, title in ([(axes[0], chosen, "chosen")]
                         + [(axes[1 + n], j, f"near {n + 1}") for n, j in enumerate(nearest)]
                         + [(axes[6 + n], j, f"far {n + 1}") for n, j in enumerate(farthest)]):
        ax.imshow(images[j], cmap="gray_r", vmin=0, vmax=16)
        ax.set_title(f"{title}\n#{j} ({digit_labels[j]}), d={d[j]:.0f}", fontsize=7)
        ax.axis("off")
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Summary
#
# - One inner product gives lengths, distances and angles; the dot product gives the
#   Euclidean ones. Distances compare positions, angles compare directions.
# - Clip the cosine before `np.arccos`, and take the square root for a distance.
# - A whole matrix of distances needs no Python loop: broadcasting, or
#   $\lVert x\rVert^2 + \lVert y\rVert^2 - 2x^\top y$.
# - Nearest neighbours already make a classifier: vote among the $k$ nearest training points.
