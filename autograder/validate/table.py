"""The validation table: one row per check, printed as soon as it is known."""

from dataclasses import dataclass


@dataclass
class Row:
    """One line of the validation table."""

    slug: str
    check: str
    result: str
    ok: bool


def print_table(rows: list[Row], echo=print, w1: int = 0, w2: int = 0) -> None:
    w1 = max([w1] + [len(r.slug) for r in rows])
    w2 = max([w2] + [len(r.check) for r in rows])
    for r in rows:
        mark = "ok" if r.ok else "FAIL"
        echo(f"{r.slug:<{w1}}  {r.check:<{w2}}  {mark:<4}  {r.result}")
