"""Zygotes forked warm from one template: one warm-up for all, each still its own sandbox."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from autograder.grade import pool, sandbox


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def _ns(pid: int, kind: str) -> str:
    return os.readlink(f"/proc/{pid}/ns/{kind}")


def _gone(pid: int, within: float = 10) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True  # ended; its parent has not reaped it yet
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def _count_starts(monkeypatch) -> list[dict]:
    """The configs of the fresh interpreters started (a template or a plain zygote each)."""
    started = []
    start = sandbox._start
    monkeypatch.setattr(sandbox, "_start", lambda config: started.append(config) or start(config))
    return started


def test_a_template_warms_up_once_and_forks_zygotes_that_are_each_a_sandbox(monkeypatch):
    started = _count_starts(monkeypatch)
    pool.prestart(["numpy"], 3)
    try:
        zygotes = list(pool._early)
        template = pool._template
        for z in zygotes:
            z.ready()
        # one fresh interpreter (the template) warmed up; the three zygotes are its forks
        assert [c.get("template") for c in started] == [True]
        assert all(z.proc is None and _ppid(z.pid) == template.proc.pid for z in zygotes)
        pids = {z.pid for z in zygotes}
        assert len(pids) == 3 and os.getpid() not in pids
        if os.geteuid() == 0:  # namespaces and sandbox users need root (CI runs as root)
            # each made its own namespaces after the fork: nothing shared by their children
            me = os.getpid()
            assert len({_ns(z.pid, "net") for z in zygotes} | {_ns(me, "net")}) == 4
            children = {_ns(z.pid, "pid_for_children") for z in zygotes}
            assert len(children | {_ns(me, "pid")}) == 4
            assert all(z.features["netns"] and z.features["pidns"] for z in zygotes)
            assert len({z.uid for z in zygotes}) == 3  # one cannot kill another's child
    finally:
        pool.stop_prestarted()
    assert template.proc.returncode is not None  # the template waited for them, then ended
    assert all(_gone(pid) for pid in pids)


def test_one_worker_needs_no_template(monkeypatch):
    started = _count_starts(monkeypatch)
    pool.prestart(["numpy"], 1)
    try:
        (z,) = pool._early
        z.ready()
        assert pool._template is None and z.proc is not None and not started[0].get("template")
    finally:
        pool.stop_prestarted()
    assert z.proc.returncode is not None


@pytest.mark.parametrize("adopt", [0, 1])
def test_a_template_ends_with_this_process_hanging_up(adopt):
    """Unadopted zygotes are closed; an adopted one ends when its holder hangs up."""
    pool.prestart(["numpy"], 2)
    zygotes = list(pool._early)
    for z in zygotes:
        z.ready()
    held = [pool._early.pop() for _ in range(adopt)]
    pids = [z.pid for z in zygotes]
    template = pool._template
    for z in held:
        z.ctrl.close()  # as a judge's exit does
    pool.stop_prestarted()
    assert template.proc.returncode == 0 and all(_gone(pid) for pid in pids)


def test_the_zygote_loads_only_the_modules_its_children_use():
    """Started as sandbox.ZYGOTE_MAIN starts it: the package's __init__ (judge, pool, Otter's
    test classes) stays out of the zygote, and so out of every child's memory."""
    script = sandbox.ZYGOTE_MAIN.replace("main()\n", "") + textwrap.dedent(
        """
        import sys
        from autograder.grade import zygote
        zygote._warm(["numpy"])
        print(sorted(m for m in ("autograder.grade.judge", "autograder.grade.pool", "otter",
                                 "autograder.grade.child", "autograder.grade.otter_zip")
                     if m in sys.modules))
        import autograder.grade
        print(autograder.grade.open_batch.__name__, "autograder.grade.pool" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-800:]
    assert out.stdout.splitlines() == [
        "['autograder.grade.child', 'autograder.grade.otter_zip']",
        "open_batch True",  # anything else asked of the package runs its __init__ then
    ]


def test_matplotlib_without_its_property_tables_draws_the_same():
    """imports.brief_matplotlib_docs: shorter docstrings, everything else as before."""
    script = textwrap.dedent(
        """
        import inspect, io, sys
        from autograder import imports
        if sys.argv[1] == "brief":
            imports.brief_matplotlib_docs()
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
        line = Line2D([0, 1], [0, 1])
        line.set(color="red", linewidth=3)
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0], label="x")
        ax.legend()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        print(imports.MATPLOTLIB_DOCS in Line2D.set.__doc__, "antialiased" in Line2D.set.__doc__,
              "color" in inspect.signature(Line2D.set).parameters, line.get_linewidth(),
              buf.getvalue()[:4] == b"\\x89PNG" and len(buf.getvalue()) > 5000)
        """
    )
    run = lambda mode: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script, mode], capture_output=True, text=True
    )
    brief, full = run("brief"), run("full")
    assert brief.returncode == full.returncode == 0, brief.stderr[-500:] + full.stderr[-500:]
    assert brief.stdout.split() == ["True", "False", "True", "3.0", "True"]
    assert full.stdout.split() == ["False", "True", "True", "3.0", "True"]
