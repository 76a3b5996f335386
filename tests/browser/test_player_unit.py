"""The player's logic (playlist and MPD parsing, ABR decisions, the live-edge controller, MP4 boxes,
origins and tokens) in headless Chromium: player_unit.html imports the modules from a running
server's /player/ and reports each test's result."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

PAGE = Path(__file__).parent / "player_unit.html"
# As many tests as player_unit.html defines: a page that stops early must not pass.
EXPECTED_TESTS = 41


def test_player_logic_in_chromium(antenne, driver):
    driver.get(PAGE.as_uri() + "?base=" + quote(antenne.url("/player/"), safe=""))
    deadline = time.monotonic() + 30
    while not driver.execute_script("return window.done === true") and time.monotonic() < deadline:
        time.sleep(0.1)
    results = driver.execute_script("return window.results || []")
    failures = [f"{r['name']}:\n{r.get('message')}" for r in results if not r["ok"]]
    assert not failures, "\n\n".join(failures)
    assert len(results) == EXPECTED_TESTS, [r["name"] for r in results]
    print(f"\n{len(results)} player unit tests passed in Chromium")
