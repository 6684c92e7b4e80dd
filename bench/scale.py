"""How fundledger scales: bean-check with and without the fund plugin, the load, each command
after the load, peak memory, and the scaling exponent, on synthetic ledgers of any size.

    python bench/scale.py [--sizes 10000 30000 100000 1000000] [--runs 3] [--big-runs 1]
                          [--workdir /tmp/fundledger-bench] [--doc docs/PERFORMANCE.md]

For each size it writes one ledger with ``fundledger.synth`` (10 years, seed 1) twice, with
and without the ``plugin`` line, then

* runs ``bean-check`` on each, alternately, ``--runs`` times (``--big-runs`` from 1,000,000
  transactions), each a cold process with ``BEANCOUNT_DISABLE_LOAD_CACHE=1``; the best CPU
  time (user + sys, from ``wait4``) and wall time of each, and the peak RSS;
* in one more cold process (``--probe``), times ``fundledger.load`` and then each command
  (balances, loans, member, check, notice, publicity) given the loaded fund — the command's
  own code with ``cli._open`` handing it the fund already loaded — and ``fund.frames()``;

and fits ``time ∝ transactions^k`` (least squares on logs) for each measure. The results go
between the ``<!-- results -->`` markers of ``--doc`` (the rest of the file is kept) and, raw,
to ``WORKDIR/results.json``. CPU time is the measure of record: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import math
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Cold processes, load cache off; Python's bytecode cached as after ``pip install`` (set up in
# main(): PYTHONDONTWRITEBYTECODE would otherwise recompile fundledger's source every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
BIG = 1_000_000
START, END = "<!-- results -->", "<!-- /results -->"
TARGETS = "plugin ≤ 1.10× bare at 100k, ≤ 1.25× at 30k; each command ≤ 10% of the load; linear"


# ---------------------------------------------------------------- one process, measured

def instructions(command: list[str], timeout: float) -> int | None:
    """Instructions executed by ``command`` (valgrind's cachegrind): exact, whatever the load."""
    try:
        done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                               "--cachegrind-out-file=/dev/null", *command], env=ENV,
                              capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in done.stderr.splitlines():
        if "I   refs:" in line:
            return int(line.split("I   refs:")[1].replace(",", "").strip())
    return None


