"""The dataset site, built by `aoav-data site DIR` and used in headless Chromium as a person would:
clicking highlighted words, following links, filtering, sorting and searching, following map markers,
downloading files, working from the keyboard and on a phone, and checked by axe-core."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
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
IN_CI = os.environ.get("CI") == "true"
if not HAVE_BROWSER and not IN_CI:  # in CI a missing browser fails, below
    pytest.skip(
        "Debian's chromium and chromium-driver are not installed (.ci/run installs them)", allow_module_level=True
    )
# axe-core, from npm, never committed: .ci/run installs it here (`npm install --prefix .ci/node axe-core@4`).
AXE = Path(os.environ.get("AOAV_AXE", ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
# Every view, by address, for screenshots, the console and axe-core.
VIEWS = {
    "article": "#article",
    "tables": "#tables",
    "table-incidents": "#tables/incidents",
    "table-filtered": "#tables/incidents?country_iso3=FRA&sort=date_start&dir=desc",
    "table-evidence": "#tables/evidence",
    "errata": "#errata",
    "record": "#incidents/paris-bataclan-2015",
    "attack": "#attacks/paris-attacks-2015",
    "timeline": "#timeline",
    "map": "#map",
    "map-focused": "#map?focus=incidents%2Fberlin-christmas-market-2016",
    "search": "#search?q=Paris",
    "downloads": "#downloads",
    "card": "#card",
}


def rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    exe = Path(sys.executable).with_name("aoav-data")
    result = subprocess.run([str(exe), "site", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "app.js", "articles", "data", "downloads", "index.html", "retired.js", "store.js", "style.css"
    ]  # fmt: skip
    assert sorted(p.name for p in (folder / "articles").iterdir()) == ["aoav-morocco-2018.js"]
    html = (folder / "index.html").read_text(encoding="utf-8")
    page = re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", html.split('<script id="data"')[0], flags=re.S
    )
    assert "http://" not in page and "https://" not in page  # nothing is loaded from the network (JSON-LD is data)
    return folder / "index.html"


def start_browser(downloads: Path | None = None) -> Any:
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
    if downloads is not None:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    driver = start_browser(downloads)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture()
def phone(browser: Any) -> Iterator[Any]:
    """The browser as a 390 px wide phone screen, for one test."""
    set_width(browser, "phone")
    yield browser
    set_width(browser, "desktop")


def set_width(browser: Any, width: str) -> None:
    w, h = WIDTHS[width]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600}
    )


def open_view(browser: Any, site: Path, hash_: str) -> None:
    browser.get(f"{site.as_uri()}{hash_}")
    browser.execute_script("window.dispatchEvent(new HashChangeEvent('hashchange'))")
    wait_ready(browser)


def wait_ready(browser: Any) -> None:
    """Until the view is drawn (a view whose data files are not loaded yet is drawn when they are)."""
    wait_for(lambda: browser.execute_script("return document.body.dataset.ready === 'true'"), "the view to be drawn")


def by_css(browser: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, selector)


def wait_for(check: Callable[[], Any], what: str, seconds: float = 10) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def shown_ids(browser: Any) -> list[str]:
    return [tr.get_attribute("data-id") for tr in by_css(browser, "table.data tbody tr")]


def address(browser: Any) -> str:
    return str(browser.execute_script("return location.hash"))


def choose(browser: Any, name: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(by_css(browser, f"form.filters select[name='{name}']")[0]).select_by_value(value)


def set_date(browser: Any, name: str, value: str) -> None:
    """A date input's value, as picking a day does (typing into one depends on the locale)."""
    script = "const i = arguments[0]; i.value = arguments[1]; i.dispatchEvent(new Event('change'));"
    browser.execute_script(script, by_css(browser, f"form.filters input[name='{name}']")[0], value)


# ---- the article ------------------------------------------------------------------------------------


