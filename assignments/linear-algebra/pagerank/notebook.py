# %% [markdown]
# # PageRank: ranking the websites of a small town
#
# When you search the web, many pages contain your words; a search engine has to decide which
# to show first. PageRank, the idea behind early Google, ranks pages using only the links
# between them: **a page is important if important pages link to it.** That sounds circular,
# and it is. Linear algebra turns the circle into an eigenvector problem, and a very simple
# iteration solves it.
#
# In this assignment you will build the link matrix of a web and compute its PageRank by
# power iteration. All the webs here are made up: a six-site "micro-internet" of a small town,
# written into this notebook, and a larger random web generated below from a fixed seed.

# %% [markdown]
# ## The random surfer
#
# Picture a surfer who starts on some page and, again and again, clicks one of the page's
# links at random. In the long run, the fraction of time they spend on each page is that
# page's rank: pages with many links from busy pages get visited often.
#
# Number the pages $0, \dots, n-1$. If page $j$ links to $k_j$ different pages, the surfer on
# $j$ moves to each of them with probability $1/k_j$. Collect these probabilities in the
# **link matrix** $L$:
#
# $$L_{ij} = \begin{cases} 1/k_j & \text{if page } j \text{ links to page } i,\\
# 0 & \text{otherwise.}\end{cases}$$
#
# Column $j$ describes where the surfer goes *from* page $j$, so every column sums to 1:
# $L$ is **column-stochastic**. Three conventions make this well defined:
#
# - a link listed twice still counts once (two links to the same page are one choice);
# - a link from a page to itself is ignored (it does not help a page to vote for itself);
# - a **dangling** page, with no links to other pages, sends the surfer to any of the $n$
#   pages with equal probability: its column is $1/n$ everywhere.
#
# If $\mathbf{r}$ holds the share of surfers on each page, one round of clicks gives
# $L\mathbf{r}$. The ranks are the distribution that no longer changes:
#
# $$\mathbf{r} = L\,\mathbf{r},$$
#
# an eigenvector of $L$ with eigenvalue 1.
#
# ## Damping
#
# Real surfers get bored. With probability $d$ (the **damping factor**, usually $0.85$) our
# surfer clicks a link; otherwise they type the address of a random page. With $J$ the
# $n\times n$ matrix of ones, one round is then a multiplication by
#
# $$M = d\,L + \frac{1-d}{n}\,J .$$
#
# $M$ is column-stochastic too, and all its entries are positive. That has two pleasant
# consequences: the total $\sum_i r_i$ never changes, and $M\mathbf{r} = \mathbf{r}$ has
# exactly one solution with that total, which repeated multiplication approaches from any
# starting point (even on webs with dead ends or loops that would trap an undamped surfer).
#
# ## Power iteration
#
# We find the ranks by simply letting the surfers surf. Start with $100/n$ on every page (so
# the ranks add up to 100, like percentages) and repeat
#
# $$\mathbf{r}_{k+1} = M\,\mathbf{r}_k, \qquad k = 0, 1, 2, \dots$$
#
# stopping at the first step whose change is small,
# $\lVert\mathbf{r}_{k+1} - \mathbf{r}_k\rVert_2 \le \text{tol}$, and returning that last
# iterate $\mathbf{r}_{k+1}$. Each step costs one matrix-vector product, which is why this
# works even for the billions of pages of the real web (where $L$ is stored sparsely).

# %%
import matplotlib.pyplot as plt
import numpy as np


def draw_web(ax, names, links, sizes=None, colours=None):
    """Draw a web: pages on a circle, an arrow for each distinct link between two pages.

    sizes (optional) scales each node's disc; colours (optional) colours the nodes.
    """
    n = len(names)
    angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    xy = np.column_stack([np.cos(angle), np.sin(angle)])
    sizes = np.full(n, 1.0) if sizes is None else np.asarray(sizes, dtype=float)
    radii = 0.12 * np.sqrt(sizes / sizes.max())
    colours = ["#9ecae1"] * n if colours is None else colours
    for frm, to in sorted(set(links)):
        if frm == to:
            continue
        u = (xy[to] - xy[frm]) / np.linalg.norm(xy[to] - xy[frm])
        ax.annotate("", xy=xy[to] - (radii[to] + 0.02) * u, xytext=xy[frm] + radii[frm] * u,
                    arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.2, mutation_scale=14,
                                    shrinkA=0, shrinkB=0, connectionstyle="arc3,rad=0.12"))
    for i in range(n):
        ax.add_patch(plt.Circle(xy[i], radii[i], color=colours[i], ec="black", zorder=3))
        ax.text(*(1.33 * xy[i]), names[i], ha="center", va="center", fontsize=10)
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")


