"""course.yml is validated once, and every mistake names the file, the key and the problem."""

import pytest
import yaml

from autograder.course import CourseError, load_course


def edit(root, change):
    path = root / "course.yml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def error_of(root) -> str:
    with pytest.raises(CourseError) as e:
        load_course(root)
    return str(e.value)


def assignment(data):
    return data["modules"][0]["assignments"][0]


def test_the_toy_course_loads(toy):
    course = load_course(toy)
    a = course.assignment("vectors")
    assert a.module == "basics"
    assert [q.name for q in a.questions] == ["q1", "q2"]
    assert a.points == 5
    assert a.template.is_file() and a.tests_file.is_file()
    assert [p.name for p in a.data_files()] == ["weights.csv"]
    assert course.grading.timeout == 20


def test_unknown_key(toy):
    edit(toy, lambda d: assignment(d).update(pionts=3))
    msg = error_of(toy)
    assert "course.yml" in msg
    assert "modules[basics].assignments[vectors].pionts: unknown key" in msg


def test_missing_folder(toy):
    edit(toy, lambda d: assignment(d).update(source="assignments/basics/nowhere"))
    msg = error_of(toy)
    assert "assignments[vectors].source: folder" in msg and "nowhere" in msg


def test_duplicate_slug(toy):
    edit(toy, lambda d: d["modules"][0]["assignments"].append(assignment(d)))
    assert "duplicate assignment slug 'vectors'" in error_of(toy)


def test_question_without_tests(toy):
    edit(
        toy,
        lambda d: assignment(d)["questions"].append(
            {"name": "q3", "functions": ["extra"], "points": 1}
        ),
    )
    assert "questions[q3]: has no test cases" in error_of(toy)


def test_wrong_type_names_the_expected_value(toy):
    edit(toy, lambda d: d["grading"].update(timeout="soon"))
    msg = error_of(toy)
    assert "grading.timeout" in msg and "number" in msg


def test_function_in_two_questions(toy):
    edit(toy, lambda d: assignment(d)["questions"][1]["functions"].append("norm"))
    assert "belong to more than one question" in error_of(toy)


def test_not_yaml(toy):
    (toy / "course.yml").write_text("title: [unclosed\n")
    assert "not valid YAML" in error_of(toy)


def test_unknown_assignment_is_named(toy):
    with pytest.raises(CourseError, match="no assignment 'nope'.*vectors"):
        load_course(toy).assignment("nope")


def test_reveals_must_name_graded_functions_of_another_assignment(toy):
    edit(toy, lambda d: assignment(d).update(reveals={"vectors": ["norm"]}))
    msg = error_of(toy)
    assert "assignments[vectors].reveals.vectors" in msg
    edit(toy, lambda d: assignment(d).update(reveals={"nowhere": ["f"]}))
    assert "reveals.nowhere" in error_of(toy)