def test_every_evidence_span_of_the_article_is_highlighted(browser: Any, site: Path) -> None:
    open_view(browser, site, "#article")
    marks = by_css(browser, ".article-text mark")
    shown = {e for m in marks for e in m.get_attribute("data-evidence").split()}
    expected = {r["evidence_id"] for r in rows("evidence") if r["source_id"] == "aoav-morocco-2018" and r["char_start"]}
    assert shown == expected
    errata = {e for m in marks for e in m.get_attribute("data-errata").split()}
    assert errata == {r["erratum_id"] for r in rows("errata")}
    assert by_css(browser, "mark.erratum"), "errata are marked apart"
    styles = {
        kind: browser.execute_script("return getComputedStyle(arguments[0]).textDecorationStyle", sample)
        for sample in by_css(browser, ".legend .sample")
        if (kind := sample.text) in ("incidents", "operations", "arrests", "statistics")
    }
    assert len(set(styles.values())) == 4, f"each kind has its own underline, not only a colour: {styles}"


def test_selecting_a_highlight_shows_its_records(browser: Any, site: Path) -> None:
    open_view(browser, site, "#article")
    evidence_id = "statistics/morocco-attacks-thwarted-since-2002/value/1"
    mark = next(m for m in by_css(browser, "mark") if evidence_id in m.get_attribute("data-evidence").split())
    assert mark.text in "Since 2002, Morocco’s intelligence services have thwarted 341 terrorist attacks"
    mark.click()
    panel = by_css(browser, "#panel")[0]
    assert panel.is_displayed()
    first = panel.find_elements("css selector", "button, a")[0]
    assert first.get_attribute("class") == "close", "the close control comes first"
    links = [a.get_attribute("href").split("#", 1)[1] for a in panel.find_elements("css selector", "a")]
    assert "statistics/morocco-attacks-thwarted-since-2002" in links
    panel.find_element("css selector", "a[href$='statistics/morocco-attacks-thwarted-since-2002']").click()
    assert address(browser) == "#statistics/morocco-attacks-thwarted-since-2002"
    assert "341" in by_css(browser, "dl.record")[0].text


