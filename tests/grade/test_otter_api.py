"""The parts of Otter the judge relies on: this fails loudly if an Otter release changes them."""

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
