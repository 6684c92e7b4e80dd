"""Commands for analysts: ``export`` one fund's tables, ``consolidate`` many funds into one
Parquet dataset (hive-partitioned by fund and year) and answer cross-fund questions over it
with DuckDB. docs/ANALYSTS.md shows the layout and how to query it from pandas, DuckDB or Spark.

cli.py registers the commands on ``main``. pyarrow and DuckDB are imported only when one of
these commands runs.
"""

from __future__ import annotations

import datetime
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from .cli_common import AS_OF, LANG, LEDGER, InputError, _csv, _day, _json, _open, _report_errors
from .money import as_str, fmt
from .table import render

FUND_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
FORMAT = click.option("--format", "fmt_", type=click.Choice(["table", "json", "csv"]),
                      default="table", show_default=True)


# ---------------------------------------------------------------- export

@click.command("export")
@LEDGER
@click.option("--to", "to", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出目录 (folder to write the tables into)")
@click.option("--format", "fmt_", type=click.Choice(["parquet", "csv", "xlsx"]),
              default="parquet", show_default=True,
              help="xlsx：一个工作簿，每表一个工作表 (xlsx: one workbook, a sheet per table)")
@click.option("--names", is_flag=True,
              help="包含成员等个人姓名 (include members' and other people's names)")
@AS_OF
def export_cmd(ledger: str, to: Path, fmt_: str, names: bool,
               as_of: datetime.datetime | None) -> None:
    """导出一个基金的数据表 (one fund's tables as Parquet or CSV files, or one xlsx workbook)."""
    from .frames import tables

    fund = _open(ledger)
    built = tables(fund, _day(as_of), names)
    written = []
    try:
        to.mkdir(parents=True, exist_ok=True)
        if fmt_ == "xlsx":
            from .workbooks import tables_xlsx

            path = to / "tables.xlsx"
            path.write_bytes(tables_xlsx(built))
            written = [f"{path}\t{table.num_rows}\t{name}" for name, table in built.items()]
        for name, table in built.items() if fmt_ != "xlsx" else ():
            path = to / f"{name}.{fmt_}"
            _write_file(table, path, fmt_)
            written.append(f"{path}\t{table.num_rows}")
    except OSError as exc:
        raise InputError(f"无法写入 {to}: {exc} (cannot write the export)") from None
    click.echo("\n".join(written))
    sys.exit(_report_errors(fund))


def _write_file(table: Any, path: Path, fmt_: str) -> None:
    """Parquet keeps every value as the ledger has it (data for programs); CSV is for
    spreadsheets, so a text that would run as a formula is neutralised (``spreadsheet``)."""
    if fmt_ == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
    else:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        from .csvtext import BOM
        from .spreadsheet import safe_columns

        out = pa.BufferOutputStream()
        pcsv.write_csv(safe_columns(table), out, pcsv.WriteOptions(quoting_style="needed"))
        # UTF-8 with a byte-order mark, as Excel and WPS want it (SPEC §6)
        path.write_bytes(BOM.encode("utf-8") + out.getvalue().to_pybytes())


# ---------------------------------------------------------------- consolidate

def fund_id(argument: str) -> tuple[str, str]:
    """``ID=PATH`` or ``PATH``; the ID defaults to the ledger's folder (for main.beancount) or stem."""
    if "=" in argument and not Path(argument).exists():
        ident, path = argument.split("=", 1)
    else:
        path = argument
        p = Path(argument)
        ident = p.resolve().parent.name if p.stem == "main" else p.stem
    if not FUND_ID.match(ident):
        raise click.UsageError(f"基金编号 {ident!r} 只能含字母、数字、- 和 _；请写成 ID=PATH "
                               f"(fund id {ident!r} must be letters, digits, - or _: write ID=PATH)")
    return ident, path


def _unify_decimals(per_fund: list[Any]) -> list[Any]:
    """Cast each decimal column to one type across funds, wide enough for all (exact)."""
    import pyarrow as pa

    widest: dict[str, tuple[int, int]] = {}
    for table in per_fund:
        for field in table.schema:
            if pa.types.is_decimal(field.type):
                precision, scale = widest.get(field.name, (0, 0))
                digits = max(precision - scale, field.type.precision - field.type.scale)
                scale = max(scale, field.type.scale)
                widest[field.name] = (min(digits + scale, 38), scale)
    out = []
    for table in per_fund:
        schema = pa.schema([f.with_type(pa.decimal128(*widest[f.name])) if f.name in widest else f
                            for f in table.schema], metadata=table.schema.metadata)
        out.append(table.cast(schema))
    return out


def consolidate(ledgers: list[tuple[str, str]], to: Path, as_of: datetime.date) -> list[Any]:
    """Write every fund's tables under ``to/<table>/fund=<id>/year=<year>/``; the loaded funds."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    from .frames import TABLES, YEAR_OF, tables

    funds, built = [], {}
    for ident, path in ledgers:
        fund = _open(path)
        funds.append((ident, fund))
        built[ident] = tables(fund, as_of, names=False)
    by_year = ds.partitioning(pa.schema([("fund", pa.string()), ("year", pa.int32())]), flavor="hive")
    for name in TABLES:
        parts = []
        for ident, _ in funds:
            table = built[ident][name]
            if YEAR_OF[name] == "year":  # positions, loan_years, years: the year is a column
                table = table.drop_columns(["year"])
            year = pc.year(built[ident][name][YEAR_OF[name]]) if YEAR_OF[name] != "year" \
                else built[ident][name]["year"]
            table = table.append_column("year", pc.cast(year, pa.int32()))
            parts.append(table.append_column("fund", pa.array([ident] * table.num_rows, pa.string())))
        parts = _unify_decimals(parts)
        for (ident, _), table in zip(funds, parts, strict=True):
            shutil.rmtree(to / name / f"fund={ident}", ignore_errors=True)
            if table.num_rows:
                ds.write_dataset(table, to / name, format="parquet", partitioning=by_year,
                                 basename_template="part-{i}.parquet",
                                 existing_data_behavior="overwrite_or_ignore")
    by_fund = ds.partitioning(pa.schema([("fund", pa.string())]), flavor="hive")
    for ident, fund in funds:
        shutil.rmtree(to / "funds" / f"fund={ident}", ignore_errors=True)
        row = pa.table({"fund": [ident], "title": [fund.title], "currency": [fund.currency],
                        "ledger": [fund.path.name], "as_of": pa.array([as_of], pa.date32()),
                        "errors": pa.array([len(fund.errors)], pa.int64())})
        ds.write_dataset(row, to / "funds", format="parquet", partitioning=by_fund,
                         basename_template="part-{i}.parquet",
                         existing_data_behavior="overwrite_or_ignore")
    return [fund for _, fund in funds]


# The cross-fund figures, per fund and year, as each fund's view computed them (the ``years``
# table, ``FundView.year``): ``raised`` leaves opening entries out (brought forward, never
# raised: SPEC §1); ``used`` is relief paid (the notice's relief total); fees are shown apart.
# Loans outstanding and overdue stand at each year end (for the running year, at --as-of), as
# ``loans --as-of YYYY-12-31`` shows them. Nothing here sums a fund's records again.
CROSS_FUND_SQL = """
WITH figures AS (
    SELECT p.fund, p.year, p.as_of, p.raised, p.relief AS used, p.helped, p.fees,
           p.loans_disbursed, p.lent, p.loans_outstanding, p.overdue_count, p.overdue_amount,
           p.cash, p.principal, p.spendable
    FROM years p
    WHERE {where})
SELECT * FROM figures
{totals}
ORDER BY year, fund = 'ALL', fund
"""

TOTALS_SQL = """
UNION ALL
SELECT 'ALL', year, max(as_of), sum(raised), sum(used), sum(helped), sum(fees),
       sum(loans_disbursed), sum(lent), sum(loans_outstanding), sum(overdue_count),
       sum(overdue_amount), sum(cash), sum(principal), sum(spendable)
FROM figures GROUP BY year
"""

# Stand-ins for tables no fund had a row of, with the columns the figures (and the
# queries in docs/ANALYSTS.md) read.
EMPTY = {
    "donations": "NULL::VARCHAR AS fund, NULL::INTEGER AS year, NULL::DECIMAL(18,2) AS amount, "
                 "NULL::BOOLEAN AS opening",
    "relief": "NULL::VARCHAR AS fund, NULL::INTEGER AS year, NULL::DECIMAL(18,2) AS amount, "
              "NULL::VARCHAR AS member",
    "postings": "NULL::VARCHAR AS fund, NULL::INTEGER AS year, NULL::DECIMAL(18,2) AS amount, "
                "NULL::VARCHAR AS role",
    "loans": "NULL::VARCHAR AS fund, NULL::INTEGER AS year, NULL::DECIMAL(18,2) AS principal, "
             "NULL::BOOLEAN AS opening",
    "loan_years": "NULL::VARCHAR AS fund, NULL::INTEGER AS year, "
                  "NULL::DECIMAL(18,2) AS outstanding, NULL::VARCHAR AS status",
    "years": "NULL::VARCHAR AS fund, NULL::INTEGER AS year, NULL::DATE AS as_of, "
             + ", ".join(f"NULL::DECIMAL(18,2) AS {c}" for c in (
                 "raised", "relief", "fees", "lent", "loans_outstanding", "overdue_amount",
                 "cash", "principal", "spendable"))
             + ", NULL::BIGINT AS helped, NULL::BIGINT AS loans_disbursed, "
               "NULL::BIGINT AS overdue_count",
}


def connect(directory: Path) -> Any:
    """A DuckDB connection with one view per table of the consolidated dataset."""
    import duckdb

    from .frames import TABLES

    con = duckdb.connect()
    for name in (*TABLES, "funds"):
        folder = directory / name
        if folder.is_dir() and any(folder.rglob("*.parquet")):
            glob = (folder / "**" / "*.parquet").as_posix().replace("'", "''")
            types = "{'fund': 'VARCHAR'}" if name == "funds" else \
                "{'fund': 'VARCHAR', 'year': 'INTEGER'}"
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{glob}', "
                        f"hive_partitioning = true, union_by_name = true, hive_types = {types})")
        elif name in EMPTY:
            con.execute(f"CREATE VIEW {name} AS SELECT {EMPTY[name]} WHERE false")
    return con


def cross_fund(directory: Path, funds: tuple[str, ...] = (), years: tuple[int, ...] = (),
               totals: bool = False, sql: str | None = None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the cross-fund figures (or of ``sql``) over ``directory``."""
    if not (directory / "positions").is_dir():
        raise InputError(f"{directory} 不是 consolidate 写出的数据集 (not a consolidated dataset: "
                         f"no {directory / 'positions'})")
    if sql is None and not (directory / "years").is_dir():
        raise InputError(f"{directory} 由旧版 consolidate 写出，缺少 years 表，请重新合并 (written by "
                         f"an older consolidate: no {directory / 'years'}; consolidate again)")
    con = connect(directory)
    params: list[Any] = []
    if sql is None:
        where = []
        if funds:
            where.append(f"p.fund IN ({', '.join('?' * len(funds))})")
            params.extend(funds)
        if years:
            where.append(f"p.year IN ({', '.join('?' * len(years))})")
            params.extend(years)
        sql = CROSS_FUND_SQL.format(where=" AND ".join(where) or "true",
                                    totals=TOTALS_SQL if totals else "")
    try:
        result = con.execute(sql, params)
        columns = [d[0] for d in result.description]
        return columns, result.fetchall()
    except Exception as exc:  # noqa: BLE001 - DuckDB's errors are the user's SQL
        raise InputError(f"查询失败 (query failed): {exc}") from None


HEADINGS = {
    "fund": ("基金", "Fund"), "year": ("年度", "Year"), "raised": ("筹集", "Raised"),
    "used": ("救济支出", "Used"), "helped": ("受助人数", "Helped"), "fees": ("手续费", "Fees"),
    "loans_disbursed": ("放款笔数", "Loans"), "lent": ("放款金额", "Lent"),
    "loans_outstanding": ("借出未还", "Outstanding"), "overdue_count": ("逾期笔数", "Overdue"),
    "overdue_amount": ("逾期金额", "Overdue amount"), "cash": ("现金", "Cash"),
    "principal": ("本金", "Principal"), "spendable": ("可支用", "Spendable"),
}
TABLE_COLUMNS = ("fund", "year", "raised", "used", "helped", "fees", "lent", "loans_outstanding",
                 "overdue_count", "overdue_amount", "cash", "spendable")


def _plain(value: Any) -> Any:
    """JSON/CSV value: decimals as exact strings, dates as ISO."""
    if isinstance(value, Decimal):
        return as_str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _show(columns: list[str], rows: list[tuple], fmt_: str, lang: str, standard: bool) -> str:
    records = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows]
    if fmt_ == "json":
        return _json(records)
    if fmt_ == "csv":
        return _csv(records)
    i = 0 if lang == "zh" else 1
    shown = [c for c in TABLE_COLUMNS if c in columns] if standard else columns
    index = [columns.index(c) for c in shown]
    cells = [[fmt(row[j]) if isinstance(row[j], Decimal) else row[j] for j in index] for row in rows]
    right = [isinstance(rows[0][j], Decimal | int) if rows else False for j in index]
    return render([HEADINGS.get(c, (c, c))[i] for c in shown], cells, right=right)


