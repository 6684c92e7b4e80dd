"""Check new entries against the ledger already loaded, without reparsing any file.

A full load of the written ledger (what ``check.load_mirrored`` does) parses every file,
books, runs the plugins and validates — twice the time of ``bean-check``. The new entries
can change only a little of its verdict, so ``check_in_memory`` computes just that:

1. the new text is parsed alone (``parse_string``), its lines numbered where the writer
   will append it, and booked alone (``booking.book``: with units-only postings in the
   ledger's currency interpolation needs no lot of the ledger's inventory);
2. the checks whose errors are local are run again on the part of the ledger the new entries
   touch, with the new entries in: beancount's validations of one entry alone on the new
   entries; those that look an account up (open, close, currencies, duplicate assertions) on
   the entries of the new entries' accounts with their ``open``/``close`` (on every entry
   naming such an account when a new entry opens or closes one); the balance assertions on
   an account of the new entries or a parent of one, with every transaction inside the
   asserted accounts;
3. the fund rules see the whole ledger (their state pass is the cheap part of the load):
   ``check(build_state(entries + new))``.

An error those runs give that the loaded ledger does not have is new; everything else the
full load would report is the loaded ledger's, unchanged. The verdict equals a full load's
(errors compared as ``check.Found``: code, file, line, message; ``tests/test_memory_check.py``
compares them on random entries). A refusal is confirmed by the full check (writer), which
also quotes the written lines in its explanations. Where the equality is not argued above,
``check_in_memory`` returns None and the writer does the full check: a plugin other than the
fund plugin, or a plugin declared twice (it runs twice), ``plugin_processing_mode`` raw, the
``documents`` option, any ``pad`` in the ledger (pad's transactions and the fund plugin's padded
state depend on every posting), a syntax error in a file written to (a file ending inside
an open string would swallow the appended text), a new or newly included file, a file reached by an
absolute ``include``, ``pushtag``/``pushmeta`` in a file written to, a posting with a cost or a
price, new text that does not parse cleanly, a new ``pad``, ``document`` (its file) or
``commodity`` (its twin elsewhere), a ``custom`` without values, and a new entry that sorts
level (same date, kind and line, in another file) with an old one or another new one: a load
orders those by the order it reads the files.

The verdict also carries what a load of the written ledger would hold: the entries, the fund
state and its errors, and the options with the new text's display context merged in — the
desk holds them for the next entry (``entry/held.py``).
"""

from __future__ import annotations

import bisect
import copy
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beancount.core import data, getters
from beancount.ops import balance, validation
from beancount.parser import booking, parser

from ..gcpause import paused
from ..twice import Pair, entered_twice
from .check import Found, found, found_all, new_errors

KNOWN_PLUGINS = frozenset({"fundledger.plugin"})
_DIRECTIVES = ("pushtag", "poptag", "pushmeta", "popmeta", "include", "option", "plugin")
_CARRIED = (b"pushtag", b"pushmeta")  # in a file written to: they would reach the new text


@dataclass
class Verdict:
    """What the written ledger would report that the loaded one does not."""

    new_errors: list[Found] = field(default_factory=list)
    twice: list[Pair] = field(default_factory=list)  # pairs with a new entry in them
    entries: list[Any] = field(default_factory=list)  # the ledger's entries with the new ones
    state: Any = None  # the fund state of ``entries``
    fund_errors: list[Any] = field(default_factory=list)  # the fund rules' errors on it
    new: list[Any] = field(default_factory=list)  # the new entries, booked
    options: dict[str, Any] = field(default_factory=dict)  # the options of ``entries``


def first_line(data_after: bytes, text: str) -> int:
    """The line (beancount counts ``\\n`` only) on which ``text`` starts once appended,
    ``data_after`` being the file as written (``writer.append_text``)."""
    return data_after.count(b"\n") - text.count("\n") + 1


def _accounts(entry: Any) -> set[str]:
    if isinstance(entry, data.Transaction):
        return {posting.account for posting in entry.postings}
    return set(getters.get_entry_accounts(entry))


def _parents(account: str) -> set[str]:
    parts = account.split(":")
    return {":".join(parts[:i]) for i in range(1, len(parts) + 1)}


