"""Regenerate heights.csv: a normalised histogram of simulated adult heights (fixed seed).

The heights are invented: 1800 people drawn from one normal distribution and 1700 from
another (roughly two subpopulations of adults), rounded to the nearest millimetre and
binned into 2 cm bins from 140 cm to 210 cm. The file holds each bin's centre and its
density (count divided by the number of people and by the bin width), so the bars have
total area one, like a probability density.
"""

from pathlib import Path

import numpy as np

SEED = 20240611
OUT = (
    Path(__file__).resolve().parents[3]
    / "assignments"
    / "multivariate-calculus"
    / "heights"
    / "heights.csv"
)


def make_histogram(seed=SEED):
    """Return (bin centres, densities) of the simulated heights."""
    rng = np.random.default_rng(seed)
    heights = np.concatenate([rng.normal(163.0, 6.5, 1800), rng.normal(177.0, 7.0, 1700)])
    heights = np.round(heights, 1)
    edges = np.arange(140.0, 212.0, 2.0)
    counts, _ = np.histogram(heights, bins=edges)
    width = edges[1] - edges[0]
    density = counts / (heights.size * width)
    centres = (edges[:-1] + edges[1:]) / 2
    return centres, density


def main():
    centres, density = make_histogram()
    np.savetxt(
        OUT,
        np.column_stack([centres, density]),
        delimiter=",",
        fmt=["%.1f", "%.6f"],
        header="height_cm,density",
        comments="",
    )
    print(f"wrote {OUT} ({centres.size} bins)")


if __name__ == "__main__":
    main()