@click.command("consolidate")
@click.argument("ledgers", nargs=-1)
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path),
              help="写出合并数据集的目录 (folder of the consolidated dataset)")
@click.option("--query", "query_dir", type=click.Path(file_okay=False, path_type=Path),
              help="查询已合并的数据集 (answer the cross-fund figures over this dataset)")
@click.option("--fund", "funds", multiple=True, help="只看这些基金 (only these funds; repeatable)")
@click.option("--year", "years", type=int, multiple=True, help="只看这些年度 (only these years)")
@click.option("--totals", is_flag=True, help="加上各年合计行 ALL (add an ALL row per year)")
@click.option("--sql", default=None, help="自定义 DuckDB SQL，表名同数据集目录 (your own SQL)")
@FORMAT
@AS_OF
@LANG
def consolidate_cmd(ledgers: tuple[str, ...], to: Path | None, query_dir: Path | None,
                    funds: tuple[str, ...], years: tuple[int, ...], totals: bool, sql: str | None,
                    fmt_: str, as_of: datetime.datetime | None, lang: str) -> None:
    """合并多个基金为一个 Parquet 数据集，或查询跨基金数据 (many funds into one dataset; --query
    answers raised, used, loans outstanding and overdue per fund and year through DuckDB).

    \b
    fundledger consolidate county=ledgers/county/main.beancount ledgers/district/main.beancount --to DATA
    fundledger consolidate --query DATA [--year 2025] [--totals] [--format json]
    """
    if (to is None) == (query_dir is None):
        raise click.UsageError("请给出 --to DIR（合并）或 --query DIR（查询）之一 "
                               "(give either --to DIR or --query DIR)")
    if query_dir is not None:
        if ledgers:
            raise click.UsageError("--query 不接受账本参数 (--query takes no ledgers)")
        columns, rows = cross_fund(query_dir, funds, years, totals, sql)
        click.echo(_show(columns, rows, fmt_, lang, sql is None), nl=fmt_ != "csv")
        return
    if not ledgers:
        raise click.UsageError("请给出至少一个账本 (give at least one ledger)")
    named = [fund_id(arg) for arg in ledgers]
    seen = [ident for ident, _ in named]
    dupes = sorted({i for i in seen if seen.count(i) > 1})
    if dupes:
        raise click.UsageError(f"基金编号重复 {', '.join(dupes)}；请写成 ID=PATH "
                               f"(duplicate fund ids: write ID=PATH)")
    try:
        loaded = consolidate(named, to, _day(as_of))
    except OSError as exc:
        raise InputError(f"无法写入 {to}: {exc} (cannot write the dataset)") from None
    for (ident, _), fund in zip(named, loaded, strict=True):
        click.echo(f"{ident}\t{fund.title}\t{len(fund.errors)}")
    sys.exit(max((_report_errors(fund) for fund in loaded), default=0))