def parse_new(texts: dict[str, tuple[str, int]], options: dict[str, Any]
              ) -> tuple[list[Any], list[Any], dict[str, Any]] | None:
    """The new entries, booked, their booking errors and the options with what their parse
    adds (the display context: how many decimals each currency is written with, and the
    currencies seen); None if they need a full load."""
    entries: list[Any] = []
    parsed_options = []
    for filename, (text, line) in texts.items():
        if any(line.lstrip().startswith(_DIRECTIVES) for line in text.splitlines()):
            return None
        parsed, errors, parse_options = parser.parse_string("\n" * (line - 1) + text,
                                                            report_filename=filename)
        if errors:
            return None
        entries.extend(parsed)
        parsed_options.append(parse_options)
    for entry in entries:
        # a pad's money, a document's file (the documents plugin) and a commodity's twin
        # elsewhere in the ledger are not checked here
        if isinstance(entry, (data.Pad, data.Document, data.Commodity)) or (
                isinstance(entry, data.Custom) and not entry.values):
            return None
        for posting in getattr(entry, "postings", ()):
            if posting.cost is not None or posting.price is not None:
                return None
    keys = [data.entry_sortkey(e) for e in entries]
    if len(set(keys)) < len(keys):  # level in two files: the load's order is the files' order
        return None
    booked, errors = booking.book(sorted(entries, key=data.entry_sortkey), options)
    return booked, errors, _options_after(options, parsed_options)


def _options_after(options: dict[str, Any], parsed: list[dict[str, Any]]) -> dict[str, Any]:
    """``options`` as a load of the ledger with the new text gives them: the loader merges
    each file's display context and currencies into the top-level file's."""
    out = dict(options)
    dcontext = copy.deepcopy(options["dcontext"])
    commodities = set(options.get("commodities") or ())
    for one in parsed:
        dcontext.update_from(one["dcontext"])
        commodities |= set(one.get("commodities") or ())
    out["dcontext"], out["commodities"] = dcontext, commodities
    return out


def _level_with_old(entries: list[Any], new: list[Any]) -> bool:
    """Whether a new entry sorts level with an old one (same date, kind and line, in another
    file): a load orders those by the order it reads the files."""
    for entry in new:
        key = data.entry_sortkey(entry)
        i = bisect.bisect_left(entries, key, key=data.entry_sortkey)
        if i < len(entries) and data.entry_sortkey(entries[i]) == key:
            return True
    return False


_SYNTAX_ERRORS = frozenset({"ParserError", "ParserSyntaxError", "LexerError"})


# beancount's validations whose errors on an entry depend on that entry alone: run on the new
# entries only. The others look an entry's accounts up (open, close, currencies, duplicate
# assertions): run on the entries of the new entries' accounts.
_PER_ENTRY = frozenset({validation.validate_check_transaction_balances,
                        validation.validate_data_types, validation.validate_documents_paths,
                        validation.validate_duplicate_commodities})


@dataclass
class _Part:
    """The old entries the checks must see again beside the new ones."""

    near: list[Any]  # naming an account of the new entries, with the open/close of theirs
    own: list[Any]  # the open/close and the assertions of the new entries' accounts
    asserted: list[Any]  # the assertions the new entries can change, what they sum, opens


def _part(entries: list[Any], new: list[Any]) -> _Part | None:
    touched: set[str] = set()
    for entry in new:
        touched |= _accounts(entry)
    upward: set[str] = set()
    for account in touched:
        upward |= _parents(account)
    asserted = {e.account for e in new if isinstance(e, data.Balance)}
    opens: dict[str, list[Any]] = {}
    near: list[Any] = []
    balances: list[Any] = []  # assertions on a touched account or a parent of one
    transactions: list[Any] = []
    for entry in entries:
        if isinstance(entry, data.Pad):
            return None
        if isinstance(entry, (data.Open, data.Close)):
            opens.setdefault(entry.account, []).append(entry)
        if isinstance(entry, data.Balance) and entry.account in upward:
            balances.append(entry)
            asserted.add(entry.account)
        if isinstance(entry, data.Transaction):
            transactions.append(entry)
            if any(p.account in touched for p in entry.postings):
                near.append(entry)
        elif _accounts(entry) & touched:
            near.append(entry)
    inside: dict[str, bool] = {}

    def under(account: str) -> bool:
        if account not in inside:
            inside[account] = bool(_parents(account) & asserted)
        return inside[account]

    flows = [t for t in transactions if any(under(p.account) for p in t.postings)] if asserted \
        else []

    def with_opens(part: Iterable[Any], named: set[str]) -> list[Any]:
        for entry in part:
            named |= _accounts(entry)
        out = {id(e): e for e in part}
        out.update((id(o), o) for a in named for o in opens.get(a, ()))
        return sorted(out.values(), key=data.entry_sortkey)

    own = [e for e in balances if e.account in touched]
    return _Part(with_opens(near, set(touched)), with_opens(own, set(touched)),
                 with_opens([*balances, *flows], set()))