# %% [markdown]
# ## A micro-internet: the town of Little Hollow
#
# Little Hollow has six websites, numbered as follows:
#
# | page | site | links to |
# |---|---|---|
# | 0 | Bakery | Gazette, Football Club |
# | 1 | Library | Town Hall, Gazette, Weather Station |
# | 2 | Town Hall | Library, Bakery, Gazette, Football Club |
# | 3 | Football Club | Gazette, Bakery, Weather Station |
# | 4 | Gazette | Town Hall (in two articles), Football Club, Weather Station, itself |
# | 5 | Weather Station | nothing |
#
# As a list of `(from, to)` pairs this is `town_links` below. Notice the Gazette's double
# link to the Town Hall and its link to itself, and the Weather Station's lack of links.

# %%
town_names = ["Bakery", "Library", "Town Hall", "Football\nClub", "Gazette", "Weather\nStation"]
town_links = [
    (0, 4), (0, 3),
    (1, 2), (1, 4), (1, 5),
    (2, 1), (2, 0), (2, 4), (2, 3),
    (3, 4), (3, 0), (3, 5),
    (4, 2), (4, 3), (4, 5), (4, 2), (4, 4),
]

# %% tags=["otter_ignore"]
fig, ax = plt.subplots(figsize=(6, 6))
draw_web(ax, town_names, town_links)
ax.set_title("The web of Little Hollow (each arrow is a link)")
plt.show()

# %% [markdown]
# ### Working it out by hand
#
# Column by column (pages in the order above):
#
# - the Bakery links to 2 pages, so $1/2$ goes to the Gazette and to the Football Club;
# - the Library and the Football Club each link to 3 pages: $1/3$ each;
# - the Town Hall links to 4 pages: $1/4$ each;
# - the Gazette links to the Town Hall (once, however many articles), the Football Club and
#   the Weather Station; its self link is ignored: $1/3$ each;
# - the Weather Station is dangling: $1/6$ to every page, itself included.
#
# $$L = \begin{pmatrix}
# 0 & 0 & \tfrac14 & \tfrac13 & 0 & \tfrac16\\
# 0 & 0 & \tfrac14 & 0 & 0 & \tfrac16\\
# 0 & \tfrac13 & 0 & 0 & \tfrac13 & \tfrac16\\
# \tfrac12 & 0 & \tfrac14 & 0 & \tfrac13 & \tfrac16\\
# \tfrac12 & \tfrac13 & \tfrac14 & \tfrac13 & 0 & \tfrac16\\
# 0 & \tfrac13 & 0 & \tfrac13 & \tfrac13 & \tfrac16
# \end{pmatrix}$$
#
# Every column sums to 1. Now one step of the damped iteration with $d = 0.85$, from
# $r_0 = 100/6 \approx 16.67$ on every page. The random jumps bring every page
# $\frac{1-d}{n}\cdot 100 = 0.15 \cdot 100 / 6 = 2.5$, and the links bring
# $d$ times (row $i$ of $L$) $\cdot\, \mathbf{r}_0$:
#
# - Library: row sum $\tfrac14 + \tfrac16 = \tfrac{5}{12}$, so
#   $r_1 = 0.85 \cdot 16.67 \cdot \tfrac{5}{12} + 2.5 \approx 8.40$;
# - Gazette: row sum $\tfrac12 + \tfrac13 + \tfrac14 + \tfrac13 + \tfrac16 = \tfrac{19}{12}$,
#   so $r_1 = 0.85 \cdot 16.67 \cdot \tfrac{19}{12} + 2.5 \approx 24.93$.
#
# After one round the Gazette, linked from every other site, leads, and the Library, linked
# only from the Town Hall, trails. Further steps refine the numbers; you will see the final
# ranks once your code is written. The ranks still add up to 100 after each step: check it
# for yourself on the full vector $\mathbf{r}_1$.

# %% [markdown] question="q1"
# ## Question 1: the link matrix
#
# Write `link_matrix(links, n)`, which builds $L$ from a list of `(from, to)` pairs for a web of
# `n` pages, with the three conventions above: duplicates count once, self links are
# ignored, and a page without links to other pages has $1/n$ in every entry of its column.
# Check it against the matrix worked out by hand.
#
# Hint: a Python `set` of the pages that each page links to takes care of duplicates.

# %%
def link_matrix(links, n):
    """The column-stochastic link matrix of a web of n pages.

    links: a list of (from, to) pairs of page numbers in 0..n-1: page `from` links to `to`.
    n: the number of pages.
    Returns an (n, n) float array L with L[i, j] = 1 / k_j if page j links to page i, where
    k_j is the number of distinct other pages that j links to, and 0 otherwise:
      - a link listed more than once counts once;
      - a link from a page to itself is ignored;
      - a page with no links to other pages has 1 / n in every entry of its column.
    Every column sums to 1. `links` is left unchanged.
    """
    ...


# %%
grader.check("q1")

