"""The dataset site, built by `aoav-data site DIR` and used in headless Chromium as a person would:
clicking highlighted words, following links, scrolling the timeline, and working from the keyboard."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from conftest import ROOT

CHROMIUM, DRIVER = (
    shutil.which("chromium") or "/usr/bin/chromium",
    shutil.which("chromedriver") or "/usr/bin/chromedriver",
)
ARTIFACTS = ROOT / "test-artifacts" / "site"
HAVE_BROWSER = Path(CHROMIUM).exists() and Path(DRIVER).exists()
if not HAVE_BROWSER and os.environ.get("CI") != "true":  # in CI a missing browser fails, below
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed (.ci/run installs them)", allow_module_level=True
    )


def rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    exe = Path(sys.executable).with_name("aoav-data")
    result = subprocess.run([str(exe), "site", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["app.js", "index.html", "retired.js", "style.css"]
    html = (folder / "index.html").read_text(encoding="utf-8")
    page = re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", html.split('<script id="data"')[0], flags=re.S
    )
    assert "http://" not in page and "https://" not in page  # nothing is loaded from the network (JSON-LD is data)
    return folder / "index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert HAVE_BROWSER, "chromium and chromedriver are missing"
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager look for a driver online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def open_view(browser: Any, site: Path, hash_: str) -> None:
    browser.get(f"{site.as_uri()}{hash_}")
    browser.execute_script("window.dispatchEvent(new HashChangeEvent('hashchange'))")


def by_css(browser: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, selector)


def test_every_evidence_span_of_the_article_is_highlighted(browser: Any, site: Path) -> None:
    open_view(browser, site, "#article")
    marks = by_css(browser, "mark")
    shown = {e for m in marks for e in m.get_attribute("data-evidence").split()}
    expected = {r["evidence_id"] for r in rows("evidence") if r["source_id"] == "aoav-morocco-2018" and r["char_start"]}
    assert shown == expected
    errata = {e for m in marks for e in m.get_attribute("data-errata").split()}
    assert errata == {r["erratum_id"] for r in rows("errata")}
    assert by_css(browser, "mark.erratum"), "errata are marked apart"
    browser.save_screenshot(str(ARTIFACTS / "article.png"))


def test_selecting_a_highlight_shows_its_records(browser: Any, site: Path) -> None:
    open_view(browser, site, "#article")
    evidence_id = "statistics/morocco-attacks-thwarted-since-2002/value/1"
    mark = next(m for m in by_css(browser, "mark") if evidence_id in m.get_attribute("data-evidence").split())
    assert mark.text in "Since 2002, Morocco’s intelligence services have thwarted 341 terrorist attacks"
    mark.click()
    panel = by_css(browser, "#panel")[0]
    assert panel.is_displayed()
    links = [a.get_attribute("href").split("#", 1)[1] for a in panel.find_elements("css selector", "a")]
    assert "statistics/morocco-attacks-thwarted-since-2002" in links
    browser.save_screenshot(str(ARTIFACTS / "article-selected.png"))
    panel.find_element("css selector", "a[href$='statistics/morocco-attacks-thwarted-since-2002']").click()
    assert browser.execute_script("return location.hash") == "#statistics/morocco-attacks-thwarted-since-2002"
    assert "341" in by_css(browser, "dl.record")[0].text


def test_a_records_link_scrolls_to_and_highlights_its_quote(browser: Any, site: Path) -> None:
    open_view(browser, site, "#operations/saint-denis-raid-2015")
    browser.save_screenshot(str(ARTIFACTS / "record.png"))
    link = by_css(browser, "a.show-quote")[0]
    evidence_id = unquote(link.get_attribute("href").split("#article/", 1)[1])
    link.click()
    active = by_css(browser, "mark.active")
    assert active, "the quote is highlighted"
    assert "Following his capture" in " ".join(m.text for m in active)
    in_view = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;", active[0]
    )
    assert in_view, "the quote is scrolled into view"
    assert evidence_id.startswith("operations/saint-denis-raid-2015/")
    browser.save_screenshot(str(ARTIFACTS / "article-quote.png"))


def test_rows_link_to_related_rows(browser: Any, site: Path) -> None:
    open_view(browser, site, "#tables/arrests")
    browser.save_screenshot(str(ARTIFACTS / "table.png"))
    by_css(browser, "a[href='#arrests/melilla-nador-arrests-2014']")[0].click()
    by_css(browser, "dl.record a[href='#operations/melilla-nador-joint-operation-2014']")[0].click()
    assert browser.execute_script("return location.hash") == "#operations/melilla-nador-joint-operation-2014"
    open_view(browser, site, "#actors/anis-amri")
    related = [a.get_attribute("href").split("#", 1)[1] for a in by_css(browser, "ul.related a")]
    assert "incidents/berlin-christmas-market-2016" in related
    assert "operations/amri-warning-2016-09-19" in related


def test_the_timeline_shows_every_dated_record_with_its_precision(browser: Any, site: Path) -> None:
    open_view(browser, site, "#timeline")
    items = by_css(browser, "svg a.tl-item")
    timeline = rows("timeline")
    assert sorted(i.get_attribute("data-record") for i in items) == sorted(r["record_id"] for r in timeline)
    for item in items:
        shape = "circle" if item.get_attribute("data-precision") == "day" else "rect"
        assert item.find_elements("css selector", shape), item.get_attribute("data-record")
    assert len(by_css(browser, "ol.timeline-list li")) == len(timeline)
    browser.save_screenshot(str(ARTIFACTS / "timeline.png"))


def test_the_dataset_card(browser: Any, site: Path) -> None:
    import aoav_data

    open_view(browser, site, "#card")
    assert by_css(browser, "#cite-bibtex")[0].text.strip() == aoav_data.cite("bibtex").strip()
    assert by_css(browser, "#cite-apa")[0].text.strip() == aoav_data.cite("apa").strip()
    counts = {r.find_elements("css selector", "td")[0].text: r.find_elements("css selector", "td")[1].text
              for r in by_css(browser, "table.counts tr")[1:]}  # fmt: skip
    assert counts == {t: str(len(rows(t))) for t in aoav_data.tables()}
    assert any("100.0%" in r.text for r in by_css(browser, "table.coverage tr"))
    assert len(by_css(browser, "button.copy")) == 2
    browser.save_screenshot(str(ARTIFACTS / "card.png"))


def test_the_page_works_from_the_keyboard(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    open_view(browser, site, "#article")
    for _ in range(30):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.tag_name == "mark":
            break
    assert browser.switch_to.active_element.tag_name == "mark", "highlights are reachable with Tab"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert by_css(browser, "#panel")[0].is_displayed()
    nav = by_css(browser, "nav a[href='#timeline']")[0]
    browser.execute_script("arguments[0].focus()", nav)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.execute_script("return location.hash") == "#timeline"


def test_no_console_errors_in_any_view(browser: Any, site: Path) -> None:
    browser.get_log("browser")  # drop what earlier tests left
    for hash_ in (
        "#article",
        "#tables",
        "#tables/evidence",
        "#incidents/paris-bataclan-2015",
        "#incidents/paris-attacks-2015",
        "#timeline",
        "#card",
    ):
        open_view(browser, site, hash_)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def test_a_retired_address_leads_to_the_records_that_replace_it(browser: Any, site: Path) -> None:
    retired = {(r["old_table"], r["old_id"]): r for r in rows("retired_ids")}
    split = retired[("incidents", "paris-attacks-2015")]
    open_view(browser, site, "#incidents/paris-attacks-2015")
    assert "Retired: incidents/paris-attacks-2015" in by_css(browser, "#view h1")[0].text
    assert split["reason"] in by_css(browser, "#view .retired")[0].text
    links = [a.get_attribute("href").split("#", 1)[1] for a in by_css(browser, "#view .successors a")]
    assert [unquote(link) for link in links] == [f"incidents/{i}" for i in split["new_ids"].split("; ")]
    by_css(browser, "#view .successors a")[0].click()
    assert "Not found" not in by_css(browser, "#view h1")[0].text
    open_view(browser, site, "#sources/ref-wikipedia")
    assert "Nothing replaces it." in by_css(browser, "#view")[0].text
