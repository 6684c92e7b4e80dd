"""What the fund plugin costs on top of bare ``bean-check``, cold, cache off.

    python bench/plugin_cost.py [--sizes 10000 30000 100000] [--runs 3]

For each size it writes one synthetic fund ledger twice (fundledger.synth, with and without
the ``plugin`` line), runs ``bean-check`` on each ``--runs`` times alternately with
BEANCOUNT_DISABLE_LOAD_CACHE=1, and prints the best times and their ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fundledger import synth


def best_time(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0 or done.stdout.strip():
            sys.exit(f"{' '.join(command)} reported errors:\n{done.stdout[:2000]}")
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bean_check = str(Path(sys.executable).with_name("bean-check"))
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    print("| transactions | bare bean-check (s) | with fund plugin (s) | ratio |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            bare = synth.write(Path(tmp) / f"bare{size}", size, bare=True)
            fund = synth.write(Path(tmp) / f"fund{size}", size)
            t_bare = t_fund = float("inf")
            for _ in range(args.runs):  # alternate, so drift in the machine hits both alike
                t_bare = min(t_bare, best_time([bean_check, str(bare)], 1, env))
                t_fund = min(t_fund, best_time([bean_check, str(fund)], 1, env))
            print(f"| {size:,} | {t_bare:.2f} | {t_fund:.2f} | {t_fund / t_bare:.3f} |", flush=True)


if __name__ == "__main__":
    main()
