"""The parts of Otter the judge relies on: this fails loudly if an Otter release changes them."""

import subprocess
import sys
import textwrap

from autograder import otter_api

TEST_FILE = textwrap.dedent(
    """
    OK_FORMAT = False

    from otter.test_files import test_case

    name = "q7"
    points = 3

    @test_case(points=1, hidden=False)
    def test_double(double):
        assert double(2) == 4, "double(2) should be 4"

    @test_case(points=2, hidden=True)
    def test_double_negative(double, env):
        assert double(-3) == -6
    """
)


def test_load_run_and_score_a_test_file(tmp_path):
    path = tmp_path / "q7.py"
    path.write_text(TEST_FILE)
    tf = otter_api.load_test_file(path)
    assert tf.name == "q7" and float(tf.possible) == 3
    assert [otter_api.test_params(tc) for tc in tf.test_cases] == [["double"], ["double", "env"]]

    right = otter_api.fresh(tf)
    otter_api.run(right, {"double": lambda x: 2 * x})
    assert float(right.score) == 3 and all(r.passed for r in right.test_case_results)

    wrong = otter_api.fresh(tf)  # a fresh copy: no score cached from the run above
    otter_api.run(wrong, {"double": lambda x: x + 2})
    assert float(wrong.score) == 1
    failed = [r for r in wrong.test_case_results if not r.passed]
    assert len(failed) == 1 and "Test case failed" in failed[0].message

    result = otter_api.case_result(tf.test_cases[0], "not run", False)
    assert result.test_case is tf.test_cases[0] and result.message == "not run"


OK_FILE = textwrap.dedent(
    """
    OK_FORMAT = True

    test = {
        "name": "q8",
        "points": 2,
        "suites": [
            {
                "cases": [
                    {"code": ">>> double(2)\\n4", "hidden": False, "locked": False},
                    {"code": ">>> double(5)\\n10", "hidden": True, "locked": False},
                ],
                "scored": True,
                "setup": "",
                "teardown": "",
                "type": "doctest",
            }
        ],
    }
    """
)


def _shape(tf):
    return (
        type(tf).__name__,
        tf.name,
        float(tf.possible),
        [(tc.name, tc.points, tc.hidden) for tc in tf.test_cases],
    )


def test_our_loader_builds_what_otters_does_and_caches_compiled_code(tmp_path, monkeypatch):
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(otter_api, "_loaded", {})
    for name, text in (("q7.py", TEST_FILE), ("q8.py", OK_FILE)):
        path = tmp_path / name
        path.write_text(text)
        ours = otter_api.load_test_file(path)
        assert _shape(ours) == _shape(create_test_file(str(path), NBMetadataConfig()))
    assert _shape(ours)[0] == "OKTestFile" and _shape(ours)[3][1][2] is True

    cached = list((tmp_path / "cache" / "mml" / "code").glob("*.marshal"))
    assert len(cached) == 2  # one compiled file per distinct source
    # A damaged cache entry is compiled again, never trusted: same test file, same scores.
    for f in cached:
        f.write_bytes(b"not marshal data")
    monkeypatch.setattr(otter_api, "_loaded", {})
    again = otter_api.load_test_file(tmp_path / "q7.py")
    assert _shape(again) == _shape(create_test_file(str(tmp_path / "q7.py"), NBMetadataConfig()))
    run = otter_api.fresh(again)
    otter_api.run(run, {"double": lambda x: x + 2})
    assert float(run.score) == 1


def test_otter_test_files_load_without_the_rest_of_otter():
    # The grader needs Otter's test classes, not its exporters (nbconvert) or runner (pandas);
    # anything that asks the package for more gets Otter's own __init__, run then.
    script = textwrap.dedent(
        """
        import sys
        from autograder import otter_api
        otter_api.lazy_package()
        from otter.test_files import ExceptionTestFile
        heavy = [m for m in ("pandas", "nbconvert", "otter.api") if m in sys.modules]
        import otter
        print(heavy, otter.__version__ == otter.version.__version__, otter.Notebook.__name__)
        print("pandas" in sys.modules, ExceptionTestFile is otter.test_files.ExceptionTestFile)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[] True Notebook", "True True"]
