"""Finding submissions and naming them: identities, duplicates, hostile names, stored results."""

import itertools
import json
import os

import pytest

from autograder.grade import load, record
from autograder.grade.result import (
    CaseResult,
    CellError,
    MalformedResult,
    QuestionResult,
    Result,
    Status,
)

SLUG = "mean-covariance"


def touch(path, text="{}"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def names(subs):
    return [s.name for s in subs]


def test_stems_folders_and_what_is_skipped(tmp_path):
    touch(tmp_path / "kate.ipynb")
    touch(tmp_path / "nick" / f"{SLUG}.ipynb")  # an LMS export: one folder per student
    touch(tmp_path / "olga" / "olga-export.zip")
    touch(tmp_path / "notes.txt")
    touch(tmp_path / ".hidden" / "x.ipynb")
    touch(tmp_path / "p" / ".ipynb_checkpoints" / "kate-checkpoint.ipynb")
    touch(tmp_path / "UPPER.IPYNB")
    subs = load.discover([tmp_path], SLUG)
    assert names(subs) == ["UPPER", "kate", "nick", "olga-export"]
    assert {s.name: s.path.name for s in subs}["nick"] == f"{SLUG}.ipynb"
    assert all(len(s.digest) == 64 and s.path.is_absolute() for s in subs)
    # without the assignment's name, the stem is the identity
    assert f"{SLUG}" in names(load.discover([tmp_path / "nick"]))


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        load.discover([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    assert load.discover([tmp_path / "empty"]) == []


def test_same_identity_kept_apart_deterministically(tmp_path):
    a = touch(tmp_path / "a" / "alice.ipynb")
    b = touch(tmp_path / "b" / "alice.ipynb", '{"x": 1}')
    touch(tmp_path / "c" / "bob.ipynb")
    warned = []
    subs = load.discover([tmp_path], SLUG, warned.append)
    assert len(subs) == 3 and len(set(names(subs))) == 3
    assert "bob" in names(subs)
    alices = {s.path: s.name for s in subs if s.name.startswith("alice~")}
    assert set(alices) == {a.resolve(), b.resolve()}
    assert len(warned) == 1 and "alice" in warned[0]
    again = load.discover([tmp_path / "c", tmp_path / "b", tmp_path / "a"], SLUG)
    assert names(again) == names(subs)  # order of the arguments does not matter


def test_crafted_name_cannot_take_a_disambiguated_name(tmp_path):
    touch(tmp_path / "a" / "alice.ipynb")
    touch(tmp_path / "b" / "alice.ipynb")
    first = load.discover([tmp_path], SLUG)
    # the attacker names its file exactly like one of the victims' disambiguated names
    for s in first:
        touch(tmp_path / "evil" / f"{s.name}.ipynb")
    subs = load.discover([tmp_path], SLUG)
    assert len(subs) == 4
    assert len(set(names(subs))) == 4
    assert len({record.file_stem(n) for n in names(subs)}) == 4


def test_file_stems_are_bounded_unique_and_independent_of_the_batch(tmp_path):
    long = "é" * 120 + "x"  # 241 bytes of UTF-8
    cases = [long, "kate", "Kate", "kate/../x", "../../etc/passwd", "=HYPERLINK(1)", "", "-rf", "."]
    stems = [record.file_stem(n) for n in cases]
    assert len(set(stems)) == len(cases)
    for s in stems:
        assert len(s.encode()) <= 80 and "/" not in s and not s.startswith((".", "-"))
        assert s.replace("-", "").replace("_", "").replace(".", "").isalnum()
    assert record.file_stem("kate").startswith("kate-")
    assert record.file_stem("kate") == stems[1]


def test_stem_of_245_bytes_and_undecodable_names(tmp_path):
    long = touch(tmp_path / ("x" * 245 + ".ipynb"))
    odd = tmp_path / os.fsdecode(b"caf\xe9.ipynb")
    touch(odd)
    subs = {s.path: s.name for s in load.discover([tmp_path])}
    assert subs[long.resolve()] == "x" * 245
    assert subs[odd.resolve()] == "caf\ufffd"
    assert subs[odd.resolve()].encode("utf-8")  # valid text for the CSV and the feedback


def test_unreadable_file_has_no_digest(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    p = touch(tmp_path / "locked.ipynb")
    p.chmod(0)
    assert load.discover([tmp_path])[0].digest == ""


def _result(**kw) -> Result:
    q = QuestionResult(
        score=1.0,
        possible=2.0,
        tests=(CaseResult("q1 - 1", True, 1.0, False), CaseResult("q1 - 2", False, 1.0, True)),
    )
    base = dict(
        submission="kate",
        source="/x/kate.ipynb",
        digest="a" * 64,
        autograder_digest="b" * 64,
        status=Status.GRADED,
        questions={"q1": q},
        cell_errors=[CellError(3, "ValueError", "bad")],
        seconds=0.5,
    )
    base.update(kw)
    return Result(**base)


def test_result_round_trip_and_clean_text():
    r = _result(detail="broke \udcff here")
    d = r.to_json()
    json.dumps(d).encode("utf-8")
    assert d["detail"] == "broke \ufffd here" and d["total"] == 1.0 and d["possible"] == 2.0
    assert d["cell_errors"] == [[3, "ValueError", "bad"]]
    back = Result.from_json(json.loads(json.dumps(d)))
    assert back.to_json() == d and back.status is Status.GRADED


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(status="perfect"),
        lambda d: d.update(total=99),
        lambda d: d["questions"]["q1"].update(score=5.0),
        lambda d: d["questions"]["q1"].update(score=float("nan")),
        lambda d: d["questions"]["q1"].update(score="1"),
        lambda d: d["questions"]["q1"]["tests"][0].update(passed=1),
        lambda d: d["questions"]["q1"]["tests"].append({}),
        lambda d: d.update(cell_errors=[["3", "E", "x"]]),
        lambda d: d.update(cell_errors=[[-1, "E", "x"]]),
        lambda d: d.update(digest="../../x"),
        lambda d: d.pop("submission"),
        lambda d: d.update(questions=[]),
    ],
)
def test_from_json_rejects_malformed(change):
    d = _result().to_json()
    change(d)
    with pytest.raises(MalformedResult):
        Result.from_json(d)
    with pytest.raises(MalformedResult):
        Result.from_json([d])


def test_cell_error_parse_drops_forgeries():
    good = CellError.parse([2, "E\udcff", "x" * 9000])
    assert good.index == 2 and good.ename == "E\ufffd" and len(good.evalue) == 500
    for bad in (["1", "E", "x"], [True, "E", "x"], [-1, "E", "x"], [2**70, "E", "x"], [1, "E"]):
        assert CellError.parse(bad) is None


def test_record_resume_rejects_bad_files(tmp_path):
    rec = record.Record(tmp_path)
    r = _result()
    rec.save(r)
    assert rec.is_current("kate", "a" * 64, "b" * 64)
    assert not rec.is_current("kate", "c" * 64, "b" * 64)
    path = rec.path("kate")
    path.write_text("{")
    assert rec.load("kate") is None and not rec.is_current("kate", "a" * 64, "b" * 64)
    forged = r.to_json()
    forged["submission"] = "bob"  # a result that claims another's identity
    path.write_text(json.dumps(forged))
    assert rec.load("kate") is None
    results, skipped = rec.gather()
    assert results == [] and skipped == [path.name]
    rec.save(_result(status=Status.ERROR))
    assert not rec.is_current("kate", "a" * 64, "b" * 64)  # errors are always retried


def test_scores_csv_neutralises_formulas_and_keeps_numbers(tmp_path):
    import csv

    rec = record.Record(tmp_path)
    hostile = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "\tx"]
    results = [_result(submission=n, source=f"={n}") for n in [*hostile, "kate"]]
    rows = list(csv.reader(rec.write_csv(results, ["q1"]).open()))
    assert rows[0] == ["submission", "status", "q1", "total", "possible", "source"]
    cells = {r[0] for r in rows[1:]}
    assert cells == {"'" + n for n in hostile} | {"kate"}
    for r in rows[1:]:
        assert [float(x) for x in r[2:5]] == [1.0, 1.0, 2.0]
        assert r[5].startswith("'=")


def test_atomic_writes_skip_stale_names_and_leave_nothing_behind(tmp_path):
    target = tmp_path / "r.json"
    # Names this process would try next, left over by an earlier process with the same pid.
    stale = [tmp_path / f".tmp-{os.getpid()}-{n}" for n in range(3)]
    record._written = itertools.count()
    for p in stale:
        p.write_text("old")
    record.write_atomic(target, "new")
    assert target.read_text() == "new" and oct(target.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, *(p.name for p in stale)]
    )
    assert all(p.read_text() == "old" for p in stale)  # never written through

    with pytest.raises(TypeError):  # a failed write removes its temporary file
        record.write_atomic(target, 42)
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 4
