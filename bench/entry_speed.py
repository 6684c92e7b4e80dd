"""``fundledger add`` against a cold ``bean-check`` of the same ledger (issue 14).

    python bench/entry_speed.py [--sizes 30000 100000] [--runs 5] [--workdir /tmp/fundledger-entry]

For each size it writes a ledger with ``fundledger.synth`` (10 years, seed 1) and, alternately,
``--runs`` times:

* ``bean-check`` cold: a new process, ``BEANCOUNT_DISABLE_LOAD_CACHE=1``;
Every entry is dated in the ledger's last year (2024), so it is appended to a file the ledger
has (a year's first entry makes a new file: that is checked by a full load).

* ``fundledger add donation … --dry-run`` with the cache warm (a ``bean-check`` with the cache
  on, untimed, after any write): the check of the new entry, nothing written;
* ``fundledger add donation …`` writing the entry, the cache warm (made just before, untimed):
  what a clerk's command costs when the previous load left the cache valid;
* the same dry run with ``FUNDLEDGER_FULL_CHECK=1``: the full check (the written ledger loaded
  in a private copy), for comparison.

Times are CPU (user + sys, ``wait4``) and wall seconds of the whole process; the ratios are
taken pair by pair (each run beside the bean-check of its round) and the median is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ENV, measured  # noqa: E402 - beside this file

WARM = {k: v for k, v in ENV.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}


def run(command: list[str], env: dict[str, str], timeout: float) -> dict[str, object]:
    saved = dict(ENV)
    ENV.clear()
    ENV.update(env)
    try:
        result = measured(command, timeout)
    finally:
        ENV.clear()
        ENV.update(saved)
    if "error" in result:
        sys.exit(f"{command}: {result['error']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/fundledger-entry")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    from fundledger import synth

    bin_dir = Path(sys.executable).parent
    bean_check, fundledger = str(bin_dir / "bean-check"), str(bin_dir / "fundledger")
    for size in args.sizes:
        top = synth.write(Path(args.workdir) / str(size), size)
        for cache in top.parent.glob(".*picklecache"):
            cache.unlink()
        add = [fundledger, "add", "donation", str(top), "--amount", "500", "--donor", "王建国",
               "--campaign", "bench", "--yes"]
        rows: dict[str, list[tuple[float, float]]] = {}
        for n in range(args.runs):
            cold = run([bean_check, str(top)], ENV, args.timeout)
            run([bean_check, str(top)], WARM, args.timeout)  # the cache, valid again
            cases = {
                "add --dry-run (cache warm)": (add + ["--dry-run", "--date", "2024-12-31"], WARM),
                "add, full check (cache warm)": (add + ["--dry-run", "--date", "2024-12-31"],
                                                 {**WARM, "FUNDLEDGER_FULL_CHECK": "1"}),
                "add, written (cache warm)": (add + ["--date", f"2024-12-{10 + n:02d}"], WARM),
            }
            for name, (command, env) in cases.items():
                result = run(command, env, args.timeout)
                if result["rc"] != 0:
                    sys.exit(f"{name}: exit {result['rc']}\n{result['err'][-2000:]}")
                rows.setdefault(name, []).append((result["cpu"] / cold["cpu"],
                                                  result["wall"] / cold["wall"]))
                print(f"  {size:>7,} {name}: cpu {result['cpu']:.2f} s, wall "
                      f"{result['wall']:.2f} s; bean-check cold cpu {cold['cpu']:.2f} s, "
                      f"wall {cold['wall']:.2f} s", flush=True)
            rows.setdefault("bean-check cold", []).append((cold["cpu"], cold["wall"]))
        cpu, wall = zip(*rows.pop("bean-check cold"), strict=True)
        print(f"{size:,} transactions: bean-check cold median cpu {statistics.median(cpu):.2f} s,"
              f" wall {statistics.median(wall):.2f} s")
        for name, pairs in rows.items():
            print(f"  {name}: median ratio to bean-check cpu "
                  f"{statistics.median(p[0] for p in pairs):.3f}, wall "
                  f"{statistics.median(p[1] for p in pairs):.3f}")
        os.sync()


if __name__ == "__main__":
    main()
