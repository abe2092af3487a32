"""Write digits.npz beside the notebook: scikit-learn's bundled 8x8 handwritten digits.

The images (pixel values 0..16) are stored as uint8 with their labels, so the notebook and
the grader need only numpy. Run from anywhere: ``python make_data.py``.
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parents[3] / "assignments" / "pca" / "mean-covariance" / "digits.npz"


def main():
    digits = load_digits()
    images = np.rint(digits.images).astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {images.shape[0]} images")


if __name__ == "__main__":
    main()