def _own_part(entries: list[Any], new: list[Any], state: Any) -> _Part:
    """``_part`` for new entries that sort after every old one and assert no balance: the
    open, close and balance directives of the new entries' accounts (``account_index``)."""
    index = account_index(entries, state)
    touched: set[str] = set()
    for entry in new:
        touched |= _accounts(entry)
    own = sorted((e for account in touched for e in index.get(account, ())),
                 key=data.entry_sortkey)
    return _Part(own, own, [])


def account_index(entries: list[Any], state: Any) -> dict[str, list[Any]]:
    """Each account's ``open``, ``close`` and ``balance`` directives. Kept with the fund state of
    ``entries`` (it lives as long as they do), so a desk's run of entries indexes them once."""
    kept = state.__dict__.get(_INDEX)
    if kept is not None and kept[0] is entries and kept[1] == len(entries):
        return kept[2]
    index: dict[str, list[Any]] = {}
    for entry in entries:
        if isinstance(entry, (data.Open, data.Close, data.Balance)):
            index.setdefault(entry.account, []).append(entry)
    state.__dict__[_INDEX] = (entries, len(entries), index)
    return index


def index_appended(before: Any, after: Verdict) -> None:
    """The index of the verdict's entries, from the index of the ledger before (``before``: its
    fund state), if it has one: the new entries' directives added."""
    kept = before.__dict__.get(_INDEX)
    if kept is None or after.state is None or after.state is before:
        return
    index = dict(kept[2])
    for entry in after.new:
        if isinstance(entry, (data.Open, data.Close, data.Balance)):
            index[entry.account] = [*index.get(entry.account, ()), entry]
    after.state.__dict__[_INDEX] = (after.entries, len(after.entries), index)


_INDEX = "_fundledger_account_index"


def _merged(old: Iterable[Any], new: list[Any]) -> list[Any]:
    return sorted([*old, *new], key=data.entry_sortkey)


def _after(part: _Part, new: list[Any], options: dict[str, Any]) -> list[Any]:
    """The errors of the local checks with the new entries in (a new entry level with an old
    one never gets here: ``_level_with_old``)."""
    opening = any(isinstance(e, (data.Open, data.Close)) for e in new)
    scoped = part.near if opening else part.own
    errors: list[Any] = []
    beside = _merged(scoped, new)
    for function in validation.VALIDATIONS:
        errors.extend(function(new if function in _PER_ENTRY else beside, options))
    errors.extend(balance.check(_merged(part.asserted, new), options)[1])
    return errors


def _after_all(entries: list[Any], new: list[Any]) -> bool:
    """Whether every new entry sorts after every entry the ledger has (the usual entry, dated
    on or after the ledger's last day): then the pass over the old entries is unchanged."""
    return bool(new) and (not entries or data.entry_sortkey(new[0]) > data.entry_sortkey(entries[-1]))


def _tail(entries: list[Any], first: Any) -> list[Any]:
    """The entries dated ``first`` or later, from the end of the list (sorted: ``merged``
    always is)."""
    i = len(entries)
    while i and entries[i - 1].date >= first:
        i -= 1
    return entries[i:]


