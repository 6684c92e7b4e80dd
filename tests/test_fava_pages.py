"""The supervisory group's Fava pages (``fundledger.fava``), in a real Fava and a real browser.

A copy of the county demo runs under ``fava --read-only`` on 127.0.0.1; headless Chromium
opens every page, which must load without console errors, show the figures the command line
prints, and never contain a member's full name. A screenshot of every page is kept in
``tests/artifacts/fava/`` (git-ignored; ``FUNDLEDGER_ARTIFACTS=DIR`` chooses another folder).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import time
import urllib.parse
from decimal import Decimal
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
from fundledger import privacy
from fundledger.cli import main as cli
from fundledger.fava import pages

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ROOT / "ledgers" / "county"
EXT = "/extension/FundLedger/"

browser_only = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them with apt-get)")


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    return fava_copy(COUNTY, tmp_path_factory.mktemp("fava") / "county")


@pytest.fixture(scope="module")
def full_names(ledger) -> list[str]:
    names = {m.name.strip() for m in fundledger.load(ledger).members.values() if m.name}
    return sorted(names)


@pytest.fixture(scope="module")
def fava(ledger, tmp_path_factory):
    server = FavaServer(ledger, tmp_path_factory.mktemp("fava-log") / "fava.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("selenium is not installed: pip install '.[test]' (the test extra lists it)")
    driver = chrome(tmp_path_factory.mktemp("chromium") / "profile")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def artifacts(request) -> Path:
    folder = Path(os.environ.get("FUNDLEDGER_ARTIFACTS") or ROOT / "tests" / "artifacts" / "fava")
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    shots = len(list(folder.glob("*.png")))
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # printed even when pytest captures output
        print(f"\nFava page screenshots ({shots}): {folder}")


def cli_json(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.\-]", "", text))


def open_page(driver, fava, query: str, page: str, timeout: float = 30.0):
    """Load a fund page and wait until Fava has put it into <article>."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(fava.base + EXT + "?" + query)
    WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, f'.fl[data-fl-page="{page}"]')))
    return driver.find_element(By.CSS_SELECTOR, ".fl")


def source_of(href: str) -> tuple[str, str]:
    """(file, line) of a link to Fava's editor, however its query is encoded."""
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(href).query)
    return query["file_path"][0], query["line"][0]


def article_html(driver) -> str:
    return driver.execute_script("return document.querySelector('article').innerHTML")


def leaked(html: str, names: list[str]) -> list[str]:
    return [n for n in names if n in html]


# ---------------------------------------------------------------- every page, in the browser

PAGES = [
    ("position", "page=position"),
    ("loans", "page=loans"),
    ("loans-all", "page=loans&status=all"),
    ("loans-2025", "page=loans&status=all&as_of=2025-12-31"),
    ("members", "page=members"),
    ("member", "page=members&member=M0159"),
    ("applications", "page=applications"),
    ("applications-publicity", "page=applications&as_of=2025-03-03"),
    ("notice", "page=notice&year=2025"),
    ("notice-internal", "page=notice&year=2025&edition=internal"),
]