# %% tags=["otter_ignore"]
town_L = link_matrix(town_links, 6)
if answered(q1=town_L):
    print(np.round(town_L, 3))
    print("column sums:", town_L.sum(axis=0))

# %% [markdown] question="q2"
# ## Question 2: PageRank by power iteration
#
# Write `page_rank(L, d=0.85, tol=0.01)`. Build $M = d\,L + \frac{1-d}{n}J$, start from
# $\mathbf{r}_0$ with $100/n$ on every page, and multiply by $M$ until the 2-norm of the
# change is at most `tol` (`np.linalg.norm` computes it). Return the last iterate as a 1-D
# array of shape `(n,)`; it sums to 100.
#
# Follow this recipe exactly: the tests compare your result with the iterate at which this
# stopping rule fires, so a fixed number of steps, or an eigenvector computed another way,
# will be close but not close enough. Do not change `L`.

# %%
def page_rank(L, d=0.85, tol=0.01):
    """PageRank of every page, by damped power iteration.

    L: an (n, n) column-stochastic link matrix (as from link_matrix); it is left unchanged.
    d: the damping factor, the probability of following a link.
    tol: stop at the first step k with ||r_(k+1) - r_k||_2 <= tol.
    Iterates r_(k+1) = M @ r_k with M = d L + (1 - d)/n J (J: all ones), starting from
    r_0 = 100/n on every page, and returns the last iterate r_(k+1): shape (n,), sum 100.
    """
    ...


# %%
grader.check("q2")

# %% [markdown]
# ## The ranks of Little Hollow
#
# Here are the town's ranks, and the web again with each disc's area proportional to its
# page's rank. Compare them with the hand calculation: was your guess right? Look at the
# Weather Station: it links nowhere, yet three sites link to it, so it ranks high. And the
# Library, with a single incoming link, ends last, although it links generously to others.

# %% tags=["otter_ignore"]
town_ranks = page_rank(link_matrix(town_links, 6))
if answered(q2=town_ranks):
    for name, rank in sorted(zip(town_names, town_ranks), key=lambda t: -t[1]):
        print(f"{name.replace(chr(10), ' '):16s} {rank:6.2f}")
    print(f"{'total':16s} {town_ranks.sum():6.2f}")

    fig, ax = plt.subplots(figsize=(6, 6))
    shades = plt.cm.Oranges(0.25 + 0.7 * town_ranks / town_ranks.max())
    draw_web(ax, town_names, town_links, sizes=town_ranks, colours=shades)
    ax.set_title("Little Hollow, discs sized by PageRank")
    plt.show()

# %% [markdown]
# ## A larger web
#
# Finally, a web of 40 pages, generated here with a fixed seed. Some pages are popular and
# attract links more often than others, each page links to between one and five others, and
# about one page in ten is dangling. The bar chart shows the ranks in decreasing order; the
# scatter plot compares each page's rank with the number of pages that link to it. Rank grows
# with the number of incoming links, but not only with it: a link from a highly ranked page is
# worth more than one from an obscure page.

# %% tags=["otter_ignore"]
rng = np.random.default_rng(7)
n_big = 40
popularity = rng.permutation(1.0 / np.arange(1, n_big + 1))
big_links = []
for page in range(n_big):
    if rng.random() < 0.1:
        continue  # a dangling page
    targets = rng.choice(n_big, size=rng.integers(1, 6), replace=False,
                         p=popularity / popularity.sum())
    big_links += [(page, int(t)) for t in targets]

big_ranks = page_rank(link_matrix(big_links, n_big))
if answered(q2=big_ranks):
    incoming = np.zeros(n_big, dtype=int)
    for frm, to in set(big_links):
        if frm != to:
            incoming[to] += 1

    order = np.argsort(-big_ranks)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.5), gridspec_kw={"width_ratios": [2, 1]})
    ax1.bar(np.arange(n_big), big_ranks[order], color="tab:orange")
    ax1.axhline(100 / n_big, color="gray", ls="--", label="uniform, 100/n")
    ax1.set_xticks(np.arange(n_big), order, fontsize=7)
    ax1.set_xlabel("page (in decreasing order of rank)")
    ax1.set_ylabel("PageRank")
    ax1.set_title(f"PageRank of a random web of {n_big} pages (total {big_ranks.sum():.1f})")
    ax1.legend()
    ax2.scatter(incoming, big_ranks, color="tab:orange", ec="black")
    ax2.set_xlabel("number of pages linking in")
    ax2.set_ylabel("PageRank")
    ax2.set_title("Rank against incoming links")
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Summary
#
# The link matrix turns a web into a column-stochastic matrix; damping makes the random
# surfer's long-run distribution unique; and power iteration finds it with nothing more than
# repeated matrix-vector products. The ranks are the eigenvector of $M$ for eigenvalue 1,
# scaled to add up to 100.
