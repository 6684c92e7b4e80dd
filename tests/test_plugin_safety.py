"""The plugin never raises, its errors pickle, and beancount's cache never shows a stale verdict."""

import os
import pickle
import time
from pathlib import Path

from beancount import loader

import fundledger.plugin
import fundledger.rules.relief
import fundledger.state
from fundledger.cachekey import CacheKey

EXAMPLE = Path(__file__).parent / "ledgers" / "spec_example.beancount"

VISIT_WITHOUT_MEMBER = '''
2026-07-01 * "七一走访慰问"
  Expenses:Relief:Visits     100.00 CNY
  Assets:Bank:Fund
'''


def _load(text):
    return loader.load_string(text)


def test_a_fault_in_a_rule_is_one_error_at_the_entry(monkeypatch):
    def broken(self, day, valid_months):
        raise RuntimeError("boom")

    monkeypatch.setattr(fundledger.state.Member, "ineligibility", broken)
    text = EXAMPLE.read_text(encoding="utf-8")
    _, errors, _ = _load(text)
    faults = [e for e in errors if e.message.startswith("FL000")]
    assert len(faults) == 1
    assert "boom" in faults[0].message
    assert faults[0].source["lineno"] > 0  # the entry being checked, not <load>:0
    assert not any(e.source["filename"] == "<load>" for e in errors)


def test_a_fault_while_reading_an_entry_names_it_and_the_rest_still_runs(monkeypatch):
    real = fundledger.state._Builder._custom

    def flaky(self, entry):
        if entry.type == "review":
            raise ValueError("cannot read")
        return real(self, entry)

    monkeypatch.setattr(fundledger.state._Builder, "_custom", flaky)
    text = EXAMPLE.read_text(encoding="utf-8")
    _, errors, _ = _load(text + VISIT_WITHOUT_MEMBER)
    codes = sorted(e.message[:5] for e in errors)
    assert "FL000" in codes and "FL105" in codes
    fault = next(e for e in errors if e.message.startswith("FL000"))
    assert fault.entry.type == "review"


def test_a_fault_outside_any_entry_is_still_one_error(monkeypatch):
    def broken(entries, currency):
        raise MemoryError("no")

    monkeypatch.setattr(fundledger.plugin, "build_state", broken)
    entries, errors, _ = _load(EXAMPLE.read_text(encoding="utf-8"))
    assert [e.message[:5] for e in errors] == ["FL000"]
    assert errors[0].source["filename"] == "<fundledger>"
    assert entries  # the ledger itself is untouched


def test_fund_errors_pickle():
    _, errors, _ = _load(EXAMPLE.read_text(encoding="utf-8") + VISIT_WITHOUT_MEMBER)
    assert errors
    again = pickle.loads(pickle.dumps(errors))
    assert [e.message for e in again] == [e.message for e in errors]


def test_custom_without_values_does_not_crash():
    text = EXAMPLE.read_text(encoding="utf-8") + '\n2025-03-01 custom "member"\n2025-03-01 custom "publicity"\n'
    _, errors, _ = _load(text)
    assert [e.message[:5] for e in errors] == ["FL106", "FL106"]  # and pad does not crash


def _cached_loader(cache_file: Path):
    return loader.pickle_cache_function(lambda _: str(cache_file), 0, loader._uncached_load_file)


def test_cache_is_keyed_on_the_ledger_and_on_fundledgers_code(tmp_path, monkeypatch):
    ledger = tmp_path / "fund.beancount"
    ledger.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code = tmp_path / "site-packages" / "fundledger"
    code.mkdir(parents=True)
    monkeypatch.setattr(fundledger.plugin, "code_root", lambda: str(code))
    runs = []
    real = fundledger.plugin.check
    monkeypatch.setattr(fundledger.plugin, "check", lambda state: runs.append(1) or real(state))
    load = _cached_loader(tmp_path / "cache.pickle")
    time.sleep(0.08)  # a file written just before a load makes that load's cache single-use

    _, errors, options = load(str(ledger), None, None, None)
    assert errors == [] and len(runs) == 1
    assert [p.recipe[0] for p in options["include"] if isinstance(p, CacheKey)] == [str(code)]
    load(str(ledger), None, None, None)
    assert len(runs) == 1  # a cache hit

    # upgrading fundledger rewrites its files: the old verdict must not be reused
    (code / "rules.py").write_text("# new version\n")
    load(str(ledger), None, None, None)
    assert len(runs) == 2

    # changing the ledger (here: the policy) is seen too
    ledger.write_text(ledger.read_text(encoding="utf-8") +
                      '\n2025-01-01 custom "fund-policy" "loan-max" 3000 CNY\n', encoding="utf-8")
    _, errors, _ = load(str(ledger), None, None, None)
    assert len(runs) == 3
    assert [e.message[:5] for e in errors] == ["FL301"]


def test_the_plugin_keys_on_its_real_code():
    assert os.path.isfile(os.path.join(fundledger.plugin.code_root(), "plugin.py"))


def test_an_uncached_load_lists_only_the_ledgers_files(tmp_path):
    # Fava loads with loader._load (no cache) and offers options["include"] as the ledger's
    # source files: the cache key must not be among them.
    ledger = tmp_path / "fund.beancount"
    ledger.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    _, errors, options = loader._load([(str(ledger), True)], None, None, None)
    assert errors == []
    assert options["include"] == [str(ledger)]
    assert not any(isinstance(path, CacheKey) for path in options["include"])


def test_a_cached_load_is_keyed_on_the_code(tmp_path):
    ledger = tmp_path / "fund.beancount"
    ledger.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    load = _cached_loader(tmp_path / "cache.pickle")
    time.sleep(0.08)  # not written during the load: the key is not single-use
    _, _, options = load(str(ledger), None, None, None)
    keys = [p for p in options["include"] if isinstance(p, CacheKey)]
    assert [key.recipe[0] for key in keys] == [fundledger.plugin.code_root()]
    again = pickle.loads(pickle.dumps(options))
    assert again["include"] == options["include"]  # recomputed from the disk on unpickling
