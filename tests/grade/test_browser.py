"""report.html and a feedback page in a real headless chromium (Debian's, driven by Playwright).

Screenshots go to each test's tmp dir; `--update-goldens` also refreshes the README's copies in
docs/img (as for the other golden files: an explicit flag, reviewed in the diff).
"""

import shutil
from pathlib import Path

import pytest

from autograder.grade.record import file_stem

from . import classroom

graded_class = classroom.graded_class

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed to load {r.url}"))
    page.goto(url, wait_until="load")
    return page, problems


def test_report_loads_with_every_figure_and_working_links(browser, graded_class, tmp_path, request):
    page, problems = open_page(browser, (graded_class / "report.html").as_uri())
    figures = page.locator("img.figure")
    assert figures.count() == 3  # totals, questions, seconds (test cases: bars in their table)
    for i in range(figures.count()):
        img = figures.nth(i)
        assert img.evaluate("e => e.complete && e.naturalWidth") > 300
        box = img.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 150, img.get_attribute("alt")
    # Each test case's bar is as long as its share failing, worst first.
    bars = page.locator("table.cases td.bar")
    drawn = "e => { const s = getComputedStyle(e); return e.querySelector('span')"
    drawn += ".getBoundingClientRect().width / (e.clientWidth - parseFloat(s.paddingLeft)"
    drawn += " - parseFloat(s.paddingRight)) }"
    shares = [bars.nth(i).get_attribute("aria-label") for i in range(bars.count())]
    shares = [float(a.split("%")[0]) / 100 for a in shares]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0
    for i, share in enumerate(shares):
        assert abs(bars.nth(i).evaluate(drawn) - share) < 0.01
    page.screenshot(path=tmp_path / "report-top.png")  # the top of the page, for the README
    if request.config.getoption("--update-goldens"):
        shutil.copyfile(tmp_path / "report-top.png", DOCS_IMG / "report.png")
    # The similar pair opens into two code columns side by side.
    page.locator("details.pair summary").first.click()
    left, right = (page.locator("details.pair pre").nth(i).bounding_box() for i in (0, 1))
    assert left and right and right["x"] > left["x"] + 200 and abs(right["y"] - left["y"]) < 5
    page.screenshot(path=tmp_path / "report.png", full_page=True)
    links = page.locator("#statuses ~ table a[href^='feedback/']")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert len(hrefs) == 10  # every submission, once per status
    for href in hrefs:
        page.locator(f"a[href='{href}']").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(href)
        assert "Feedback for" in page.locator("p.meta").inner_text()
        page.go_back()
    assert problems == []


def test_feedback_page_renders_styled(browser, graded_class, tmp_path, request):
    page, problems = open_page(
        browser, (graded_class / "feedback" / f"{file_stem('carol')}.html").as_uri()
    )
    assert page.locator("h1").inner_text() == classroom.TITLE
    assert page.locator(".total").inner_text() == "6 / 8"
    failed = page.locator(".bad").first
    assert failed.inner_text() == "✘ Check 1 of q4 failed"
    assert failed.evaluate("e => getComputedStyle(e).color") == "rgb(179, 38, 30)"
    assert page.locator(".bar > span").first.bounding_box()["width"] > 100
    page.screenshot(path=tmp_path / "feedback.png", full_page=True)
    if request.config.getoption("--update-goldens"):
        shutil.copyfile(tmp_path / "feedback.png", DOCS_IMG / "feedback.png")
    assert problems == []
