#!/usr/bin/env python3
"""The README's screenshots (docs/*.png): the explorer over a build, and its report, in headless
Debian chromium (the browser tests' driver, tests/browserkit.py).

Usage: python scripts/screenshots.py kg-out [--entity method/mixture-of-experts] [--search mixture]
Writes docs/home.png, docs/search.png, docs/entity.png, docs/report.png (runs `kg report` into OUTDIR).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import make_driver  # noqa: E402
from servekit import serving  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--entity", default="method/mixture-of-experts")
    ap.add_argument("--search", default="mixture")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    args.docs.mkdir(exist_ok=True)
    report = args.outdir / "report.html"
    subprocess.run([sys.executable, "-m", "kg", "report", str(args.outdir), "-o", str(report)], cwd=ROOT, check=True)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as profile, serving(args.outdir) as site:
        driver = make_driver(Path(profile))
        try:
            driver.set_window_size(1300, 900)
            driver.get(site.url + "/")
            box = WebDriverWait(driver, 20).until(EC.element_to_be_clickable((By.ID, "live-search")))
            driver.save_screenshot(str(args.docs / "home.png"))
            box.send_keys(args.search)
            WebDriverWait(driver, 20).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#live-results li.hit")))
            time.sleep(0.3)
            driver.save_screenshot(str(args.docs / "search.png"))
            driver.set_window_size(1300, 1250)
            driver.get(site.url + "/" + args.entity)
            WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!window.kgGraph"))
            time.sleep(0.5)
            driver.save_screenshot(str(args.docs / "entity.png"))
            driver.set_window_size(1300, 1400)
            driver.get(report.resolve().as_uri())
            time.sleep(0.5)
            driver.save_screenshot(str(args.docs / "report.png"))
        finally:
            driver.quit()
    print(f"wrote home.png, search.png, entity.png, report.png to {args.docs}")


if __name__ == "__main__":
    main()
