"""Any instructor's Otter autograder zip: what the judge can reproduce, and refusing the rest.

``inspect`` reads the zip's ``otter_config.json`` and test files and names every feature the
judge would not grade exactly as ``otter run`` does (R, plugins, grading from the log, debug
mode, keys we do not know). Those are refused before any grading: a refused zip exits 2 with
one line per feature, or, with ``--fallback otter-run``, is graded by the real ``otter run``
(see ``otter_fallback``). The supported keys act here: ``seed_variable`` (via ``load``),
``show_hidden`` (feedback), ``points_possible`` and ``score_threshold`` (the total).
"""

import dataclasses
import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .result import QuestionResult, Result

# Keys with no effect on scores or feedback when grading locally (PDFs, Gradescope, logging).
INERT_KEYS = {
    "show_stdout", "show_all_public", "pdf", "token", "course_id", "assignment_id",
    "filtering", "pagebreaks", "autograder_dir", "miniconda_path", "logo", "print_summary",
    "print_score", "zips", "log_level", "warn_missing_pdf", "force_public_test_summary",
    "submit_blank_pdf_on_export_failure", "use_submission_pdf", "pdf_via_html",
}  # fmt: skip
SUPPORTED_KEYS = {
    "seed", "seed_variable", "show_hidden", "points_possible", "score_threshold",
    "assignment_name", "lang",
}  # fmt: skip
# Keys the judge cannot reproduce when set, with the reason an instructor reads.
REFUSED_WHEN_SET = {
    "grade_from_log": "grading from the Otter log (grade_from_log) rebuilds the student's "
    "variables by unpickling them; the judge never unpickles a submission",
    "serialized_variables": "log-based grading (serialized_variables) needs the pickled log",
    "plugins": "Otter plugins run arbitrary instructor code around grading",
    "debug": "debug mode stops grading at the first cell error; the judge runs every cell",
}
MAX_STUDENT_FILES = 500
MAX_STUDENT_BYTES = 24 * 2**20  # under half a wire message (the run message carries them)


@dataclass
class Inspection:
    """What an autograder zip asks for, and the features the judge refuses (empty: gradable)."""

    config: dict
    refused: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # in Otter's order
    ok_format: list[str] = field(default_factory=list)
    possible: dict[str, float] = field(default_factory=dict)  # each question's points

    def message(self, zip_name: str) -> str:
        lines = [f"mml grade: {zip_name} uses features the safe grader cannot reproduce:"]
        lines += [f"  - {why}" for why in self.refused]
        lines.append(
            "  Grade it with `--fallback otter-run` (the real `otter run`: not sandboxed, "
            "about 3 s a submission), or remove those features."
        )
        return "\n".join(lines)


class BadZip(Exception):
    """The file is not an Otter autograder zip at all."""


def inspect(zip_bytes: bytes) -> Inspection:
    """Read the zip's config and tests; every unsupported feature is named in ``refused``."""
    try:
        z = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as e:
        raise BadZip(f"not a zip file: {e}") from None
    with z:
        names = [i.filename for i in z.infolist() if not i.is_dir()]
        try:
            config = json.loads(z.read("otter_config.json")) if "otter_config.json" in names else {}
        except (ValueError, UnicodeDecodeError) as e:
            raise BadZip(f"otter_config.json is not JSON: {e}") from None
        if not isinstance(config, dict):
            raise BadZip("otter_config.json is not a JSON object")
        tests = {n: z.read(n) for n in names if _is_test(n)}
    refused = []
    lang = config.get("lang", "python")
    if lang != "python":
        refused.append(
            f"lang: {str(lang)[:20]!r} (only Python notebooks are graded by the judge; "
            "R tests run in an R kernel)"
        )
    for key, why in REFUSED_WHEN_SET.items():
        if config.get(key):
            refused.append(f"{key}: {why}")
    unknown = sorted(set(config) - INERT_KEYS - SUPPORTED_KEYS - set(REFUSED_WHEN_SET))
    for key in unknown:
        refused.append(f"{str(key)[:60]}: an otter_config.json key this grader does not know")
    refused += _check_values(config)
    r_tests = [n for n in names if n.startswith("tests/") and n.lower().endswith(".r")]
    if r_tests and lang == "python":
        refused.append(f"R test files ({len(r_tests)}, e.g. {r_tests[0][:60]})")
    inspection = Inspection(config=config, refused=refused)
    if not refused:
        _load_tests(tests, inspection)
    return inspection


