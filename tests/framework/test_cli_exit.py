"""``mml`` leaves through ``cli.run``: exit handlers, flushed output and the exit code kept,
the interpreter's teardown skipped."""

import os
import subprocess
import sys
import textwrap


def test_run_keeps_exit_handlers_output_and_the_exit_code(tmp_path):
    marker = tmp_path / "atexit-ran"
    script = textwrap.dedent(
        f"""
        import atexit, sys
        atexit.register(lambda: open({str(marker)!r}, "w").write("yes"))
        print("printed before leaving, not yet flushed")
        sys.argv = ["mml", "grade", "no-such-assignment", {str(tmp_path)!r}, "--out",
                    {str(tmp_path / "out")!r}]
        from autograder.cli import run
        run()
        print("never reached")
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, then
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 2, out.stderr[-500:]
    assert out.stdout == "printed before leaving, not yet flushed\n"  # a pipe: block-buffered
    assert out.stderr.count("\n") == 1 and "no-such-assignment" in out.stderr
    assert marker.read_text() == "yes"