@paused()  # a large ledger's heap makes the cyclic collector the costliest part otherwise
def check_in_memory(entries: list[Any], errors: list[Any], options: dict[str, Any],
                    state: Any, texts: dict[str, tuple[str, int]]) -> Verdict | None:
    """The errors the ledger (``entries``, ``errors``, ``options`` as loaded, ``state`` its
    fund state) would have with ``texts`` (file -> (text appended, its first line)) that it
    has not; None where only a full load can tell (see the module doc)."""
    from ..plugin import currency_of
    from ..resume import extended
    from ..rules import check
    from ..state import build_state

    if options.get("plugin_processing_mode") != "default" or options.get("documents"):
        return None
    plugins = [name for name, _ in options.get("plugin", [])]
    if any(name not in KNOWN_PLUGINS for name in plugins) or len(plugins) > len(set(plugins)):
        return None  # a plugin twice runs twice: its errors come twice
    written = {os.path.normpath(name) for name in texts}
    if any(type(e).__name__ in _SYNTAX_ERRORS
           and os.path.normpath(str((e.source or {}).get("filename"))) in written for e in errors):
        return None  # a file that does not parse (a string left open) may swallow the new text
    read = {os.path.normpath(str(p)) for p in options.get("include", []) if isinstance(p, str)}
    if any(os.path.normpath(name) not in read for name in texts):
        return None
    parsed = parse_new(texts, options)
    if parsed is None:
        return None
    new, booking_errors, options_after = parsed
    if state.pads or _level_with_old(entries, new):
        return None
    # Entries after every old one (the usual case) change nothing the old entries were
    # checked against: the local checks need only the accounts' own directives, the old
    # balance assertions stand, and the fund state resumes where it was (``resume``).
    after_all = _after_all(entries, new) and not any(isinstance(e, data.Balance) for e in new)
    part = _own_part(entries, new, state) if after_all else _part(entries, new)
    if part is None:
        return None
    local = _after(part, new, options)
    merged = [*entries, *new] if after_all else _merged(entries, new)
    state_after = extended(state, entries[-1], new) if after_all and entries else None
    if state_after is None:
        state_after = build_state(merged, currency_of(options))
    if state_after.valueless_customs or state_after.pads:
        return None
    fund_errors = check(state_after)
    after = [*booking_errors, *local, *fund_errors]
    # An error the ledger has already is not new; what the local checks cannot change is
    # in the full load before and after alike (see the module doc).
    plain = [found(error) for error in after]
    left = new_errors([found(error) for error in errors], plain)
    raised = []
    for error, one in zip(after, plain, strict=True):
        if one in left:
            left.remove(one)
            raised.append(error)
    fresh = found_all(raised, merged, options) if raised else []  # explained: only the new
    places = {(str(e.meta.get("filename")), int(e.meta.get("lineno") or 0)) for e in new}
    days = {e.date for e in new}  # a pair is two transactions of one day
    those_days = [e for e in _tail(merged, min(days)) if e.date in days] if days else []
    old_places = {(str(e.meta.get("filename")), int(e.meta.get("lineno") or 0))
                  for e in those_days if e.meta} - places
    twice = [pair.new_second(old_places)
             for pair in entered_twice(those_days)
             if set(pair.places) & places]
    return Verdict(fresh, twice, merged, state_after, fund_errors, new, options_after)


def texts_for(final: dict[Path, bytes], appends: dict[Path, str]
              ) -> dict[str, tuple[str, int]] | None:
    """``check_in_memory``'s ``texts`` for a writer's plan: each file's text and first line;
    None if a file written to holds ``pushtag``/``pushmeta`` (they may reach the new text)."""
    if any(word in final[path] for path in appends for word in _CARRIED):
        return None
    return {str(path): (text, first_line(final[path], text)) for path, text in appends.items()}


_ABSOLUTE_INCLUDE = re.compile(rb'^[ \t]*include[ \t]+"/', re.MULTILINE)


def check_plan(fund: Any, new_files: list[Path], snapshot: dict[Path, bytes | None],
               final: dict[Path, bytes], appends: dict[Path, str]) -> Verdict | None:
    """The verdict on a writer's plan from the loaded ``fund``, where it can be had without a
    load: entries appended to files the ledger already includes (``new_files``: those to
    create or include), none reached by an absolute path (the full check refuses those), and
    ``FUNDLEDGER_FULL_CHECK`` not set; None otherwise."""
    if new_files or os.environ.get("FUNDLEDGER_FULL_CHECK"):
        return None
    if any(_ABSOLUTE_INCLUDE.search(data) for data in snapshot.values()
           if data and b"include" in data):
        return None
    texts = texts_for(final, appends)
    if texts is None:
        return None
    return check_in_memory(fund.entries, fund.errors, fund.options, fund.state, texts)
