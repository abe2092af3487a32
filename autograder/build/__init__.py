"""``mml build``: compose, execute, ``otter assign``, and place stable outputs under dist/."""

import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

from ..builds import NOT_BUILD_INPUTS, Built, framework_files, source_hash  # noqa: F401
from ..course import Assignment, Course
from ..kernel import NotebookStopped, run_notebook
from .compose import compose_master, number_cells

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class BuildError(Exception):
    """An assignment that could not be built, with the reason."""


def execute(nb: nbformat.NotebookNode, workdir: Path, timeout: int, where: str) -> None:
    """Run every code cell in a real Jupyter kernel within ``timeout`` seconds (``build.timeout``
    in course.yml); any error, a cell that never ends, or a dead kernel fails the build."""
    try:
        run_notebook(nb, workdir, timeout)
    except CellExecutionError as e:
        raise BuildError(f"{where}: the reference notebook fails when executed:\n{e}") from None
    except NotebookStopped as e:
        at = "before its first cell"
        if e.cell_index is not None:
            at = f"at the cell starting {_first_line(nb.cells[e.cell_index].source)!r}"
        raise BuildError(
            f"{where}: the reference notebook stopped {at}: {e.reason} "
            "(build.timeout in course.yml)"
        ) from None


def _first_line(source: str) -> str:
    return source.strip().splitlines()[0][:60] if source.strip() else "(empty)"


def otter_assign(master: Path, result: Path, where: str) -> None:
    """Run the real ``otter assign`` on the master notebook."""
    proc = subprocess.run(
        [sys.executable, "-m", "otter", "assign", master.name, str(result)],
        cwd=master.parent,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise BuildError(f"{where}: otter assign failed:\n{proc.stdout}\n{proc.stderr}")


def normalise_notebook(path: Path, prefix: str) -> None:
    """Stable cell ids and no execution timestamps, so rebuilds are byte-identical."""
    nb = nbformat.read(path, as_version=4)
    number_cells(nb, prefix)
    nbformat.write(nb, path)


def repack_zip(src: Path, dest: Path) -> None:
    """Rewrite a zip with sorted entries and fixed dates and modes (Otter stamps the time)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist()):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            executable = name in ("run_autograder", "setup.sh")
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, zin.read(name))


def build_one(course: Course, assignment: Assignment, out: Path, force: bool = False) -> bool:
    """Build one assignment into ``out/<slug>``; return False when it was already up to date."""
    built = Built(assignment.slug, out / assignment.slug)
    digest = source_hash(course, assignment)
    outputs = (built.student_notebook, built.autograder_zip, built.reference_notebook)
    if not force and built.stamp.is_file() and all(p.is_file() for p in outputs):
        if built.stamp.read_text().strip() == digest:
            return False

    where = f"{assignment.slug}"
    master = compose_master(course, assignment)
    with tempfile.TemporaryDirectory(prefix=f"mml-build-{assignment.slug}-") as tmp:
        work = Path(tmp) / "master"
        work.mkdir()
        for f in assignment.data_files():
            target = work / f.relative_to(assignment.template_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, target)
        execute(master, work, course.build.timeout, where)
        master_path = work / f"{assignment.slug}.ipynb"
        nbformat.write(master, master_path)
        result = Path(tmp) / "result"
        otter_assign(master_path, result, where)

        staged = Path(tmp) / "staged"
        shutil.copytree(result / "student", staged / "student")
        for stray in (staged / "student").rglob(".OTTER_LOG"):
            stray.unlink()
        normalise_notebook(staged / "student" / f"{assignment.slug}.ipynb", assignment.slug)
        (staged / "autograder").mkdir()
        zips = sorted((result / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise BuildError(f"{where}: otter assign wrote {len(zips)} zip files, expected 1")
        repack_zip(zips[0], staged / "autograder" / built.autograder_zip.name)
        reference = staged / "autograder" / built.reference_notebook.name
        shutil.copy2(result / "autograder" / f"{assignment.slug}.ipynb", reference)
        normalise_notebook(reference, assignment.slug)
        (staged / ".build-stamp").write_text(digest + "\n")

        if built.root.exists():
            shutil.rmtree(built.root)
        built.root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), built.root)
    return True


def build(course: Course, slugs: list[str] | None, out: Path, force: bool = False, echo=print):
    """Build the selected assignments (all by default), showing progress; return Built list."""
    selected = course.select(slugs)
    done = []
    for k, a in enumerate(selected, 1):
        start = time.perf_counter()
        echo(f"[{k}/{len(selected)}] {a.slug} ...", end=" ", flush=True)
        changed = build_one(course, a, out, force)
        took = time.perf_counter() - start
        echo(f"built in {took:.1f}s" if changed else "up to date")
        done.append(Built(a.slug, out / a.slug))
    return done


def ensure_built(course: Course, slug: str, out: Path = Path("dist")) -> Built:
    """The assignment's build outputs, building (quietly) first if they are missing or stale."""
    out = out if out.is_absolute() else course.root / out
    build_one(course, course.assignment(slug), out)
    return Built(slug, out / slug)
