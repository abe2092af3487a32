"""The shipped data files are exactly what the scripts in solutions/ generate (fixed seeds)."""

import importlib.util
from pathlib import Path

import pytest

from .conftest import ROOT


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"make_data_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "script",
    [
        "solutions/linear-algebra/reflecting-bear/make_data.py",
        "solutions/multivariate-calculus/heights/make_data.py",
    ],
)
def test_single_file_scripts_reproduce_the_shipped_file(script, tmp_path, monkeypatch):
    module = load(ROOT / script)
    shipped = Path(module.OUT)
    monkeypatch.setattr(module, "OUT", tmp_path / shipped.name)
    module.main()
    assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes()


def test_pca_data_are_reproduced_byte_for_byte(tmp_path):
    module = load(ROOT / "solutions/pca/make_data.py")
    for slug in module.ASSIGNMENTS:
        (tmp_path / "assignments/pca" / slug).mkdir(parents=True)
    module.main(tmp_path)
    written = sorted(tmp_path.rglob("*.npz"))
    assert len(written) == 5
    for f in written:
        assert f.read_bytes() == (ROOT / f.relative_to(tmp_path)).read_bytes(), f