def test_escape_closes_the_panel_and_focus_returns_to_the_highlight(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    open_view(browser, site, "#article")
    mark = by_css(browser, ".article-text mark.k-incidents")[0]
    browser.execute_script("arguments[0].focus()", mark)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert by_css(browser, "#panel")[0].is_displayed()
    assert browser.switch_to.active_element.get_attribute("class") == "close", "focus moves to the panel's close"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert not by_css(browser, "#panel")[0].is_displayed(), "Escape closes the panel"
    assert browser.switch_to.active_element == mark, "focus returns to the highlight that opened it"
    mark.send_keys(Keys.ENTER)
    by_css(browser, "#panel button.close")[0].click()
    assert not by_css(browser, "#panel")[0].is_displayed()
    assert browser.switch_to.active_element == mark


def test_a_records_link_scrolls_to_and_highlights_its_quote(browser: Any, site: Path) -> None:
    open_view(browser, site, "#operations/saint-denis-raid-2015")
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


def test_rows_link_to_related_rows(browser: Any, site: Path) -> None:
    open_view(browser, site, "#tables/arrests")
    by_css(browser, "a[href='#arrests/melilla-nador-arrests-2014']")[0].click()
    by_css(browser, "dl.record a[href='#operations/melilla-nador-joint-operation-2014']")[0].click()
    assert address(browser) == "#operations/melilla-nador-joint-operation-2014"
    open_view(browser, site, "#actors/anis-amri")
    related = [a.get_attribute("href").split("#", 1)[1] for a in by_css(browser, "ul.related a")]
    assert "incidents/berlin-christmas-market-2016" in related
    assert "operations/amri-warning-2016-09-19" in related


# ---- find and filter ------------------------------------------------------------------------------------


def test_a_table_filters_by_vocabulary_country_dates_and_text_with_the_count(browser: Any, site: Path) -> None:
    incidents = rows("incidents")
    open_view(browser, site, "#tables/incidents")
    assert len(shown_ids(browser)) == len(incidents)
    choose(browser, "country_iso3", "ESP")
    spanish = [r for r in incidents if r["country_iso3"] == "ESP"]
    assert sorted(shown_ids(browser)) == sorted(r["incident_id"] for r in spanish)
    assert by_css(browser, "p.count")[0].text == f"{len(spanish)} of {len(incidents)} rows"
    set_date(browser, "from", "2005-01-01")
    later = [r for r in spanish if r["date_end"] >= "2005-01-01"]
    assert later and len(later) < len(spanish)
    assert sorted(shown_ids(browser)) == sorted(r["incident_id"] for r in later)
    set_date(browser, "to", "2017-08-17")
    assert sorted(shown_ids(browser)) == sorted(r["incident_id"] for r in later if r["date_start"] <= "2017-08-17")
    open_view(browser, site, "#tables/incidents")
    choose(browser, "attack_type", "Armed Assault")
    assert sorted(shown_ids(browser)) == sorted(
        r["incident_id"] for r in incidents if r["attack_type"] == "Armed Assault"
    )
    open_view(browser, site, "#tables/incidents")
    by_css(browser, "form.filters input[name='q']")[0].send_keys("bataclan")
    expected = [r["incident_id"] for r in incidents if any("bataclan" in v.lower() for v in r.values())]
    assert expected and shown_ids(browser) == expected
    assert "q=bataclan" in address(browser)
    open_view(browser, site, "#tables/sources?kind=book")
    assert sorted(shown_ids(browser)) == sorted(r["source_id"] for r in rows("sources") if r["kind"] == "book")


def test_every_column_sorts_both_ways(browser: Any, site: Path) -> None:
    open_view(browser, site, "#tables/incidents")
    by_css(browser, "th[data-column='killed'] button")[0].click()
    numbers = [r for r in rows("incidents") if r["killed"]]
    expected = [r["incident_id"] for r in sorted(numbers, key=lambda r: int(r["killed"]))]
    assert shown_ids(browser)[: len(expected)] == expected, "numbers sort as numbers, empty cells last"
    assert by_css(browser, "th[data-column='killed']")[0].get_attribute("aria-sort") == "ascending"
    by_css(browser, "th[data-column='killed'] button")[0].click()
    assert by_css(browser, "th[data-column='killed']")[0].get_attribute("aria-sort") == "descending"
    assert int(by_css(browser, "table.data tbody tr td")[column_index("incidents", "killed")].text) == max(
        int(r["killed"]) for r in numbers
    )
    assert "sort=killed" in address(browser) and "dir=desc" in address(browser)
    for table in ("arrests", "operations", "claims"):
        open_view(browser, site, f"#tables/{table}")
        headers = by_css(browser, "th[data-column] button")
        assert len(headers) == len(rows(table)[0]), "every column has a sort control"
    open_view(browser, site, "#tables/operations?sort=title")
    titles = [by_css(browser, f"tr[data-id='{i}'] td")[1].text for i in shown_ids(browser)]
    assert titles == sorted(titles, key=str.lower) or titles == sorted(titles)


def column_index(table: str, column: str) -> int:
    """A column's index in the table's CSV."""
    return list(rows(table)[0]).index(column)


def test_a_filtered_address_opened_in_a_new_browser_shows_the_same_rows(browser: Any, site: Path) -> None:
    open_view(browser, site, "#tables/incidents")
    choose(browser, "country_iso3", "FRA")
    by_css(browser, "th[data-column='date_start'] button")[0].click()
    by_css(browser, "th[data-column='date_start'] button")[0].click()
    by_css(browser, "form.filters input[name='q']")[0].send_keys("paris")
    shown = shown_ids(browser)
    assert shown and len(shown) < len(rows("incidents"))
    shared = browser.current_url
    assert "country_iso3=FRA" in shared and "q=paris" in shared and "dir=desc" in shared
    other = start_browser()
    try:
        other.get(shared)
        assert shown_ids(other) == shown
        assert by_css(other, "form.filters select[name='country_iso3']")[0].get_attribute("value") == "FRA"
    finally:
        other.quit()


def test_search_jumps_to_records_and_to_highlighted_words(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    open_view(browser, site, "#article")
    box = by_css(browser, "#search-box")[0]
    box.send_keys("Following his capture", Keys.ENTER)
    assert address(browser).startswith("#search?q=Following")
    quote = by_css(browser, "ol.results a.to-quote")[0]
    quote.click()
    assert address(browser).startswith("#article/")
    assert "Following his capture" in " ".join(m.text for m in by_css(browser, "mark.active"))
    open_view(browser, site, "#search?q=Christmas%20market")
    link = by_css(browser, "ol.results a.to-record[href='#incidents/berlin-christmas-market-2016']")[0]
    link.click()
    assert "Berlin" in by_css(browser, "h1")[0].text
    open_view(browser, site, "#search?q=zzzz-nothing")
    assert by_css(browser, "p.count")[0].text == "0 results"


# ---- downloads ----------------------------------------------------------------------------------------


def test_every_release_file_is_listed_with_its_size_and_hash(browser: Any, site: Path) -> None:
    folder = site.parent / "downloads"
    sums = dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
    open_view(browser, site, "#downloads")
    listed = {tr.get_attribute("data-file"): tr for tr in by_css(browser, "table.downloads tbody tr")}
    formats = {name.rsplit(".", 1)[1] for name in listed}
    assert {"zip", "sqlite", "xlsx", "parquet", "geojson", "dta", "csv"} <= formats
    assert set(sums) <= set(listed), "every file of the release is listed"
    for name, tr in listed.items():
        data = (folder / name).read_bytes()
        assert tr.find_element("css selector", "code.sha256").text == hashlib.sha256(data).hexdigest(), name
        assert tr.find_element("css selector", "td[data-bytes]").get_attribute("data-bytes") == str(len(data))
        assert sums.get(name, hashlib.sha256(data).hexdigest()) == hashlib.sha256(data).hexdigest()
    open_view(browser, site, "#card")
    card = {a.get_attribute("download") for a in by_css(browser, "table.downloads a.download")}
    assert {n for n in listed if n.endswith((".zip", ".sqlite", ".xlsx", ".geojson"))} <= card
    open_view(browser, site, "#tables/arrests")
    table = {a.get_attribute("download") for a in by_css(browser, "table.downloads a.download")}
    assert {n for n in listed if "-arrests." in n} <= table and len({n for n in table if "-arrests." in n}) == 3


def downloaded(folder: Path, name: str) -> bytes:
    path = folder / name
    wait_for(lambda: path.exists() and not (folder / f"{name}.crdownload").exists(), f"the download of {name}")
    return path.read_bytes()


def test_a_release_file_downloads_with_its_listed_hash(browser: Any, site: Path, downloads: Path) -> None:
    open_view(browser, site, "#downloads")
    # The zip: a page opened from a file shows a text file where it is clicked, and saves a binary one.
    row = next(
        tr for tr in by_css(browser, "table.downloads tbody tr") if tr.get_attribute("data-file").endswith(".zip")
    )
    name = row.get_attribute("data-file")
    listed = row.find_element("css selector", "code.sha256").text
    row.find_element("css selector", "a.download").click()
    data = downloaded(downloads, name)
    assert hashlib.sha256(data).hexdigest() == listed
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert json.loads(archive.read(f"{name[:-4]}/datapackage.json"))["name"]


def test_the_filtered_rows_download_as_csv(browser: Any, site: Path, downloads: Path) -> None:
    open_view(browser, site, "#tables/evidence?table=operations&provenance=stated&sort=evidence_id&dir=desc")
    shown = shown_ids(browser)
    expected = [
        r
        for r in sorted(rows("evidence"), key=lambda r: r["evidence_id"], reverse=True)
        if r["table"] == "operations" and r["provenance"] == "stated"
    ]
    assert shown == [r["evidence_id"] for r in expected]
    by_css(browser, "button.download-rows")[0].click()
    data = downloaded(downloads, "evidence-filtered.csv")
    assert data.count(b"\r\n") >= len(expected) + 1, "lines end in CRLF"
    got = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert got == expected, "the rows, in their order, every field as published (quotes and commas kept)"
    assert any('"' in r["quote"] or "," in r["quote"] for r in expected), "the test covers quoting"


# ---- the timeline and the map ---------------------------------------------------------------------------


def test_the_timeline_shows_every_dated_record_with_its_precision(browser: Any, site: Path) -> None:
    open_view(browser, site, "#timeline")
    items = by_css(browser, "svg a.tl-item")
    timeline = rows("timeline")
    assert sorted(i.get_attribute("data-record") for i in items) == sorted(r["record_id"] for r in timeline)
    shapes = {"incident": "circle", "operation": "rect", "arrest": "polygon"}
    kinds = {r["record_id"]: r["kind"] for r in timeline}
    for item in items:
        record = item.get_attribute("data-record")
        shape = shapes[kinds[record]] if item.get_attribute("data-precision") == "day" else "rect.span"
        assert item.find_elements("css selector", shape), record
    assert len(by_css(browser, "ol.timeline-list li")) == len(timeline)
    assert by_css(browser, "svg")[0].get_attribute("role") != "img", "a graphic with links is not an image"


def located() -> dict[str, dict[str, str]]:
    return {
        f"{table}/{r[key]}": r
        for table, key in (("incidents", "incident_id"), ("operations", "operation_id"), ("arrests", "arrest_id"))
        for r in rows(table)
        if r["latitude"]
    }


def test_the_map_shows_every_located_record_with_its_precision(browser: Any, site: Path) -> None:
    open_view(browser, site, "#map")
    markers = {m.get_attribute("data-record"): m for m in by_css(browser, "svg.map a.marker")}
    records = located()
    assert set(markers) == set(records)
    for key, marker in markers.items():
        area = marker.find_elements("css selector", "circle.area")
        assert bool(area) == (records[key]["geo_precision"] != "exact"), key
    assert len(by_css(browser, "svg.map .land path")) > 30, "the base map is drawn"
    assert "Natural Earth" in by_css(browser, ".attribution")[0].text
    scale = "return +document.querySelector('svg.map .land').getAttribute('transform').match(/scale\\(([0-9.]+)/)[1]"
    fitted = browser.execute_script(scale)
    next(b for b in by_css(browser, ".map-tools button") if b.text == "Zoom in").click()
    assert browser.execute_script(scale) == pytest.approx(2 * fitted), "zooming in doubles the scale"
    next(b for b in by_css(browser, ".map-tools button") if b.text == "Whole map").click()
    assert browser.execute_script(scale) < fitted
    choose(browser, "kind", "operation")
    shown = {m.get_attribute("data-record") for m in by_css(browser, "svg.map a.marker")}
    assert shown == {k for k in records if k.startswith("operations/")}
    assert "kind=operation" in address(browser)
    open_view(browser, site, "#map?country_iso3=ESP")
    shown = {m.get_attribute("data-record") for m in by_css(browser, "svg.map a.marker")}
    assert shown == {k for k, r in records.items() if r["country_iso3"] == "ESP"}


def test_map_markers_link_to_the_row_and_the_timeline_and_back(browser: Any, site: Path) -> None:
    open_view(browser, site, "#map")
    by_css(browser, "svg.map a.marker[data-record='incidents/berlin-christmas-market-2016']")[0].click()
    assert "focus=incidents%2Fberlin-christmas-market-2016" in address(browser)
    assert (
        by_css(browser, "svg.map a.marker.focused")[0]
        .get_attribute("data-record")
        .endswith("berlin-christmas-market-2016")
    )
    by_css(browser, ".map-details a.to-row")[0].click()
    row = by_css(browser, "tr.focused")[0]
    assert row.get_attribute("data-id") == "berlin-christmas-market-2016"
    row.find_element("css selector", "a.to-map").click()
    assert (
        by_css(browser, "svg.map a.marker.focused")[0]
        .get_attribute("data-record")
        .endswith("berlin-christmas-market-2016")
    )
    by_css(browser, ".map-details a.to-timeline")[0].click()
    assert by_css(browser, "svg a.tl-item.focused")[0].get_attribute("data-record") == "berlin-christmas-market-2016"
    focused = by_css(browser, "ol.timeline-list li.focused")[0]
    focused.find_element("css selector", "a.to-map").click()
    assert address(browser).startswith("#map")
    by_css(browser, ".map-details a.to-record")[0].click()
    assert address(browser) == "#incidents/berlin-christmas-market-2016"


# ---- the card, keyboards and phones --------------------------------------------------------------------


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
    by_css(browser, "a[href='#errata/" + rows("errata")[0]["erratum_id"] + "']")[0].click()
    open_view(browser, site, "#errata")
    assert by_css(browser, "h1")[0].text == "errata" and len(shown_ids(browser)) == len(rows("errata"))


def test_the_page_works_from_the_keyboard(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    open_view(browser, site, "#article")
    first = browser.execute_script("return document.querySelector('a, button, input, select, [tabindex=\"0\"]')")
    assert first.get_attribute("id") == "skip", "the skip link comes first"
    browser.execute_script("arguments[0].focus()", by_css(browser, "nav a")[0])
    browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("id") == "skip" and skip.is_displayed(), "the skip link is reached and shows"
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", skip)
    assert outline != "none", "focus is visible"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "view"
    for _ in range(10):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.tag_name == "mark":
            break
    assert browser.switch_to.active_element.tag_name == "mark", "highlights are a few Tabs from the skip link"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert by_css(browser, "#panel")[0].is_displayed()
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.execute_script("return document.getElementById('panel').contains(document.activeElement)")
    nav = by_css(browser, "nav a[href='#timeline']")[0]
    browser.execute_script("arguments[0].focus()", nav)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert address(browser) == "#timeline"
    open_view(browser, site, "#tables/incidents")
    button = by_css(browser, "th[data-column='title'] button")[0]
    browser.execute_script("arguments[0].focus()", button)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert "sort=title" in address(browser)


def test_on_a_phone_the_panel_fits_and_the_timeline_is_legible(phone: Any, site: Path) -> None:
    open_view(phone, site, "#article")
    assert phone.execute_script("return innerWidth") == 390
    by_css(phone, ".article-text mark.k-incidents")[0].click()
    rect = phone.execute_script("return document.getElementById('panel').getBoundingClientRect().toJSON()")
    assert rect["left"] >= 0 and rect["right"] <= 390 and rect["bottom"] <= 844, rect
    for hash_ in VIEWS.values():
        open_view(phone, site, hash_)
        wide = phone.execute_script("return document.documentElement.scrollWidth")
        assert wide <= 390, f"{hash_} is {wide} px wide: only tables may scroll, inside their box"
    open_view(phone, site, "#timeline")
    heights = phone.execute_script(
        "return [...document.querySelectorAll('svg text')].map((t) => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 12, f"timeline labels are legible: {min(heights)} px"
    open_view(phone, site, "#map")
    assert by_css(phone, "svg.map")[0].size["width"] <= 390


def test_no_console_errors_in_any_view(browser: Any, site: Path) -> None:
    browser.get_log("browser")  # drop what earlier tests left
    stray = """const walk = document.createTreeWalker(document.getElementById('view'), NodeFilter.SHOW_TEXT);
        const found = [];
        while (walk.nextNode()) if (['null', 'undefined'].includes(walk.currentNode.data.trim())) found.push('x');
        return found;"""
    for hash_ in VIEWS.values():
        open_view(browser, site, hash_)
        assert browser.execute_script(stray) == [], f"{hash_} shows a missing value as text"
        assert by_css(browser, "h1")[0].text != "Not found", hash_
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


# ---- axe-core and screenshots ----------------------------------------------------------------------------


def axe_script() -> str:
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"axe-core is missing at {AXE} (.ci/run installs it with npm)")
        pytest.skip(f"axe-core is not installed: npm install --prefix {ROOT / '.ci' / 'node'} axe-core@4")
    return AXE.read_text(encoding="utf-8")


def serious_violations(browser: Any, axe: str) -> list[str]:
    browser.execute_script(axe)
    result = browser.execute_async_script(
        "const done = arguments[0]; axe.run(document).then((r) => done(r.violations));"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_core_finds_no_serious_problem_in_any_view(browser: Any, site: Path, width: str) -> None:
    axe = axe_script()
    set_width(browser, width)
    try:
        problems = {}
        for name, hash_ in VIEWS.items():
            open_view(browser, site, hash_)
            problems[name] = serious_violations(browser, axe)
        open_view(browser, site, "#article")
        by_css(browser, ".article-text mark.k-operations")[0].click()
        problems["article-panel"] = serious_violations(browser, axe)
    finally:
        set_width(browser, "desktop")
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots_of_every_view(browser: Any, site: Path, width: str) -> None:
    set_width(browser, width)
    try:
        for name, hash_ in VIEWS.items():
            open_view(browser, site, hash_)
            browser.save_screenshot(str(ARTIFACTS / f"{name}-{width}.png"))
        open_view(browser, site, "#article")
        by_css(browser, ".article-text mark.k-statistics")[0].click()
        browser.save_screenshot(str(ARTIFACTS / f"article-panel-{width}.png"))
    finally:
        set_width(browser, "desktop")
    assert len(list(ARTIFACTS.glob(f"*-{width}.png"))) == len(VIEWS) + 1