@browser_only
@pytest.mark.parametrize(("name", "query"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_loads_cleanly_and_names_nobody(name, query, fava, browser, full_names,
                                                    artifacts):
    from selenium.webdriver.common.by import By

    console_errors(browser)  # drain what earlier pages left
    page = query.split("&")[0].split("=")[1]
    root = open_page(browser, fava, query, page)
    assert root.find_element(By.CSS_SELECTOR, "nav.fl-tabs")
    html = article_html(browser)
    assert "Traceback" not in html and "TemplateError" not in html
    assert leaked(html, full_names) == []
    # the page as Fava fetches it when navigating (``partial``) names nobody either
    partial, _ = fava.get(EXT + "?" + query + "&partial=true")
    assert leaked(partial.decode(), full_names) == []
    if page == "position":  # Fava's own chart component rendered from our JSON
        browser.find_element(By.CSS_SELECTOR, "svelte-component svg")
    if page == "notice":
        frame = browser.find_element(By.CSS_SELECTOR, "iframe.fl-notice")
        browser.switch_to.frame(frame)
        try:
            assert "2025" in browser.find_element(By.TAG_NAME, "h1").text
            assert leaked(browser.page_source, full_names) == []
        finally:
            browser.switch_to.default_content()
    time.sleep(0.5)  # late console messages (the chart, the iframe)
    assert console_errors(browser) == []
    assert screenshot(browser, artifacts / f"{name}.png").stat().st_size > 10_000


@browser_only
def test_position_matches_balances(fava, browser, ledger):
    from selenium.webdriver.common.by import By

    root = open_page(browser, fava, "page=position", "position")
    day = root.get_attribute("data-fl-as-of")
    want = cli_json("balances", str(ledger), "--as-of", day, "--format", "json")
    for key in ("cash", "loans_outstanding", "principal", "spendable"):
        card = root.find_element(By.CSS_SELECTOR, f'[data-fl="{key}"] .value')
        assert number(card.text) == Decimal(want[key]), key


@browser_only
@pytest.mark.parametrize("as_of", [None, "2025-12-31"])
def test_loan_book_matches_the_command_line(as_of, fava, browser, ledger):
    from selenium.webdriver.common.by import By

    query = "page=loans&status=all" + (f"&as_of={as_of}" if as_of else "")
    root = open_page(browser, fava, query, "loans")
    day = root.get_attribute("data-fl-as-of")
    balances = cli_json("balances", str(ledger), "--as-of", day, "--format", "json")
    overdue = cli_json("loans", str(ledger), "--as-of", day, "--status", "overdue", "--format", "json")
    book = cli_json("loans", str(ledger), "--as-of", day, "--format", "json")

    total = root.find_element(By.CSS_SELECTOR, '[data-fl="book_outstanding"]').text
    card = root.find_element(By.CSS_SELECTOR, '[data-fl="outstanding"] .value').text
    assert number(total) == number(card) == Decimal(balances["loans_outstanding"])
    rows = root.find_elements(By.CSS_SELECTOR, "tr[data-fl-loan]")
    assert [r.get_attribute("data-fl-loan") for r in rows] == [r["id"] for r in book]
    shown_overdue = [r.get_attribute("data-fl-loan") for r in rows
                     if r.get_attribute("data-fl-status") == "overdue"]
    assert shown_overdue == [r["id"] for r in overdue]
    assert root.find_element(By.CSS_SELECTOR, '[data-fl-filter="overdue"]').text.endswith(
        f"({len(overdue)})")
    overdue_card = root.find_element(By.CSS_SELECTOR, '[data-fl="overdue"]')
    assert number(overdue_card.find_element(By.CSS_SELECTOR, ".value").text) == sum(
        (Decimal(r["outstanding"]) for r in overdue), Decimal(0))
    assert f"{len(overdue)} " in overdue_card.find_element(By.CSS_SELECTOR, ".sub").text
    for row in overdue:  # days past due and aging bucket as the command line has them
        tr = root.find_element(By.CSS_SELECTOR, f'tr[data-fl-loan="{row["id"]}"]')
        assert str(row["days_past_due"]) in tr.text and row["aging"] in tr.text
    if as_of == "2025-12-31":  # the repayment rate is the notice's, at a year end
        notice = cli_json("notice", str(ledger), "--year", "2025", "--format", "json")
        rate = root.find_element(By.CSS_SELECTOR, '[data-fl="repayment_rate"] .value').text
        assert Decimal(rate.rstrip("%")) / 100 == Decimal(notice["loans"]["repayment_rate"])


@browser_only
def test_tabs_navigate_inside_fava_and_entries_link_to_the_source(fava, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    console_errors(browser)
    open_page(browser, fava, "page=position", "position")
    browser.find_element(By.CSS_SELECTOR, '[data-fl-tab="loans"]').click()  # Fava's router
    wait = WebDriverWait(browser, 30)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '.fl[data-fl-page="loans"]')))
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-fl-status="overdue"]')
    ours = row.find_element(By.CSS_SELECTOR, 'a[href*="editor/?file_path="]').get_attribute("href")
    where = source_of(ours)
    assert where[0].endswith("loans.beancount") and where[1].isdigit()
    # the entry link opens Fava's context of the disbursement; its location link is the same
    row.find_element(By.CSS_SELECTOR, 'a[href^="#context-"]').click()
    fava_link = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, 'dialog .content a[href*="editor/?file_path="]')))
    assert source_of(fava_link.get_attribute("href")) == where
    browser.get(ours)  # Fava's editor opens the file at that line
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".cm-editor")))
    time.sleep(0.5)
    assert console_errors(browser) == []