def _is_test(name: str) -> bool:
    return name.startswith("tests/") and name.endswith(".py") and name.count("/") == 1


def _check_values(config: dict) -> list[str]:
    bad = []
    seed = config.get("seed")
    if seed is not None and (type(seed) is not int or isinstance(seed, bool)):
        bad.append(f"seed: {str(seed)[:30]!r} is not an integer")
    var = config.get("seed_variable")
    if var is not None and not (isinstance(var, str) and var.isidentifier()):
        bad.append(f"seed_variable: {str(var)[:30]!r} is not a Python name")
    for key in ("points_possible", "score_threshold"):
        v = config.get(key)
        if v is not None and (type(v) not in (int, float) or v < 0):
            bad.append(f"{key}: {str(v)[:30]!r} is not a non-negative number")
    return bad


def _load_tests(tests: dict[str, bytes], inspection: Inspection) -> None:
    """Load each test file with Otter's own loader, as the judge will; a file it cannot load
    is a refusal too (Otter would fail the same way, but loudly)."""
    import tempfile

    from autograder import otter_api

    from . import okformat

    if not tests:
        inspection.refused.append("no Python test files (tests/*.py) in the zip")
        return
    with tempfile.TemporaryDirectory(prefix="mml-inspect-") as d:
        for name, data in sorted(tests.items()):
            path = Path(d) / PurePosixPath(name).name
            path.write_bytes(data)
            try:
                tf = otter_api.load_test_file(path)
            except Exception as e:  # instructor files: any error means we cannot use it
                inspection.refused.append(f"{name}: Otter cannot load it ({type(e).__name__})")
                continue
            if tf.name not in inspection.possible:  # a name given twice: the last file's tests
                inspection.questions.append(tf.name)
            inspection.possible[tf.name] = float(tf.possible)
            if okformat.is_ok(tf):
                inspection.ok_format.append(tf.name)


# -- student_files: every file of a submission zip, as ``otter run`` extracts them ----------
def student_files(path: Path, data: bytes, notebook: str) -> dict[str, bytes]:
    """The other files of a submission zip (an .ipynb has none), bounded in count and size."""
    from .load import InvalidSubmission

    if Path(path).suffix.lower() != ".zip":
        return {}
    try:
        return _read_members(data, notebook)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as e:
        raise InvalidSubmission(f"not a readable zip: {str(e)[:200]}") from None


def _read_members(data: bytes, notebook: str) -> dict[str, bytes]:
    from .load import InvalidSubmission

    files: dict[str, bytes] = {}
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            name = info.filename
            parts = PurePosixPath(name).parts
            if info.is_dir() or name == notebook or not parts:
                continue
            if name.startswith("/") or "\\" in name or any(p in ("..", ".") for p in parts):
                continue  # Otter's extractall drops these too
            if len(files) == MAX_STUDENT_FILES:
                raise InvalidSubmission(f"the zip holds more than {MAX_STUDENT_FILES} files")
            total += info.file_size
            if total > MAX_STUDENT_BYTES:
                raise InvalidSubmission("the files in the zip exceed 24 MB")
            with z.open(info) as f:
                blob = f.read(MAX_STUDENT_BYTES + 1)
            total += len(blob) - info.file_size  # the header may lie about the size
            if total > MAX_STUDENT_BYTES:
                raise InvalidSubmission("the files in the zip exceed 24 MB")
            files[name] = blob
    return files


