"""Golden files: the built toy notebook and the autograder zip's file list, reviewed in diffs.

Refresh with `pytest tests/framework/test_goldens.py --update-goldens` and review the diff.
"""

import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds with otter assign or runs otter/kernels

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"


def compare(request, name: str, actual: str) -> None:
    path = GOLDEN / name
    if request.config.getoption("--update-goldens"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        pytest.skip(f"updated {path}")
    assert path.is_file(), f"no golden {path}: run with --update-goldens"
    assert actual == path.read_text(), f"{name} differs from its golden file"


def test_student_notebook_matches_golden(built_toy, request):
    _, built = built_toy
    compare(request, "vectors.student.ipynb", built.student_notebook.read_text())


def test_autograder_zip_listing_matches_golden(built_toy, request):
    _, built = built_toy
    with zipfile.ZipFile(built.autograder_zip) as z:
        listing = "".join(f"{i.filename} {i.file_size}\n" for i in z.infolist())
    compare(request, "vectors.autograder-zip.txt", listing)
