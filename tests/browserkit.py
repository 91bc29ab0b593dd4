"""Headless Debian chromium for the browser tests, through /usr/bin/chromedriver (never a downloaded
driver, no network: every background service of the browser is switched off)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1300,1000")
ROOT = Path(__file__).resolve().parent.parent


def have_chromium() -> bool:
    return os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)


def artefacts_dir() -> Path:
    """Where screenshots go: $PAPERKG_ARTEFACTS, else test-artefacts/ at the repository root."""
    path = Path(os.environ.get("PAPERKG_ARTEFACTS") or ROOT / "test-artefacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def make_driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser():
    if not have_chromium():
        pytest.skip("Debian chromium + chromium-driver are not installed (.ci/run installs them)")
    profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
    driver = make_driver(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
