"""``fundledger.load(path)``: one loaded fund ledger that every command and report reads."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount import loader

from .cachekey import CacheKey
from .errors import FundError
from .gcpause import paused
from .handover import handing_over
from .includes import IncludeNotAFile, check_include_targets
from .plugin import currency_of
from .policy import Policy
from .rules import check
from .state import Application, FundState, Inflow, Loan, Member, Position, Relief, build_state

if TYPE_CHECKING:
    from .frames import Frames
    from .view import FundView

PLUGIN = "fundledger.plugin"


class LedgerNotFound(FileNotFoundError):
    pass


@dataclass
class Fund:
    """A fund ledger, loaded and checked.

    ``errors`` holds beancount's errors and the fund rules' errors, as bean-check prints them.
    Everything else is read from ``state``, the one pass over the entries.
    """

    path: Path
    entries: list[Any]
    errors: list[Any]
    options: dict[str, Any]
    state: FundState
    plugin_declared: bool = True
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.options.get("title") or self.path.stem

    @property
    def currency(self) -> str:
        return self.state.currency

    @property
    def members(self) -> dict[str, Member]:
        return self.state.members

    @property
    def applications(self) -> dict[str, Application]:
        return self.state.applications

    @property
    def loans(self) -> dict[str, Loan]:
        return self.state.loans

    @property
    def relief(self) -> list[Relief]:
        return self.state.relief

    @property
    def donations(self) -> list[Inflow]:
        """Every inflow from a source account: donations, dues, grants, interest."""
        return self.state.inflows

    def policy_at(self, day: datetime.date) -> Policy:
        return self.state.policy_at(day)

    def position(self, as_of: datetime.date) -> Position:
        return self.state.position(as_of)

    @property
    def view(self) -> FundView:
        """Every derived figure of the fund (``fundledger.view``), built once per state."""
        from .view import view_of

        return view_of(self.state)

    def frames(self, as_of: datetime.date | None = None, names: bool = False) -> Frames:
        """The fund as pandas DataFrames with exact decimals (``fundledger.frames``).

        Figures stand at the end of ``as_of`` (default today); members' and other people's
        names are left out unless ``names=True``.
        """
        from .frames import frames  # pandas and pyarrow only when asked for

        return frames(self, as_of, names)

    @property
    def source_files(self) -> list[Path]:
        """The ledger's own files (the top-level file and its includes): not the cache key
        the plugin adds to ``options["include"]`` (``fundledger.cachekey``)."""
        return [Path(p) for p in self.options.get("include", [])
                if not isinstance(p, CacheKey) and Path(p).is_file()]


def _included_plugin_lines(files: list[Path], top: Path) -> list[str]:
    found = []
    for path in files:
        if path.resolve() == top.resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip().startswith("plugin") and PLUGIN in line:
                found.append(f"{path}:{n}: 包含文件中的 plugin 行会被 beancount 忽略，"
                             "请放在顶层文件 (plugin lines in included files are ignored)")
    return found


def _beancount_name(path: Path) -> str:
    """The top-level name as ``loader.load_file`` makes it (the includes are relative to it)."""
    name = os.path.expandvars(os.path.expanduser(str(path)))
    return name if os.path.isabs(name) else os.path.normpath(os.path.join(os.getcwd(), name))


def load(path: str | Path) -> Fund:
    """Load, book and check a fund ledger; raises ``LedgerNotFound`` if there is no such file."""
    path = Path(path)
    if not path.exists():
        raise LedgerNotFound(f"找不到账本文件 {path} (ledger file not found)")
    if not path.is_file():  # a folder, a FIFO or a device: beancount would fail or block on it
        raise IncludeNotAFile(f"{path} 不是普通文件，不能作为账本 (the ledger is not a regular file)")
    # a FIFO or /dev/zero behind an include would hang beancount's parser: refuse it first
    check_include_targets(_beancount_name(path))
    with paused(), handing_over() as handed:  # paused: the ledger lives as long as the fund
        entries, errors, options = loader.load_file(str(path))
        # the plugin's own state when it ran on these very entries; a cache hit ran no plugin
        state = handed.state_for(entries) or build_state(entries, currency_of(options))
    return assemble(path, entries, errors, options, state)


def assemble(path: Path, entries: list[Any], errors: list[Any], options: dict[str, Any],
             state: FundState | None = None) -> Fund:
    """The ``Fund`` of what a load gave (``load``'s, or Fava's): the fund rules' errors added
    where the top-level file does not declare the plugin, and the warnings."""
    if state is None:
        with paused():
            state = build_state(entries, currency_of(options))
    declared = any(name == PLUGIN for name, _ in options.get("plugin", []))
    fund = Fund(path, entries, list(errors), options, state, declared)
    if not declared:
        # Not a fund ledger by the convention, but the user asked us: check it all the same.
        fund.warnings.append(f'{path}: 顶层文件没有 plugin "{PLUGIN}"，bean-check 不会检查基金规则'
                             f' (the top-level file does not declare plugin "{PLUGIN}")')
        fund.errors.extend(check(state))
    fund.warnings.extend(_included_plugin_lines(fund.source_files, path))
    return fund


def fund_errors(fund: Fund) -> list[FundError]:
    return [e for e in fund.errors if isinstance(e, FundError)]
