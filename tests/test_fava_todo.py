"""The to-do page (待办) in a real Fava and a real browser: the extension's first page, the
same items as ``fundledger todo --format json``, members masked; the open-item count on the
position page; the follow-ups on a member's page. The prefecture demo records tracking
contacts and visits (seed 002). Screenshots go to ``tests/artifacts/fava/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fava_helpers import (
    CHROMEDRIVER,
    CHROMIUM,
    FavaServer,
    chrome,
    console_errors,
    fava_copy,
    screenshot,
)

import fundledger
from fundledger.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
PREFECTURE = ROOT / "ledgers" / "prefecture"
EXT = "/extension/FundLedger/"
AS_OF = "2015-12-31"

pytestmark = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                                reason="needs Debian's chromium and chromium-driver")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    return fava_copy(PREFECTURE, tmp_path_factory.mktemp("fava-todo") / "prefecture")


@pytest.fixture(scope="module")
def fava(ledger, tmp_path_factory):
    server = FavaServer(ledger, tmp_path_factory.mktemp("fava-todo-log") / "fava.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chrome(tmp_path_factory.mktemp("chromium-todo") / "profile")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("FUNDLEDGER_ARTIFACTS") or ROOT / "tests" / "artifacts" / "fava")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(driver, fava, query: str, page: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(fava.base + EXT + ("?" + query if query else ""))
    WebDriverWait(driver, 30).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, f'.fl[data-fl-page="{page}"]')))
    return driver.find_element(By.CSS_SELECTOR, ".fl")


def cli_items(ledger: Path, within: int) -> list[dict]:
    result = CliRunner().invoke(cli, ["todo", str(ledger), "--as-of", AS_OF, "--within",
                                      str(within), "--format", "json"])
    return json.loads(result.stdout)["items"]


@pytest.mark.parametrize("within", [30, 90])
def test_the_first_page_is_the_to_do_list(fava, browser, ledger, artifacts, within):
    from selenium.webdriver.common.by import By

    query = f"as_of={AS_OF}" + ("" if within == 30 else f"&within={within}")
    root = open_page(browser, fava, query, "todo")  # no page= : the first page
    assert console_errors(browser) == []
    tabs = [a.get_attribute("data-fl-tab") for a in root.find_elements(By.CSS_SELECTOR, ".fl-tabs a")]
    assert tabs[0] == "todo"
    shown = [(t.get_attribute("data-fl-table")[5:], row.find_elements(By.TAG_NAME, "td")[0].text,
              int(row.find_elements(By.TAG_NAME, "td")[-1].text))
             for t in root.find_elements(By.CSS_SELECTOR, "table[data-fl-table^=todo-]")
             for row in t.find_elements(By.CSS_SELECTOR, "tbody tr")]
    expected = [(it["kind"], it["id"], it["days"]) for it in cli_items(ledger, within)]
    assert shown == expected and expected
    html = browser.execute_script("return document.querySelector('article').innerHTML")
    names = {m.name for m in fundledger.load(ledger).members.values()}
    assert [n for n in names if n in html] == []
    screenshot(browser, artifacts / f"todo-prefecture-{within}.png")


def test_the_position_page_counts_the_open_items(fava, browser, ledger):
    from selenium.webdriver.common.by import By

    root = open_page(browser, fava, f"page=position&as_of={AS_OF}", "position")
    badge = root.find_element(By.CSS_SELECTOR, '[data-fl="todo-count"] a').text
    assert f" {len(cli_items(ledger, 30))} " in badge


def test_a_member_page_shows_the_follow_ups(fava, browser, ledger, artifacts):
    from selenium.webdriver.common.by import By

    member = fundledger.load(ledger).members["M0001"]
    root = open_page(browser, fava, f"page=members&member=M0001&as_of={AS_OF}", "members")
    rows = root.find_elements(By.CSS_SELECTOR, 'table[data-fl-table="follow-ups"] tbody tr')
    assert len(rows) == len(member.follow_ups) > 0
    assert rows[0].find_elements(By.TAG_NAME, "td")[1].text == member.follow_ups[-1].contact
    screenshot(browser, artifacts / "member-prefecture-follow-ups.png")
