"""The clerk's desk (记账, issue 14 item 1) in a real Fava (not read-only) and a real Chromium:
each form is filled and previewed, then submitted and written; a refused entry shows its
Chinese errors beside the field and writes nothing; the pasted donation list is written at
once. Screenshots go to ``tests/artifacts/fava/desk-*.png``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
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

ROOT = Path(__file__).resolve().parent.parent
LEDGERS = Path(__file__).parent / "ledgers"
EXT = "/extension/FundLedger/"

pytestmark = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                                reason="needs Debian's chromium and chromium-driver")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fava-desk")
    (folder / "src").mkdir()
    (folder / "src" / "main.beancount").write_bytes(
        (LEDGERS / "spec_example.beancount").read_bytes())
    return fava_copy(folder / "src", folder / "ledger")


@pytest.fixture(scope="module")
def fava(ledger, tmp_path_factory):
    server = FavaServer(ledger, tmp_path_factory.mktemp("fava-desk-log") / "fava.log",
                        read_only=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chrome(tmp_path_factory.mktemp("chromium-desk") / "profile")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("FUNDLEDGER_ARTIFACTS") or ROOT / "tests" / "artifacts" / "fava")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.beancount"))}


def open_form(driver, fava, kind: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{fava.base}{EXT}?page=desk&kind={kind}")
    WebDriverWait(driver, 30).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, f'form.fl-desk[data-fl-desk="{kind}"][data-fl-ready]')))
    return driver.find_element(By.CSS_SELECTOR, "form.fl-desk")


def fill(form, values: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for name, value in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        elif field.get_attribute("type") == "date":
            field.parent.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)


def press(driver, form, action: str) -> str:
    """Click preview or submit; what the page says came of it (``data-fl-done``)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("delete arguments[0].dataset.flDone", form)
    form.find_element(By.CSS_SELECTOR, f'[data-fl-action="{action}"]').click()
    WebDriverWait(driver, 60).until(lambda d: form.get_attribute("data-fl-done"))
    return form.get_attribute("data-fl-done")


# Each kind's form, filled as a clerk would, in an order where each entry is allowed by the
# ones before it (a member, reviewed, applies; the application's steps, approval, loan, repay;
# a second application refused; a reschedule, a write-off approval and a release).
FORMS = [
    ("member", {"date": "2026-02-02", "id": "M0100", "name": "李金明", "branch": "东山村党支部",
                "category": "rural", "contact": "155****3089"}),
    ("review", {"date": "2026-02-03", "member": "M0100", "tier": "special"}),
    ("apply", {"date": "2026-02-04", "id": "A2026-001", "member": "M0100", "apply-kind": "loan",
               "amount": "3000", "purpose": "生猪养殖"}),
    ("step", {"date": "2026-02-05", "application": "A2026-001", "step": "branch-review"}),
    ("step", {"date": "2026-02-06", "application": "A2026-001", "step": "publicity"}),
    ("approve", {"date": "2026-02-16", "application": "A2026-001", "amount": "3000",
                 "body": "乡党委", "minutes": "乡委〔2026〕3号"}),
    ("step", {"date": "2026-02-17", "application": "A2026-001", "step": "inspect"}),
    ("loan", {"date": "2026-02-18", "application": "A2026-001", "amount": "3000",
              "guarantor": "东山村党支部"}),
    ("repay", {"date": "2026-03-18", "loan": "L2026-001", "principal": "500"}),
    # a second application from the member, refused (不予帮扶: the step reject)
    ("apply", {"date": "2026-03-06", "id": "A2026-002", "member": "M0100", "apply-kind": "relief",
               "amount": "2000", "purpose": "住院医疗"}),
    ("step", {"date": "2026-03-09", "application": "A2026-002", "step": "reject"}),
    # the committee's decisions: L2026-001 (due 2028-02-18, 24 months) extended six months,
    # within loan-extension-months (12: at most 2029-02-18)
    ("reschedule", {"date": "2026-03-20", "loan": "L2026-001", "due": "2028-08-18",
                    "minutes": "乡委〔2026〕5号"}),
    # approval to write off what is left of L2025-003 (2000 after its 2026-06-05 repayment);
    # the loss transaction itself is no desk form, and the approval alone is allowed (FL308
    # is a loss without approval)
    ("write-off", {"date": "2026-09-10", "loan": "L2025-003", "minutes": "乡委〔2026〕9号"}),
    # principal (1000: the 2025 and 2026 members' donations) to spendable, 500 of it
    ("release", {"date": "2026-09-15", "amount": "500", "minutes": "乡委〔2026〕10号"}),
    ("donation", {"date": "2026-03-01", "amount": "500", "donor": "王建国",
                  "campaign": "2026一日捐"}),
    ("allocation", {"date": "2026-03-02", "amount": "20000", "account": "Income:Dues",
                    "payer": "县委组织部"}),
    ("relief", {"date": "2026-03-03", "member": "M0100", "account": "Visits", "amount": "300"}),
    ("follow-up", {"date": "2026-03-04", "member": "M0100", "contact": "支部书记",
                   "note": "生猪长势良好"}),
    ("open", {"date": "2026-03-05", "account": "Income:Donations:Society", "name": "社会捐款",
              "pool": "spendable"}),
]


