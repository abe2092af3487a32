# %% [markdown]
# # Reflecting a bear
#
# A mirror is one of the simplest linear maps there is, yet writing its matrix down directly
# is fiddly. In this assignment you will build it the easy way: pick a basis in which the
# mirror is trivial, reflect there, and translate back. Along the way you will see why that
# basis has to be **orthonormal**, and you will use the Gram-Schmidt process to make it so.
#
# Our test subject is a bear. It was drawn for this course as a handful of polygons (head,
# ears, snout, nose, eyes, a bow) by a small script with a fixed random seed (for a slightly
# hand-drawn wobble); the vertices are stored in `bear.json`, next to this notebook. Each
# part is a $2 \times K$ array: column $k$ holds the $x$ and $y$ coordinates of vertex $k$.
# The bear winks and wears a bow on one ear, so its face is not left-right symmetric: a
# reflection of it cannot be mistaken for a rotation.

# %% [markdown]
# ## Reflecting in a convenient basis
#
# Let the mirror be a line through the origin, along a unit vector $\mathbf{e}_1$, and let
# $\mathbf{e}_2$ be a unit vector at right angles to it. Any vector can be written in these two
# directions,
#
# $$\mathbf{r} = a\,\mathbf{e}_1 + b\,\mathbf{e}_2 .$$
#
# The mirror leaves the part along the mirror alone and flips the part across it:
#
# $$\mathbf{r} \;\mapsto\; a\,\mathbf{e}_1 - b\,\mathbf{e}_2 .$$
#
# In the coordinates $(a, b)$ of the basis $E = [\mathbf{e}_1\ \mathbf{e}_2]$ the reflection is
# therefore just
#
# $$T_E = \begin{pmatrix} 1 & 0 \\ 0 & -1 \end{pmatrix}.$$
#
# To apply it to a vector $\mathbf{r}$ given in ordinary $(x, y)$ coordinates, we go there and
# back again, reading the product from right to left:
#
# 1. $E^{-1}\mathbf{r}$ gives the coordinates $(a, b)$ of $\mathbf{r}$ in the basis $E$;
# 2. $T_E$ flips the sign of $b$;
# 3. $E$ turns the new coordinates $(a, -b)$ back into an ordinary vector.
#
# So the matrix of the reflection in the standard basis is
#
# $$T = E\, T_E\, E^{-1}.$$
#
# ## Why the basis must be orthonormal
#
# Usually nobody hands us a perfect basis. Here the mirror is described by a basis
# $\mathbf{b}_1, \mathbf{b}_2$: the mirror lies along $\mathbf{b}_1$, and $\mathbf{b}_2$ is just
# some other vector, **not** necessarily at right angles to $\mathbf{b}_1$, and neither has
# length one. If we used $B = [\mathbf{b}_1\ \mathbf{b}_2]$ in place of $E$, the map
# $B\,T_E\,B^{-1}$ would keep $\mathbf{b}_1$ and negate $\mathbf{b}_2$: a *skew* reflection
# that shears the bear, changing its lengths and angles. A true mirror must flip the
# direction *perpendicular* to the mirror.
#
# The Gram-Schmidt process repairs the basis without moving the mirror:
#
# $$\mathbf{e}_1 = \frac{\mathbf{b}_1}{\lVert\mathbf{b}_1\rVert}, \qquad
# \mathbf{w} = \mathbf{b}_2 - (\mathbf{b}_2\cdot\mathbf{e}_1)\,\mathbf{e}_1, \qquad
# \mathbf{e}_2 = \frac{\mathbf{w}}{\lVert\mathbf{w}\rVert}.$$
#
# $\mathbf{e}_1$ points along the mirror, and $\mathbf{e}_2$ is what is left of $\mathbf{b}_2$
# once its part along the mirror is removed, scaled to length one. The helper
# `orthonormal_basis(basis)` below does exactly this for you.
#
# A bonus of an orthonormal $E$: its inverse is its transpose, $E^{-1} = E^\top$. Multiplying
# out gives a formula you can use to check your answers,
# $T = \mathbf{e}_1\mathbf{e}_1^\top - \mathbf{e}_2\mathbf{e}_2^\top$, and a few properties
# every reflection matrix has:
#
# - $T^2 = I$ (reflecting twice changes nothing),
# - $T = T^\top$ (it is symmetric),
# - $T\mathbf{e}_1 = \mathbf{e}_1$ and $T\mathbf{e}_2 = -\mathbf{e}_2$,
# - $\det T = -1$ (it reverses orientation: the winking eye swaps sides).

