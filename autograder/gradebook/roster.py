"""A class roster (CSV) and the matching of submission file names to its students."""

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Canvas "download submissions": <sortablename>[_late]_<user id>_<submission id>_<file name>
CANVAS_DOWNLOAD = re.compile(r"^(?P<name>[a-z0-9]+?)(?:_late)?_(?P<uid>\d+)_(?P<sub>\d+)_.+$", re.I)
DISAMBIGUATED = re.compile(r"^(?P<stem>.+)-[0-9a-f]{6}$")  # load.discover's suffix for twins

COLUMNS = {
    "name": ("student", "name", "full name", "student name"),
    "first": ("first name", "given name", "firstname"),
    "last": ("last name", "surname", "family name", "lastname"),
    "id": ("id", "canvas id", "user id"),
    "sis_id": ("sis user id", "student id", "id number", "idnumber", "student number"),
    "login": ("sis login id", "login id", "login", "username", "user name"),
    "email": ("email", "email address", "e-mail", "e-mail address", "mail"),
    "section": ("section", "group"),
}


class RosterError(Exception):
    """A roster that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class Student:
    """One roster row, with the fields the LMS exports need."""

    name: str
    id: str = ""
    sis_id: str = ""
    login: str = ""
    email: str = ""
    section: str = ""

    def keys(self) -> set[str]:
        """Normalised forms a file name may carry: names in both orders, login, email, ids."""
        keys = {normalise(self.name), normalise(self.login), normalise(self.sis_id)}
        if "," in self.name:  # Canvas's sortable name "Last, First"
            last, first = self.name.split(",", 1)
            keys.add(normalise(first + last))
        else:
            parts = self.name.split()
            keys.add(normalise("".join(parts[-1:] + parts[:-1])))
        if self.email:
            keys |= {normalise(self.email), normalise(self.email.split("@")[0])}
        return {k for k in keys if k}


def normalise(text: str) -> str:
    """Case, accents and separators do not matter: ``Zoë O'Neil`` -> ``zoeoneil``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.casefold())


def read_roster(path: Path) -> list[Student]:
    """Students from a CSV with an identifier column and a name or email column."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise RosterError(f"{path}: cannot read the roster: {e}") from None
    if not rows:
        raise RosterError(f"{path}: the roster is empty")
    header = [h.strip().casefold() for h in rows[0]]
    where = {
        field: next((header.index(n) for n in names if n in header), None)
        for field, names in COLUMNS.items()
    }
    ids = ("id", "sis_id", "login", "email")
    named = where["name"] is not None or where["last"] is not None or where["email"] is not None
    if not named or all(where[k] is None for k in ids):
        raise RosterError(
            f"{path}: needs an identifier column (ID, SIS User ID, SIS Login ID, Username or "
            f"Email) and a name or email column; found {', '.join(rows[0]) or 'no header'}"
        )

    def cell(row, key):
        i = where[key]
        return row[i].strip() if i is not None and i < len(row) else ""

    students = []
    for row in rows[1:]:
        first_last = (cell(row, "first"), cell(row, "last"))
        name = cell(row, "name") or " ".join(x for x in first_last if x)
        if not any(c.strip() for c in row) or name.strip().casefold() == "points possible":
            continue  # blank lines and the "Points Possible" row of a Canvas export
        s = Student(
            name or cell(row, "email"),
            **{k: cell(row, k) for k in ("id", "sis_id", "login", "email", "section")},
        )
        students.append(s)
    if not students:
        raise RosterError(f"{path}: the roster has a header but no students")
    return students


class Matcher:
    """Finds the roster student a submission belongs to, from its identity and its path."""

    def __init__(self, students: list[Student]):
        self.by_key: dict[str, set[int]] = {}
        self.by_canvas_id: dict[str, int] = {}
        for i, s in enumerate(students):
            for k in s.keys():
                self.by_key.setdefault(k, set()).add(i)
            if s.id.isdigit():
                self.by_canvas_id[s.id] = i
        self.students = students

    def match(self, identity: str, source: str = "") -> tuple[Student | None, str]:
        """The student, or None and why not (no match, or which students it could be)."""
        names = [identity]
        m = DISAMBIGUATED.match(identity)
        if m:
            names.append(m.group("stem"))
        if source:
            path = Path(source)
            names += [path.stem, path.parent.name]
        for n in names:
            c = CANVAS_DOWNLOAD.match(n)
            if c and c.group("uid") in self.by_canvas_id:
                return self.students[self.by_canvas_id[c.group("uid")]], ""
        for n in names:
            c = CANVAS_DOWNLOAD.match(n)
            for key in filter(None, (normalise(n), normalise(c.group("name")) if c else "")):
                hits = self.by_key.get(key, set())
                if len(hits) == 1:
                    return self.students[next(iter(hits))], ""
                if len(hits) > 1:
                    who = ", ".join(sorted(self.students[i].name for i in hits))
                    return None, f"could be any of: {who}"
        return None, "matches no one in the roster"
