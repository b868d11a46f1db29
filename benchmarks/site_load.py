"""How long the dataset site's first view takes to load in headless Chromium.

`first_view_seconds(site_dir)` opens `site_dir/index.html` from `file://` in a fresh headless Chromium
(a new browser, so nothing is cached) and times it from the navigation until the first view is drawn:
the app sets `document.body.dataset.ready = "true"` once a view is drawn with its data. The browser's
own start is not counted. The median of `runs` loads is returned.

`python -m benchmarks.site_load SITE_DIR [--runs N]` prints it."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# As the browser tests run it (tests/test_site.py): offline, no first-run or background work.
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
)  # fmt: skip
READY = "return document.body !== null && document.body.dataset.ready === 'true'"


def _browser() -> Any:
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager look for a driver online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def load_seconds(site_dir: Path, timeout: float = 120) -> float:
    """One cold load of the first view, in seconds."""
    url = (Path(site_dir).resolve() / "index.html").as_uri()
    driver = _browser()
    try:
        driver.get("about:blank")
        started = time.perf_counter()
        driver.get(url)  # returns after the load event; the first view may still be drawing
        while not driver.execute_script(READY):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"the first view of {url} was not drawn in {timeout} s")
            time.sleep(0.005)
        return time.perf_counter() - started
    finally:
        driver.quit()


def first_view_seconds(site_dir: Path, runs: int = 3) -> float:
    """The median of `runs` cold loads of the site's first view, in seconds."""
    return statistics.median(load_seconds(site_dir) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site_load", description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path, help="a folder written by `aoav-data site`")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        parser.error(f"{args.site_dir} has no index.html")
    print(f"{first_view_seconds(args.site_dir, args.runs):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