# %%
import json

import matplotlib.pyplot as plt
import numpy as np


def orthonormal_basis(basis):
    """Gram-Schmidt for a 2x2 matrix: an orthonormal basis E from the columns of `basis`.

    E[:, 0] is the first column of `basis` scaled to length 1; E[:, 1] is the second column
    minus its component along E[:, 0], scaled to length 1. `basis` itself is not changed.
    Raises ValueError if the two columns are parallel.
    """
    B = np.array(basis, dtype=float)
    e1 = B[:, 0] / np.linalg.norm(B[:, 0])
    w = B[:, 1] - (B[:, 1] @ e1) * e1
    if np.linalg.norm(w) <= 1e-12 * np.linalg.norm(B[:, 1]):
        raise ValueError("the two columns of basis are parallel: they do not span the plane")
    return np.column_stack([e1, w / np.linalg.norm(w)])


def draw_drawing(ax, parts, alpha=1.0, label=None):
    """Draw a list of parts (dicts with 'points' (2, K), 'colour', 'closed') on the axes."""
    for i, part in enumerate(parts):
        x, y = part["points"]
        lab = label if i == 0 else None
        if part["closed"]:
            ax.fill(x, y, color=part["colour"], alpha=alpha, ec="black", lw=0.6, label=lab)
        else:
            ax.plot(x, y, color=part["colour"], alpha=alpha, lw=2, label=lab)


def draw_mirror(ax, basis, reach=8.0):
    """Draw the mirror: the line through the origin along the first column of `basis`."""
    u = np.asarray(basis, dtype=float)[:, 0]
    u = u / np.linalg.norm(u)
    ax.plot([-reach * u[0], reach * u[0]], [-reach * u[1], reach * u[1]],
            "k--", lw=1.2, label="mirror")


def draw_vectors(ax, vectors, colour, names):
    """Draw the columns of a 2xN array as arrows from the origin, with labels."""
    vectors = np.asarray(vectors, dtype=float)
    for v, name in zip(vectors.T, names):
        ax.annotate("", xy=v, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=2))
        ax.text(*(1.08 * v), name, color=colour, fontsize=12, ha="center", va="center")


# %% [markdown]
# ## The bear and its mirror
#
# We load the drawing: a list of parts, each with its vertices as a $2 \times K$ array, a
# colour, and whether it is a closed polygon or an open curve. The mirror for this
# assignment is given by the basis
# $\mathbf{b}_1 = (1, 2)$, $\mathbf{b}_2 = (1.5, 0.5)$, the columns of `mirror_basis`.
# Notice in the figure that $\mathbf{b}_2$ is far from perpendicular to $\mathbf{b}_1$.

# %% tags=["otter_ignore"]
with open("bear.json") as f:
    bear_file = json.load(f)
bear = [dict(part, points=np.array(part["points"], dtype=float)) for part in bear_file["parts"]]
mirror_basis = np.array([[1.0, 1.5],
                         [2.0, 0.5]])

print(bear_file["description"])
print("parts:", ", ".join(f"{p['name']} {p['points'].shape}" for p in bear))

