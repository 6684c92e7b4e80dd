"""No name where none belongs (SPEC §9): every output of a fund whose every free text is a name.

``ledgers/privacy/main.beancount`` writes a different rare name into each free-text field
(members' names and contacts, payees, narrations, purposes, children, notes, guarantors, an
exit's reason, a donor, loan accounts' names). Every command in every format, the exports with
and without ``--names``, the consolidated dataset and its queries, the Fava pages and the
notice editions are scanned: outputs documented as name-free carry none of them (the public
notice not even a masked name); outputs that show people show members' names masked and no
other personal text; ``--names`` brings them all back (so the scan can fail).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from fundledger import privacy
from fundledger.cli import main
from fundledger.masking import mask_name
from fundledger.spreadsheet import FORMULA_START, is_number

LEDGER = Path(__file__).parent / "ledgers" / "privacy" / "main.beancount"
AS_OF = "2025-12-31"

# Each free-text field of the ledger and the names written into it.
SEEDED = {
    "member name:": ("甄士隐", "贾雨村", "英莲"),
    "contact:": ("封肃", "单大良", "詹光"),
    "payee": ("周瑞", "倪二", "娄氏", "小鹊", "香菱", "夏金桂", "醉金刚"),
    "narration": ("冷子兴", "智能儿", "多姑娘", "林之孝", "娇红", "薛蟠", "卜固修"),
    "purpose:": ("娇杏", "王短腿", "霍启", "鲍二"),
    "child:": ("宝蟾",),
    "note:": ("单聘仁",),
    "guarantor:": ("石呆子", "花自芳"),
    "reason:": ("甄应嘉",),
    "donor:": ("秦钟",),
    "loan account name:": ("卜世仁", "倪家"),
}
MEMBERS = SEEDED["member name:"]
EVERY_NAME = tuple(name for names in SEEDED.values() for name in names)
MASKED = tuple(mask_name(name) for name in MEMBERS)
# Texts an export has no table for (follow-ups): never in any output, so not expected back.
NOT_EXPORTED = {"note:", "contact:"}


def test_every_seeded_field_is_personal_data_in_privacy():
    assert set(SEEDED) == set(privacy.PERSONAL)


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def leaked(text: str, names: tuple[str, ...] = EVERY_NAME) -> list[str]:
    return [name for name in names if name in text]


def _people_leaks(text: str) -> list[str]:
    """What an output that shows people must not hold: any full name (masked ones are fine)."""
    return leaked(text)


def _name_free_leaks(text: str) -> list[str]:
    return leaked(text) + leaked(text, MASKED)


# ---------------------------------------------------------------- the command line

NAME_FREE_COMMANDS = {
    "check": ("check", LEDGER),
    "balances-table": ("balances", LEDGER, "--as-of", AS_OF),
    "balances-json": ("balances", LEDGER, "--as-of", AS_OF, "--format", "json"),
    **{f"notice-public-{fmt}": ("notice", LEDGER, "--year", 2025, "--format", fmt)
       for fmt in ("md", "html", "json")},
    "notice-public-en": ("notice", LEDGER, "--year", 2025, "--lang", "en"),
}

PEOPLE_COMMANDS = {
    **{f"loans-{fmt}": ("loans", LEDGER, "--as-of", AS_OF, "--format", fmt)
       for fmt in ("table", "json", "csv")},
    **{f"member-{m}-{fmt}": ("member", LEDGER, m, "--as-of", AS_OF, "--format", fmt)
       for m in ("M0001", "M0002", "M0003") for fmt in ("table", "json")},
    **{f"publicity-{fmt}": ("publicity", LEDGER, "--as-of", "2025-11-03", "--format", fmt)
       for fmt in ("table", "md", "json")},
    **{f"notice-internal-{fmt}": ("notice", LEDGER, "--year", 2025, "--edition", "internal",
                                  "--format", fmt) for fmt in ("md", "html", "json")},
}

def _cases(commands: dict[str, tuple]) -> list:
    return [pytest.param(name, args) for name, args in commands.items()]


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return {name: run(*args) for name, args in {**NAME_FREE_COMMANDS, **PEOPLE_COMMANDS}.items()}


@pytest.mark.parametrize(("name", "args"), _cases(NAME_FREE_COMMANDS))
def test_name_free_commands_name_nobody(name, args, outputs):
    assert _name_free_leaks(outputs[name]) == []


@pytest.mark.parametrize(("name", "args"), _cases(PEOPLE_COMMANDS))
def test_commands_that_show_people_show_only_masked_names(name, args, outputs):
    assert _people_leaks(outputs[name]) == []


def test_people_outputs_do_show_the_masked_names(outputs):
    assert all(m in outputs["loans-table"] for m in MASKED[:2])
    assert MASKED[0] in outputs["member-M0001-table"]
    assert MASKED[2] in outputs["publicity-md"]
    assert all(m in outputs["notice-internal-md"] for m in MASKED[1:])  # the relief beneficiaries


# ---------------------------------------------------------------- spreadsheets and Markdown

def test_member_with_names_shows_the_full_name_purpose_and_reason():
    """``member --names`` (SPEC §6) brings back what the masked register leaves out."""
    for member_id, name in zip(("M0001", "M0002", "M0003"), MEMBERS, strict=True):
        text = run("member", LEDGER, member_id, "--as-of", AS_OF, "--format", "json", "--names")
        assert name in text, member_id
    every = "".join(run("member", LEDGER, m, "--as-of", AS_OF, "--format", "json", "--names")
                    for m in ("M0001", "M0002", "M0003"))
    assert leaked(every, SEEDED["purpose:"]) and leaked(every, SEEDED["reason:"])


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_no_live_formula(text: str, where: str) -> None:
    live = [c for c in _cells(text) if c.startswith(FORMULA_START) and not is_number(c)]
    assert live == [], where


def test_loans_csv_has_no_live_formula(outputs):
    assert_no_live_formula(outputs["loans-csv"], "loans")
    assert "'=HYPERLINK(" in outputs["loans-csv"] and "'+cmd|" in outputs["loans-csv"]


def _markdown_tables(text: str) -> list[list[str]]:
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def _unescaped_pipes(line: str) -> int:
    count, escaped = 0, False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    return count


@pytest.mark.parametrize("name", ["notice-public-md", "notice-internal-md", "publicity-md"])
def test_markdown_carries_no_html_and_no_stray_pipe(name, outputs):
    text = outputs[name]
    assert "<script" not in text and "<b>" not in text and "<i>" not in text
    tables = _markdown_tables(text)
    assert tables
    for table in tables:
        widths = {_unescaped_pipes(line) for line in table}
        assert len(widths) == 1, table  # every row as many cells as the header


def test_markdown_shows_the_texts_escaped(outputs):
    assert r"走访\|慰问&lt;b&gt;" in outputs["notice-public-md"]
    assert r"&lt;script&gt;alert(1)&lt;/script&gt;\|第三支部" in outputs["publicity-md"]


@pytest.mark.parametrize("name", ["notice-public-html", "notice-internal-html"])
def test_html_escapes_ledger_text(name, outputs):
    text = outputs[name]
    assert "<script>alert" not in text and "走访|慰问<b>" not in text
    assert "走访|慰问&lt;b&gt;" in text


# ---------------------------------------------------------------- export and consolidate

def _parquet_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*.parquet")):
        table = pq.read_table(path)
        parts.append(json.dumps(table.to_pylist(), ensure_ascii=False, default=str))
        parts.append(str(table.schema.metadata))
    return "\n".join(parts)


def _csv_texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for fmt in ("parquet", "csv"):
        for names in (False, True):
            folder = tmp_path_factory.mktemp(f"export-{fmt}-{names}")
            run("export", LEDGER, "--to", folder, "--format", fmt, "--as-of", AS_OF,
                *(["--names"] if names else []))
            out[fmt, names] = folder
    return out


def test_export_without_names_names_nobody(exported):
    assert _name_free_leaks(_parquet_text(exported["parquet", False])) == []
    for file, text in _csv_texts(exported["csv", False]).items():
        assert _name_free_leaks(text) == [], file


def test_export_with_names_has_every_exported_text(exported):
    wanted = [n for field, names in SEEDED.items() if field not in NOT_EXPORTED for n in names]
    parquet = _parquet_text(exported["parquet", True])
    assert [n for n in wanted if n not in parquet] == []
    csv_text = "".join(_csv_texts(exported["csv", True]).values())
    assert [n for n in wanted if n not in csv_text] == []


def test_export_without_names_says_what_kind_each_transaction_was(exported):
    postings = pq.read_table(exported["parquet", False] / "postings.parquet").to_pylist()
    said = {row["narration"] for row in postings}
    assert {"走访|慰问<b>", "党员捐款", "L2025-001", "上年结转", "医疗救助"} <= said
    loans = [r for r in postings if r["role"] == "loan"]
    assert loans and all(r["account_name"] is None for r in loans)
    named = pq.read_table(exported["parquet", True] / "postings.parquet").to_pylist()
    assert {r["account_name"] for r in named if r["role"] == "loan"} == {"卜世仁养殖借款",
                                                                         "倪家养牛借款"}


@pytest.mark.parametrize("names", [False, True])
def test_export_csv_has_no_live_formula(exported, names):
    texts = _csv_texts(exported["csv", names])
    for file, text in texts.items():
        assert_no_live_formula(text, file)
    assert "'=HYPERLINK(" in texts["members.csv"] and "'+cmd|" in texts["members.csv"]
    if names:
        assert "'-2+3 花自芳" in texts["loans.csv"]


def test_parquet_keeps_the_raw_texts(exported):
    members = pq.read_table(exported["parquet", False] / "members.parquet").to_pylist()
    assert {m["branch"] for m in members} >= {'=HYPERLINK("http://evil.example","x")',
                                              "+cmd|' /C calc'!A0"}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("consolidated")
    run("consolidate", f"privacy={LEDGER}", "--to", folder, "--as-of", AS_OF)
    return folder


def test_the_consolidated_dataset_names_nobody(dataset):
    assert _name_free_leaks(_parquet_text(dataset)) == []


@pytest.mark.parametrize("args", [
    ("--format", "table"), ("--format", "json"), ("--format", "csv"),
    *[("--format", "csv", "--sql", f"SELECT * FROM {table}")
      for table in ("postings", "donations", "relief", "loans", "applications", "members")],
])
def test_consolidated_queries_name_nobody_and_run_no_formula(dataset, args):
    text = run("consolidate", "--query", dataset, *args)
    assert _name_free_leaks(text) == []
    if "csv" in args:
        assert_no_live_formula(text, " ".join(args))


def test_consolidated_raised_leaves_the_opening_entry_out(dataset):
    rows = json.loads(run("consolidate", "--query", dataset, "--format", "json"))
    # dues 5000 + donation 500 + loan interest 100; the 10000 brought forward is not raised
    assert [(r["year"], r["raised"]) for r in rows] == [(2025, "5600.00")]


# ---------------------------------------------------------------- Fava

EXT = "/extension/FundLedger/"
FAVA_PAGES = {
    "position": "page=position", "loans": "page=loans&status=all", "members": "page=members",
    "member-M0001": "page=members&member=M0001", "member-M0003": "page=members&member=M0003",
    "applications": "page=applications", "applications-publicity":
        "page=applications&as_of=2025-11-03", "notice": "page=notice&year=2025",
    "notice-internal": "page=notice&year=2025&edition=internal",
}
FAVA_NOTICES = {f"download-{edition}-{fmt}": f"notice?year=2025&edition={edition}&format={fmt}"
                for edition in ("public", "internal") for fmt in ("md", "html", "json")}


@pytest.fixture(scope="module")
def fava(tmp_path_factory):
    from fava.application import create_app

    folder = tmp_path_factory.mktemp("fava")
    main_file = folder / "main.beancount"
    main_file.write_text(LEDGER.read_text(encoding="utf-8")
                         + '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n',
                         encoding="utf-8")
    client = create_app([main_file], load=True, read_only=True).test_client()
    slug = client.get("/").headers["Location"].strip("/").split("/")[0]

    def get(path: str) -> str:
        response = client.get(f"/{slug}{EXT}{path}")
        assert response.status_code == 200, path
        return response.get_data(as_text=True)
    return get


@pytest.mark.parametrize("query", [pytest.param(q, id=k, marks=())
                                   for k, q in FAVA_PAGES.items()])
def test_fava_pages_show_only_masked_names(query, fava):
    html = fava(f"?{query}&as_of={AS_OF}&partial=true" if "as_of" not in query
                else f"?{query}&partial=true")
    assert _people_leaks(html) == []
    assert "<script>alert" not in html


@pytest.mark.parametrize("query", FAVA_NOTICES.values(), ids=FAVA_NOTICES.keys())
def test_fava_notice_downloads_name_nobody(query, fava):
    text = fava(query)
    assert (_name_free_leaks(text) if "public" in query else _people_leaks(text)) == []
    if "json" not in query:  # JSON is data, served as application/json
        assert "<script>alert" not in text