# ---------------------------------------------------------------- downloads and data, over HTTP

@browser_only
@pytest.mark.parametrize("edition", ["public", "internal"])
def test_notice_downloads_are_the_command_lines(edition, fava, ledger, full_names):
    today = datetime.date.today().isoformat()
    for fmt_ in ("json", "md", "html"):
        body, headers = fava.get(f"{EXT}notice?year=2025&edition={edition}&format={fmt_}"
                                 "&lang=zh&download=1")
        assert "attachment" in headers["Content-Disposition"]
        text = body.decode()
        assert leaked(text, full_names) == []
        result = CliRunner().invoke(cli, ["notice", str(ledger), "--year", "2025", "--edition",
                                          edition, "--format", fmt_, "--generated", today])
        if fmt_ == "json":
            assert json.loads(text) == json.loads(result.stdout)
        else:
            assert text == result.stdout


# ---------------------------------------------------------------- language, without a browser

SMALL = (ROOT / "tests" / "ledgers" / "spec_example.beancount")


@pytest.mark.parametrize(("language", "accept", "words"), [
    (None, "en-US,en", ("Loan book", "Repayment rate")),
    (None, "zh-CN,zh", ("借款台账", "还款率")),
    ("en", "zh-CN,zh", ("Loan book", "Repayment rate")),
    ("zh_CN", "en-US,en", ("借款台账", "还款率")),
])
def test_pages_follow_favas_language(language, accept, words, tmp_path):
    from fava.application import create_app

    extra = '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n'
    if language:
        extra += f'2000-01-01 custom "fava-option" "language" "{language}"\n'
    main = tmp_path / "main.beancount"
    main.write_text(SMALL.read_text(encoding="utf-8") + extra, encoding="utf-8")
    app = create_app([main], load=True, read_only=True)
    client = app.test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    response = client.get(f"/{slug}{EXT}?page=loans&as_of=2026-12-31",
                          headers={"Accept-Language": accept})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(w in html for w in words)
    assert "张秀兰" not in html.split("<article>")[1]  # the SPEC example's member, masked
    assert "张*兰" in html
    assert client.post(f"/{slug}{EXT}notice").status_code in (401, 404, 405)  # read-only


def test_one_state_per_load(tmp_path):
    """The pages build the fund state once per Fava load, from Fava's own entries."""
    from urllib.parse import unquote

    from fava.application import create_app

    main = tmp_path / "main.beancount"
    main.write_text(SMALL.read_text(encoding="utf-8")
                    + '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n', encoding="utf-8")
    app = create_app([main], load=True, read_only=True)
    client = app.test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    ledger = app.config["LEDGERS"][unquote(slug)]
    ext = ledger.extensions.get_extension("FundLedger")
    for page in ("position", "loans", "members", "applications", "notice"):
        assert client.get(f"/{slug}{EXT}?page={page}").status_code == 200
    state = ext.state
    assert ext.state is state
    assert state.loans["L2025-003"].disbursement in ledger.all_entries  # Fava's own entries
    ledger.load_file()  # what Fava does when a file changes
    assert ext.state is not state


@pytest.mark.parametrize(("query", "day"), [
    ("time=2025", "2025-12-31"), ("time=2025-06", "2025-06-30"),
    ("time=2025&as_of=2025-03-01", "2025-03-01"), ("as_of=not-a-day", None),
    ("as_of=2025/3/1", "2025-03-01"), ("as_of=2025年3月1日", "2025-03-01"),
    ("as_of=2025-2-30", None)])
