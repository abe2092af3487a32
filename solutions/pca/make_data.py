"""Write the PCA module's data files from datasets bundled with scikit-learn (no download).

- digits.npz, beside every PCA notebook: the UCI 8x8 handwritten digits, ``images`` as uint8
  grey levels 0..16 and ``labels`` as uint8.
- iris.npz, beside distances-angles: Fisher's iris, ``features`` in cm, ``labels`` uint8, and
  the ``feature_names`` and ``species`` as strings.

The notebooks and the grader read these with numpy alone. The files are written with fixed zip
dates, so a rerun reproduces them byte for byte. Usage: python solutions/pca/make_data.py [ROOT]
"""

import io
import sys
import zipfile
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits, load_iris

ASSIGNMENTS = ("mean-covariance", "distances-angles", "projections", "pca")


def save_npz(path: Path, **arrays) -> None:
    """Like np.savez_compressed, but with fixed entry dates so the bytes are reproducible."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue())


def main(root: Path) -> None:
    digits = load_digits()
    images = np.rint(digits.images).astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    for slug in ASSIGNMENTS:
        save_npz(root / "assignments" / "pca" / slug / "digits.npz", images=images, labels=labels)
    iris = load_iris()
    save_npz(
        root / "assignments" / "pca" / "distances-angles" / "iris.npz",
        features=iris.data.astype(np.float64),
        labels=iris.target.astype(np.uint8),
        feature_names=np.array(iris.feature_names),
        species=np.array(iris.target_names),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
