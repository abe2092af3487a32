"""Write digits.npz and iris.npz beside the notebook, from data bundled with scikit-learn.

digits.npz: the UCI 8x8 handwritten digits (``images`` uint8 0..16, ``labels`` uint8).
iris.npz: Fisher's iris measurements (``features`` in cm, ``labels`` uint8, and the
``feature_names`` and ``species`` as strings). The notebook and the grader need only numpy.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, load_iris

OUT = Path(__file__).resolve().parents[3] / "assignments" / "pca" / "distances-angles"


def main():
    digits = load_digits()
    np.savez_compressed(
        OUT / "digits.npz",
        images=np.rint(digits.images).astype(np.uint8),
        labels=digits.target.astype(np.uint8),
    )
    iris = load_iris()
    np.savez_compressed(
        OUT / "iris.npz",
        features=iris.data.astype(np.float64),
        labels=iris.target.astype(np.uint8),
        feature_names=np.array(iris.feature_names),
        species=np.array(iris.target_names),
    )
    for name in ("digits.npz", "iris.npz"):
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main()