def test_the_day_shown_follows_favas_time_filter(query, day, tmp_path):
    from fava.application import create_app

    main = tmp_path / "main.beancount"
    main.write_text(SMALL.read_text(encoding="utf-8")
                    + '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n', encoding="utf-8")
    client = create_app([main], load=True, read_only=True).test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    html = client.get(f"/{slug}{EXT}?page=loans&{query}").get_data(as_text=True)
    shown = re.search(r'data-fl-as-of="([^"]+)"', html).group(1)
    assert shown == (day or datetime.date.today().isoformat())


def test_a_ledger_without_fund_records_still_renders(tmp_path):
    from fava.application import create_app

    main = tmp_path / "main.beancount"
    main.write_text('option "title" "新建基金"\n'
                    '2000-01-01 custom "fava-extension" "fundledger.fava"\n', encoding="utf-8")
    client = create_app([main], load=True, read_only=True).test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    for page in ("position", "loans", "members", "applications", "notice"):
        assert client.get(f"/{slug}{EXT}?page={page}").status_code == 200
    assert client.get(f"/{slug}{EXT}notice?year=2025&format=md").status_code == 200
    assert client.get(f"/{slug}{EXT}notice?year=x&format=md").status_code == 400


# ---------------------------------------------------------------- the figures' definitions

SUMMARY_DAY = datetime.date(2025, 6, 1)


def _loan(n: int, outstanding: str, days: int, due: datetime.date | None = None):
    """A loan of 1000.00 with ``outstanding`` left, ``days`` past due on SUMMARY_DAY."""
    from fundledger.state import Loan, LoanMove

    start, lent = datetime.date(2024, 1, 1), Decimal("1000.00")
    loan = Loan(f"L{n}", f"Assets:Loans:L{n}", disbursed_on=start, principal=lent,
                due=due or SUMMARY_DAY - datetime.timedelta(days=days))
    loan.moves = [LoanMove(start, lent, "disburse", Decimal(0), None),
                  LoanMove(datetime.date(2024, 6, 1), Decimal(outstanding) - lent, "repay",
                           Decimal(0), None)]
    return loan


def test_par_is_by_outstanding_balance_beyond_the_threshold():
    from fundledger.view_loans import loan_summary

    loans = [_loan(1, "100.00", 30), _loan(2, "200.00", 31), _loan(3, "300.00", 91),
             _loan(4, "400.00", 0, due=datetime.date(2027, 1, 1))]
    s = loan_summary(loans, SUMMARY_DAY)
    assert s.outstanding == Decimal("1000.00")
    assert s.at_risk_30 == Decimal("500.00") and s.par30 == Decimal("0.5000")
    assert s.at_risk_90 == Decimal("300.00") and s.par90 == Decimal("0.3000")
    assert [(b.label, b.count, b.outstanding) for b in s.buckets] == [
        ("1-30", 1, Decimal("100.00")), ("31-90", 1, Decimal("200.00")),
        ("91-180", 1, Decimal("300.00")), (">180", 0, Decimal("0"))]
    assert s.overdue_count == 3 and s.fell_due == Decimal("3000.00")
    assert loan_summary([], SUMMARY_DAY).par30 is None


def test_guarantors_that_look_like_people_are_masked():
    names = frozenset({"张秀兰"})
    shown = privacy.guarantor_shown
    assert shown("中田村党支部", names) == "中田村党支部"
    assert shown("宏村镇人民政府", names) == "宏村镇人民政府"
    assert shown("张秀兰", names) == "张*兰"
    assert shown("王建国", names) == "王*国"
    assert shown("阿依古丽·买买提", names) == "阿**丽·买*提"
    assert shown("中田村党支部张秀兰", names) == "中*******兰"  # an organisation word saves no name
    assert shown("欧阳修远房表哥", names) == "欧阳****哥"  # longer than four: still a person
    assert shown(None, names) is None


# ---------------------------------------------------------------- Fava's own pages

def test_favas_source_files_are_the_ledgers_files(fava, ledger):
    # Fava offers options["include"] in its file menu and editor: every one must open
    body, _ = fava.get("/api/ledger_data")
    include = json.loads(body)["data"]["options"]["include"]
    assert sorted(include) == sorted(str(p) for p in fundledger.load(ledger).source_files)
    for filename in include:
        body, _ = fava.get("/api/source?filename=" + urllib.parse.quote(filename))
        assert json.loads(body)["data"]["source"]