fig, ax = plt.subplots(figsize=(6, 5))
draw_drawing(ax, bear, label="bear")
draw_mirror(ax, mirror_basis)
draw_vectors(ax, mirror_basis, "tab:blue", [r"$b_1$", r"$b_2$"])
ax.set_xlim(-4, 5.5)
ax.set_ylim(-1.5, 5)
ax.set_aspect("equal")
ax.grid(alpha=0.3)
ax.legend(loc="lower left")
ax.set_title("Our bear, the mirror and the basis that describes it")
plt.show()

# %% [markdown]
# ## A worked example
#
# Take $\mathbf{b}_1 = (2, 2)$ and $\mathbf{b}_2 = (0, 3)$, so the mirror is the line $y = x$.
#
# - $\mathbf{e}_1 = (2, 2)/\sqrt{8} = \tfrac{1}{\sqrt2}(1, 1)$.
# - $\mathbf{b}_2\cdot\mathbf{e}_1 = 3/\sqrt2$, so
#   $\mathbf{w} = (0, 3) - \tfrac{3}{\sqrt2}\cdot\tfrac{1}{\sqrt2}(1, 1) = (-1.5, 1.5)$ and
#   $\mathbf{e}_2 = \tfrac{1}{\sqrt2}(-1, 1)$.
# - $\mathbf{e}_1\mathbf{e}_1^\top = \tfrac12\begin{pmatrix}1&1\\1&1\end{pmatrix}$ and
#   $\mathbf{e}_2\mathbf{e}_2^\top = \tfrac12\begin{pmatrix}1&-1\\-1&1\end{pmatrix}$, so
#
# $$T = \mathbf{e}_1\mathbf{e}_1^\top - \mathbf{e}_2\mathbf{e}_2^\top
#     = \begin{pmatrix}0&1\\1&0\end{pmatrix}.$$
#
# Reflecting in $y = x$ swaps the two coordinates: the point $(2, 0.5)$ goes to $(0.5, 2)$.
# $T$ is symmetric, $T^2 = I$, it fixes $(1, 1)$ and sends $(-1, 1)$ to $(1, -1)$, as promised.
# The given helper reproduces the first part of the calculation:

# %% tags=["otter_ignore"]
example_basis = np.array([[2.0, 0.0],
                          [2.0, 3.0]])
E_example = orthonormal_basis(example_basis)
print("E =\n", E_example)
print("E.T @ E =\n", np.round(E_example.T @ E_example, 12))

# %% [markdown] question="q1"
# ## Question 1: the reflection matrix
#
# Write `build_reflection_matrix(basis)`. `basis` is a $2 \times 2$ array whose columns
# $\mathbf{b}_1, \mathbf{b}_2$ span the plane; the mirror lies along $\mathbf{b}_1$. Return the
# $2 \times 2$ matrix $T = E\,T_E\,E^{-1}$, where $E$ = `orthonormal_basis(basis)` and
# $T_E = \operatorname{diag}(1, -1)$.
#
# Hints: `np.linalg.inv` inverts a matrix (or use $E^\top$, since $E$ is orthonormal), and
# `@` multiplies matrices. Mind the order of the three factors, and do not change `basis`.
# Your answer should work for any such basis, including arrays of integers.

# %%
def build_reflection_matrix(basis):
    """The 2x2 matrix of the reflection in the line along the first column of `basis`.

    basis: a 2x2 array; its columns b1, b2 span the plane but need not be orthogonal or of
        length 1. The mirror is the line through the origin along b1.
    Returns T = E @ T_E @ inv(E) as a (2, 2) float array, where E = orthonormal_basis(basis)
    and T_E = diag(1, -1). `basis` is left unchanged.
    """
    ...


# %%
grader.check("q1")

# %% [markdown] question="q2"
# ## Question 2: reflecting a drawing
#
# Write `reflect(points, basis)`: `points` is a $2 \times K$ array with one point per column
# (like each part of the bear), and `basis` describes the mirror as in Question 1. Return a new
# $2 \times K$ array whose column $k$ is the mirror image of column $k$ of `points`, without
# changing `points`. One matrix product does all $K$ points at once.
#
# `reflect` is tested as you wrote it, with your own `build_reflection_matrix`: a mistake in
# Question 1 makes these checks fail too. When that is the cause, the message says so
# ("fix q1 first").