def test_every_form_previews_then_writes(fava, browser, ledger, artifacts):
    from selenium.webdriver.common.by import By

    problems = []
    for kind, values in FORMS:
        form = open_form(browser, fava, kind)
        fill(form, values)
        before = files_of(ledger.parent)
        assert press(browser, form, "preview") == "preview", (kind, browser.find_element(
            By.CSS_SELECTOR, "[data-fl=desk-result]").text)
        preview = browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-preview]").text
        assert files_of(ledger.parent) == before
        done = press(browser, form, "submit")
        result = browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-result]").text
        if done != "written":
            problems.append((kind, result[:600]))
            continue
        assert preview.splitlines()[0] in result
        shot = "reject" if kind == "step" and values["step"] == "reject" else kind
        if shot in ("member", "loan", "donation", "repay", "reject", "reschedule", "write-off",
                    "release"):
            screenshot(browser, artifacts / f"desk-{shot}-written.png")
    assert problems == []
    assert "今天的政策" in browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-policy]").text
    assert console_errors(browser) == []
    fund = fundledger.load(ledger)
    assert fund.errors == []
    text = "".join(p.read_text(encoding="utf-8") for p in ledger.parent.rglob("*.beancount"))
    assert text.count("entered-by:") >= len(FORMS)


def test_a_refused_entry_shows_errors_beside_the_field(fava, browser, ledger, artifacts):
    from selenium.webdriver.common.by import By

    form = open_form(browser, fava, "donation")
    fill(form, {"date": "2026-03-06", "amount": "5.001", "donor": "张三",
                "account": "Income:Donations:Membrs"})
    before = files_of(ledger.parent)
    assert press(browser, form, "submit") == "refused"
    assert files_of(ledger.parent) == before
    errors = browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-errors]").text
    assert errors
    beside = " ".join(e.text for e in form.find_elements(By.CSS_SELECTOR, ".fl-bad .fl-field-errors"))
    assert beside, errors
    screenshot(browser, artifacts / "desk-refused.png")
    form = open_form(browser, fava, "review")
    fill(form, {"member": "M0007"})
    form.find_element(By.NAME, "tier")  # a select of the closed vocabulary
    assert press(browser, form, "submit") in ("written", "refused")


def test_a_pasted_donation_list_is_written_at_once(fava, browser, ledger, artifacts):
    from selenium.webdriver.common.by import By

    form = open_form(browser, fava, "donations")
    area = form.find_element(By.NAME, "rows")
    rows = "日期\t捐款人\t金额\t募捐活动\n2026-04-01\t东山村党支部\t1,200.00\t2026一日捐\n" \
           "2026-04-01\t赵六\t50\t2026一日捐\n"
    browser.execute_script("arguments[0].value = arguments[1]", area, rows)
    assert press(browser, form, "preview") == "refused"  # two donation sources now: which?
    assert "Income:Donations" in browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-errors]").text
    fill(form, {"account": "Income:Donations:Members"})
    assert press(browser, form, "preview") == "preview"
    assert press(browser, form, "submit") == "written"
    result = browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-result]").text
    assert "共 2 笔" in result
    screenshot(browser, artifacts / "desk-donations-written.png")
    form = open_form(browser, fava, "donations")
    area = form.find_element(By.NAME, "rows")
    browser.execute_script("arguments[0].value = arguments[1]", area,
                           "2026-04-02\t钱七\t50\t2026一日捐\n2026-04-02\t孙八\t五十\t2026一日捐\n")
    fill(form, {"account": "Income:Donations:Members"})
    before = files_of(ledger.parent)
    assert press(browser, form, "submit") == "refused"
    assert files_of(ledger.parent) == before
    beside = form.find_element(By.CSS_SELECTOR, '[data-fl-errors="rows"]').text
    assert "金额" in beside
    screenshot(browser, artifacts / "desk-donations-refused.png")
    # a list over two years goes to two files: the page names both and shows both texts
    form = open_form(browser, fava, "donations")
    area = form.find_element(By.NAME, "rows")
    browser.execute_script("arguments[0].value = arguments[1]", area,
                           "2025-12-30\t周九\t20\t2025一日捐\n2026-04-03\t吴十\t30\t2026一日捐\n")
    fill(form, {"account": "Income:Donations:Members"})
    assert press(browser, form, "submit") == "written"
    status = form.find_element(By.XPATH, "following::*[@data-fl='desk-status']").text
    shown = browser.find_element(By.CSS_SELECTOR, "[data-fl=desk-preview]").text
    assert status.count(".beancount:") == 2 and "2026.beancount" in status, status
    assert '"周九"' in shown and '"吴十"' in shown
    screenshot(browser, artifacts / "desk-donations-two-years.png")
