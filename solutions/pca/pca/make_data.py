"""Write digits.npz beside the pca notebook from scikit-learn's bundled digits.

The data are the UCI optical recognition of handwritten digits set (1797 images, 8x8,
grey levels 0..16) that ships inside scikit-learn, so nothing is downloaded. The grader and
the students' notebook read the small .npz file with numpy and never need scikit-learn.

Run from the repository root: python solutions/pca/pca/make_data.py
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "assignments" / "pca" / "pca" / "digits.npz"


def main():
    digits = load_digits()
    images = digits.images.astype(np.uint8)  # grey levels 0..16 fit in a byte
    labels = digits.target.astype(np.uint8)
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"wrote {OUT.relative_to(ROOT)}: images {images.shape}, labels {labels.shape}")


if __name__ == "__main__":
    main()