def place(files) -> None:
    """In the sandboxed child: write the submission's files into its private folder (cwd)."""
    import os

    if not isinstance(files, dict):
        return
    for name, blob in files.items():
        if not (isinstance(name, str) and isinstance(blob, bytes)):
            continue
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or any(p in ("..", ".") for p in parts):
            continue
        try:
            os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
            with open(name, "wb") as f:
                f.write(blob)
        except OSError:
            continue  # a name the file system refuses: Otter's extraction would fail too


def flag_kept(question: QuestionResult, kept: set[str]) -> QuestionResult:
    """Mark a question that lost points while its tests met values that cannot leave the
    sandbox (objects of the notebook's own classes, values over the size limit): ``otter
    run`` has the real objects and may score it higher. Said in the result, never silent."""
    if kept and question.score < question.possible:
        return dataclasses.replace(question, kept_in_sandbox=tuple(sorted(kept)[:10]))
    return question


# -- the total, as Otter reports it --------------------------------------------------------
def apply_config(result: Result, config: dict) -> None:
    """``points_possible``, ``score_threshold`` and ``show_hidden`` on one result, as Otter
    (the Result applies them to its total)."""

    def number(x):  # a value `inspect` would refuse is ignored here (the fallback's zips)
        ok = isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
        return float(x) if ok else None

    result.show_hidden = config.get("show_hidden") is True
    result.points_possible = number(config.get("points_possible"))
    result.score_threshold = number(config.get("score_threshold"))


# -- ``mml grade --autograder ZIP``: no course needed ----------------------------------------
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 2048


def main(
    zip_path: Path,
    paths: list[Path],
    out: Path,
    workers: int | None = None,
    timeout: float | None = None,
    scheduler: str | None = None,
    fallback: str | None = None,
    stream=None,
) -> int:
    """Grade ``paths`` with any Otter autograder zip; returns the exit code."""
    import sys

    from . import grade, otter_fallback

    stream = stream or sys.stderr
    try:
        zip_bytes = Path(zip_path).read_bytes()
    except OSError as e:
        print(f"mml grade: cannot read the autograder zip: {e.strerror}: {zip_path}", file=stream)
        return 2
    try:
        inspection = inspect(zip_bytes)
    except BadZip as e:
        print(f"mml grade: {zip_path}: {e}", file=stream)
        return 2
    timeout = float(timeout or DEFAULT_TIMEOUT)
    workers = workers or 2
    if inspection.refused:
        if fallback != "otter-run":
            print(inspection.message(Path(zip_path).name), file=stream)
            return 2
        print(inspection.message(Path(zip_path).name).splitlines()[0], file=stream)
        for why in inspection.refused:
            print(f"  - {why}", file=stream)
        return otter_fallback.grade(Path(zip_path), paths, out, timeout, workers, stream)
    settings = {"timeout": timeout, "memory_mb": DEFAULT_MEMORY_MB, "preimport": _preimports()}
    code = grade(Path(zip_path), paths, out, settings, workers=workers, scheduler=scheduler)
    _say_kept(Path(out), stream)
    return code


def _say_kept(out: Path, stream) -> None:
    """Name the submissions whose lost points involved values kept in the sandbox."""
    flagged = []
    for path in sorted((out / "results").glob("*.json")):
        try:
            r = json.loads(path.read_text())
            if any("kept_in_sandbox" in q for q in r["questions"].values()):
                flagged.append(str(r["submission"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    if flagged:
        print(
            f"mml grade: {len(flagged)} submission(s) lost points on tests that met values which "
            "cannot leave the sandbox (see kept_in_sandbox in their results; `otter run` may "
            f"score them differently): {', '.join(flagged[:10])}",
            file=stream,
        )


def _preimports() -> list[str]:
    """The course's usual warm modules, and pandas when installed (Otter brings it)."""
    import importlib.util

    from .load import preimports

    mods = preimports(Path("/nonexistent"))
    return mods + [m for m in ("pandas",) if importlib.util.find_spec(m)]