# ---------------------------------------------------------------- bad queries (issue item 8)

def _small_client(tmp_path, extra=""):
    from fava.application import create_app

    main = tmp_path / "main.beancount"
    main.write_text(SMALL.read_text(encoding="utf-8") + extra
                    + '\n2025-01-01 custom "fava-extension" "fundledger.fava"\n'
                    '2025-01-01 custom "fava-option" "language" "zh_CN"\n', encoding="utf-8")
    client = create_app([main], load=True, read_only=True).test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]
    return client, slug


def _problems(html: str) -> list[str]:
    return re.findall(r'data-fl="problem">([^<]*)<', html)


def test_a_far_as_of_day_is_clamped_to_the_books(tmp_path):
    client, slug = _small_client(tmp_path)
    today = datetime.date.today().isoformat()
    started = time.monotonic()
    response = client.get(f"/{slug}{EXT}?page=position&as_of=9999-12-31")
    assert time.monotonic() - started < 3
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(html) < 1_000_000
    assert re.search(r'data-fl-as-of="([^"]+)"', html).group(1) == today
    assert _problems(html) == [f"截止日 9999-12-31 不在账本的日期范围（2025-01-01 至 {today}）内，"
                               f"按 {today} 显示"]
    early = client.get(f"/{slug}{EXT}?page=loans&as_of=0001-01-01").get_data(as_text=True)
    assert re.search(r'data-fl-as-of="([^"]+)"', early).group(1) == "2025-01-01"


@pytest.mark.parametrize(("query", "problem"), [
    ("page=position&as_of=abc", "截止日“abc”不是日期，按 {today} 显示"),
    ("page=applications&year=x", "年度“x”不是年份"),
    ("page=notice&year=x", "年度“x”不是年份"),
])
def test_unparsable_queries_say_so(tmp_path, query, problem):
    client, slug = _small_client(tmp_path)
    response = client.get(f"/{slug}{EXT}?{query}")
    assert response.status_code == 200
    today = datetime.date.today().isoformat()
    assert _problems(response.get_data(as_text=True)) == [problem.format(today=today)]


@pytest.mark.parametrize("year", ["0", "1", "-5", "2024", "10000"])
def test_a_notice_year_outside_the_books_is_a_clear_answer(tmp_path, year):
    client, slug = _small_client(tmp_path)
    covered = f"2025–{datetime.date.today().year}"
    page = client.get(f"/{slug}{EXT}?page=notice&year={year}")
    assert page.status_code == 200
    assert _problems(page.get_data(as_text=True)) == [f"账本没有 {year} 年度的账目：账本记录的年度为 {covered}"]
    download = client.get(f"/{slug}{EXT}notice?year={year}&format=md")
    assert download.status_code == 400
    assert download.get_data(as_text=True).startswith(f"账本没有 {year} 年度的账目")
    english = client.get(f"/{slug}{EXT}notice?year={year}&format=json&lang=en")
    assert english.status_code == 400 and f"the ledger covers {covered}" in english.get_data(as_text=True)


def test_the_cash_accounts_table_heads_its_names_as_account_names(tmp_path):
    client, slug = _small_client(tmp_path)
    html = client.get(f"/{slug}{EXT}?page=position").get_data(as_text=True)
    head = re.search(r"<h3>其中各现金账户</h3>.*?</thead>", html, re.S).group(0)
    assert "账户名称" in head and "姓名" not in head


def test_opening_inflows_are_not_money_raised():
    from types import SimpleNamespace

    state = fundledger.load(SMALL).state
    raised = pages.position_page(state, datetime.date(2025, 12, 31)).years[0].raised
    first = state.inflows[0]
    opening = SimpleNamespace(**{k: getattr(first, k) for k in ("date", "account", "pool", "amount",
                                                                 "donor", "campaign", "entry")},
                              opening=True)
    state.inflows.append(opening)
    try:
        page = pages.position_page(state, datetime.date(2025, 12, 31))
    finally:
        state.inflows.remove(opening)
    assert page.years[0].raised == raised
    assert sum(s.by_year.get(2025, Decimal(0)) for s in page.sources) == raised