def measured(command: list[str], timeout: float) -> dict[str, object]:
    """Run ``command`` cold: its output, wall and CPU seconds and peak RSS (MiB), from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=ENV, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode == -signal.SIGKILL and wall >= timeout:
            return {"error": f"timeout after {timeout:.0f} s"}
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mib": usage.ru_maxrss / 1024, "rc": proc.returncode,
                "out": out.read().decode("utf-8", "replace"),
                "err": err.read().decode("utf-8", "replace")}


# ---------------------------------------------------------------- the probe (child process)

def probe(ledger: str, as_of: str, repeats: int) -> dict[str, object]:
    """Load once, then time each command on the loaded fund (CPU seconds, best of repeats)."""
    t0, c0 = time.perf_counter(), time.process_time()
    import fundledger
    from fundledger import cli

    t1, c1 = time.perf_counter(), time.process_time()
    fund = fundledger.load(ledger)
    t2, c2 = time.perf_counter(), time.process_time()
    rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert not fund.errors, fund.errors[:3]
    day = datetime.date.fromisoformat(as_of)
    member = next(ln.member_id for ln in fund.loans.values() if ln.member_id)
    commands = {
        "balances": ["balances", ledger, "--as-of", as_of],
        "loans": ["loans", ledger, "--as-of", as_of],
        "member": ["member", ledger, member, "--as-of", as_of],
        "check": ["check", ledger],
        "notice": ["notice", ledger, "--year", str(day.year), "--edition", "internal",
                   "--format", "html", "--generated", as_of],
        "publicity": ["publicity", ledger, "--as-of", as_of],
    }
    cli._open = lambda path: fund  # the command's own code, on the fund already loaded
    out: dict[str, object] = {"import": c1 - c0, "load_cpu": c2 - c1, "load_wall": t2 - t1,
                              "import_wall": t1 - t0, "rss_load_mib": rss_load, "commands": {}}
    for name, args in commands.items():
        if args[0] not in cli.main.commands:
            continue
        best = math.inf
        for _ in range(repeats):
            sink = io.StringIO()
            start = time.process_time()
            with redirect_stdout(sink), redirect_stderr(sink):
                try:
                    cli.main.main(args, prog_name="fundledger", standalone_mode=False)
                except SystemExit as exc:
                    if exc.code not in (0, None):
                        raise RuntimeError(f"{name} exited {exc.code}") from None
            best = min(best, time.process_time() - start)
            assert sink.getvalue(), name
        out["commands"][name] = best
    start = time.process_time()
    import pandas  # noqa: F401 - imported apart: frames() is timed without its libraries' import
    import pyarrow  # noqa: F401

    out["frames_import"] = time.process_time() - start
    start = time.process_time()
    fund.frames(day)
    out["frames"] = time.process_time() - start
    out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# ---------------------------------------------------------------- the benchmark

def slope(points: list[tuple[float, float]]) -> float | None:
    """k in y = c·x^k, least squares on logs."""
    points = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y and y > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else None


def count_entries(folder: Path) -> tuple[int, int]:
    txns = directives = 0
    for path in folder.glob("*.beancount"):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line[:1].isdigit():
                    directives += 1
                    txns += line[10:13] in (" * ", " ! ")
    return txns, directives


def measure_size(size: int, args: argparse.Namespace) -> dict[str, object]:
    from fundledger import synth

    folder = Path(args.workdir) / str(size)
    bare, fund = folder / "bare" / "main.beancount", folder / "fund" / "main.beancount"
    start = time.perf_counter()
    if not fund.exists() or args.regenerate:
        synth.write(bare.parent, size, bare=True)
        synth.write(fund.parent, size)
    generated = time.perf_counter() - start
    txns, directives = count_entries(fund.parent)
    bean_check = str(Path(sys.executable).with_name("bean-check"))
    runs = args.big_runs if size >= BIG else args.runs
    best: dict[str, dict[str, float]] = {}
    for _ in range(runs):  # alternate, so drift in the machine hits both alike
        for name, path in (("bare", bare), ("fund", fund)):
            result = measured([bean_check, str(path)], args.timeout)
            if "error" in result:
                return {"size": size, "error": f"bean-check {name}: {result['error']}"}
            if result["rc"] != 0 or result["out"].strip():
                sys.exit(f"bean-check {path} reported errors:\n{result['out'][:2000]}")
            mine = best.setdefault(name, {"cpu": math.inf, "wall": math.inf, "rss_mib": 0.0})
            mine["cpu"] = min(mine["cpu"], result["cpu"])
            mine["wall"] = min(mine["wall"], result["wall"])
            mine["rss_mib"] = max(mine["rss_mib"], result["rss_mib"])
            print(f"  {size:>9,} bean-check {name}: cpu {result['cpu']:.2f} s, "
                  f"wall {result['wall']:.2f} s", flush=True)
    counted = {}
    if size <= args.instructions_max:
        for name, path in (("bare", bare), ("fund", fund)):
            counted[name] = instructions([sys.executable, bean_check, str(path)], args.timeout * 20)
        if all(counted.values()):
            print(f"  {size:>9,} instructions: bare {counted['bare']:,}, fund {counted['fund']:,}",
                  flush=True)
    last_year = 2015 + 10 - 1
    result = measured([sys.executable, __file__, "--probe", str(fund), "--as-of",
                       f"{last_year}-12-31", "--repeats", "1" if size >= BIG else "3"], args.timeout)
    if "error" in result:
        return {"size": size, "bean_check": best, "error": f"probe: {result['error']}"}
    if result["rc"] != 0:
        sys.exit(f"probe failed:\n{result['err'][-3000:]}")
    probed = json.loads(result["out"])
    print(f"  {size:>9,} load cpu {probed['load_cpu']:.2f} s; commands "
          + ", ".join(f"{k} {v:.3f}" for k, v in probed["commands"].items()), flush=True)
    return {"size": size, "transactions": txns, "directives": directives,
            "generate_s": generated, "bean_check": best, "instructions": counted, "probe": probed,
            "probe_wall": result["wall"]}


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%"


def report(results: list[dict[str, object]], command: str) -> str:
    done = [r for r in results if "probe" in r]
    lines = [START, "",
             f"Measured {datetime.date.today()} on {platform.machine()} · {os.cpu_count()} CPUs · "
             f"{_cpu_model()} · Python {platform.python_version()} · beancount {_version('beancount')}."
             " Times are CPU seconds (user + sys) of a cold process, best of the runs; wall "
             "times in brackets.", "",
             "Reproduce:", "", "```sh", command, "```", "",
             "### bean-check: what the fund plugin costs", "",
             "| transactions | directives | bare bean-check | with the plugin | ratio (CPU) | "
             "ratio (wall) | ratio (instructions) | peak RSS bare / plugin |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if "bean_check" not in r:
            continue
        bare, fund = r["bean_check"]["bare"], r["bean_check"]["fund"]
        counted = r.get("instructions") or {}
        ir = f"**{counted['fund'] / counted['bare']:.3f}**" if counted.get("bare") and \
            counted.get("fund") else "—"
        lines.append(f"| {r['size']:,} | {r.get('directives', 0):,} | {bare['cpu']:.2f} s "
                     f"({bare['wall']:.2f}) | {fund['cpu']:.2f} s ({fund['wall']:.2f}) | "
                     f"**{fund['cpu'] / bare['cpu']:.3f}** | {fund['wall'] / bare['wall']:.3f} | "
                     f"{ir} | {bare['rss_mib']:,.0f} / {fund['rss_mib']:,.0f} MiB |")
    names = sorted({name for r in done for name in r["probe"]["commands"]},
                   key=lambda n: ["balances", "loans", "member", "check", "notice",
                                  "publicity"].index(n) if n in
                   ("balances", "loans", "member", "check", "notice", "publicity") else 9)
    lines += ["", "### Each command after the load (share of `fundledger.load`)", "",
              "| transactions | load | " + " | ".join(names) + " | frames() | peak RSS |",
              "|---:|---:|" + "---:|" * (len(names) + 2)]
    for r in done:
        p = r["probe"]
        cells = [f"{p['commands'][n]:.3f} s ({pct(p['commands'][n], p['load_cpu'])})"
                 if n in p["commands"] else "—" for n in names]
        lines.append(f"| {r['size']:,} | {p['load_cpu']:.2f} s ({p['load_wall']:.2f}) | "
                     + " | ".join(cells) + f" | {p['frames']:.2f} s ({pct(p['frames'], p['load_cpu'])})"
                     f" | {p['rss_mib']:,.0f} MiB |")
    series = {
        "bare bean-check": [(r["size"], r["bean_check"]["bare"]["cpu"]) for r in done],
        "bean-check with the plugin": [(r["size"], r["bean_check"]["fund"]["cpu"]) for r in done],
        "the plugin's own cost (difference)": [
            (r["size"], r["bean_check"]["fund"]["cpu"] - r["bean_check"]["bare"]["cpu"]) for r in done],
        "fundledger.load": [(r["size"], r["probe"]["load_cpu"]) for r in done],
        **{f"`{n}` after the load": [(r["size"], r["probe"]["commands"].get(n)) for r in done]
           for n in names},
        "frames()": [(r["size"], r["probe"]["frames"]) for r in done],
        "peak RSS of the load": [(r["size"], r["probe"]["rss_mib"]) for r in done],
    }
    sizes = ", ".join(format(r["size"], ",") for r in done)
    step = " → ".join(format(r["size"], ",") for r in done[-2:])
    lines += ["", "### Scaling exponent k (time ∝ transactions^k, least squares on logs)", "",
              f"Over {sizes} transactions, and over the last step alone ({step}), where fixed "
              "start-up costs no longer count; 1.0 is linear.", "",
              f"| measure | k ({sizes}) | k ({step}) |", "|---|---:|---:|"]
    for name, points in series.items():
        k, last = slope(points), slope(points[-2:])
        lines.append(f"| {name} | {'—' if k is None else f'{k:.2f}'} | "
                     f"{'—' if last is None else f'{last:.2f}'} |")
    failed = [r for r in results if "error" in r]
    for r in failed:
        lines += ["", f"**{r['size']:,} transactions did not finish:** {r['error']}."]
    lines += ["", END]
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def write_doc(doc: Path, section: str) -> None:
    text = doc.read_text(encoding="utf-8") if doc.exists() else \
        f"# Performance\n\nTargets: {TARGETS}.\n\n{START}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000, BIG])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per process")
    parser.add_argument("--workdir", default="/tmp/fundledger-bench")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--instructions-max", type=int, default=100000,
                        help="count instructions with valgrind up to this size (0: never)")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite --doc from WORKDIR/results.json without measuring")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--as-of", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe, args.as_of, args.repeats)))
        return
    if args.report_only:  # rewrite the doc from the last run's raw results
        saved = json.loads((Path(args.workdir) / "results.json").read_text())
        write_doc(args.doc, report(saved["results"], saved["command"]))
        return
    command = "python bench/scale.py " + " ".join(
        [f"--sizes {' '.join(map(str, args.sizes))}", f"--runs {args.runs}",
         f"--big-runs {args.big_runs}", f"--instructions-max {args.instructions_max}"])
    results = []
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    ENV["PYTHONPYCACHEPREFIX"] = str(Path(args.workdir).resolve() / "pycache")
    subprocess.run([sys.executable, "-c", "import fundledger.plugin, fundledger.cli, "
                    "fundledger.fund, fundledger.notice, fundledger.render, fundledger.frames"],
                   env=ENV, check=True)  # compile once, as pip install does
    for size in sorted(args.sizes):
        print(f"{size:,} transactions", flush=True)
        results.append(measure_size(size, args))
        (Path(args.workdir) / "results.json").write_text(
            json.dumps({"command": command, "results": results}, indent=2, default=str))
        write_doc(args.doc, report(results, command))  # after each size: partial results stay
        if "error" in results[-1]:
            break
    print(report(results, command))


if __name__ == "__main__":
    main()