# %%
def reflect(points, basis):
    """Reflect every point of a drawing in the mirror along the first column of `basis`.

    points: a (2, K) array, one point (x, y) per column.
    basis: a 2x2 array describing the mirror, as for build_reflection_matrix.
    Returns a new (2, K) float array of the reflected points; `points` is left unchanged.
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# ## The reflected bear
#
# Now we can hold the bear up to the mirror. The figure shows the original bear, the mirror,
# the given basis $\mathbf{b}_1, \mathbf{b}_2$ (blue), the orthonormal basis
# $\mathbf{e}_1, \mathbf{e}_2$ from Gram-Schmidt (red) and the reflected bear. Check that the
# wink and the bow have swapped sides, and that each vertex and its image are joined by a
# segment perpendicular to the mirror, with the mirror halfway between them: that is what
# the orthonormal basis buys us.

# %% tags=["otter_ignore"]
reflected_bear = [dict(part, points=reflect(part["points"], mirror_basis)) for part in bear]
if answered(q2=reflected_bear[0]["points"]):
    E = orthonormal_basis(mirror_basis)

    fig, ax = plt.subplots(figsize=(7, 6))
    draw_drawing(ax, bear, label="bear")
    draw_drawing(ax, reflected_bear, alpha=0.75, label="reflected bear")
    draw_mirror(ax, mirror_basis)
    draw_vectors(ax, mirror_basis, "tab:blue", [r"$b_1$", r"$b_2$"])
    draw_vectors(ax, E, "tab:red", [r"$e_1$", r"$e_2$"])
    i_nose = [p["name"] for p in bear].index("nose")
    nose, nose_image = bear[i_nose]["points"][:, 2], reflected_bear[i_nose]["points"][:, 2]
    ax.plot(*np.column_stack([nose, nose_image]), ":", color="gray", lw=1.5,
            label="a vertex and its image")
    ax.set_xlim(-4, 5.5)
    ax.set_ylim(-1.5, 5.5)
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    ax.set_title("The bear and its reflection")
    plt.show()

# %% [markdown]
# ## Other mirrors
#
# The same two functions work for any mirror through the origin. Below, the bear meets three
# more: the $y$-axis, a steep line and a line that slopes down, each described by a basis whose second
# vector is not perpendicular to the first.

# %% tags=["otter_ignore"]
other_bases = {
    "along (0, 1)": np.array([[0.0, 1.0], [1.0, 1.0]]),
    "along (1, 3)": np.array([[1.0, 2.0], [3.0, 1.0]]),
    "along (3, -1)": np.array([[3.0, 1.0], [-1.0, 2.0]]),
}
if answered(q2=reflect(bear[0]["points"], mirror_basis)):
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.5))
    for ax, (title, B) in zip(axes, other_bases.items()):
        draw_drawing(ax, bear)
        draw_drawing(ax, [dict(p, points=reflect(p["points"], B)) for p in bear], alpha=0.75)
        draw_mirror(ax, B)
        draw_vectors(ax, B, "tab:blue", [r"$b_1$", r"$b_2$"])
        ax.set_xlim(-5, 5)
        ax.set_ylim(-4.5, 5)
        ax.set_aspect("equal")
        ax.grid(alpha=0.3)
        ax.set_title(f"mirror {title}")
    plt.show()

# %% [markdown]
# ## Summary
#
# To write down a linear map that is awkward in the standard basis, change to a basis where it
# is simple, apply it there, and change back: $T = E\,T_E\,E^{-1}$. For a mirror, that basis
# must be orthonormal, with one vector along the mirror and one perpendicular to it, and
# Gram-Schmidt turns any basis into such a one.
