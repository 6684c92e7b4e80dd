"""Desk submissions through a real Fava against a cold ``bean-check`` of the same ledger
(issue 14 item 4: a submission at most 0.05× the bean-check; 100 in a row keep that pace and
leave a ledger that checks clean).

    python bench/desk_speed.py [--sizes 30000 100000] [--runs 3] [--submissions 100]
                               [--workdir /tmp/fundledger-desk] [--json FILE]

For each size it writes a ledger with ``fundledger.synth`` (10 years, seed 1) with the Fava
extension switched on, then

* ``bean-check`` cold, ``--runs`` times (a new process, ``BEANCOUNT_DISABLE_LOAD_CACHE=1``,
  Fava not running): the median wall and CPU (user + sys, ``wait4``);
* starts Fava (not read-only) on 127.0.0.1, waits until it answers and GETs the extension's
  page, so the ledger is loaded;
* POSTs ``--submissions`` donations in a row to ``/<slug>/extension/FundLedger/entry``
  (``kind=donation``, dated the last day of the ledger's last year, so each goes to a file the
  ledger has; distinct amounts and ``yes=1``, so none is refused as entered twice). Each is
  timed: the wall round trip, and the CPU the Fava process spent on it (user + sys, its
  reaped children included, from ``/proc/PID/stat``). Every answer must be 200 with ok=true;
* stops Fava, runs ``bean-check`` (it must exit 0) and counts the ``entered-by:`` lines (they
  must have grown by exactly ``--submissions``).

The first submission is reported apart (it may load the ledger); of the others the median,
p90 and max, the medians' ratios to the bean-check's, and the median of the first and of the
last ten of them (the pace kept). ``--json FILE`` writes the numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ENV, measured  # noqa: E402 - beside this file

EXTENSION = '2000-01-01 custom "fava-extension" "fundledger.fava"'
EXT = "/extension/FundLedger/"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """User + sys seconds of process ``pid`` and its reaped children (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime


def p90(xs: list[float]) -> float:
    return sorted(xs)[max(0, math.ceil(0.9 * len(xs)) - 1)]


def entered(folder: Path) -> int:
    return sum(p.read_text(encoding="utf-8").count("entered-by:")
               for p in folder.glob("*.beancount"))


def bean_check(top: Path, timeout: float) -> dict[str, object]:
    result = measured([str(Path(sys.executable).parent / "bean-check"), str(top)], timeout)
    if "error" in result or result["rc"] != 0:
        sys.exit(f"bean-check {top}: {result.get('error') or result['rc']}\n"
                 f"{str(result.get('err', ''))[-2000:]}")
    return result


def start_fava(top: Path, timeout: float, prelude: str = "") -> tuple[subprocess.Popen, str]:
    """Fava, not read-only, on a free port (``prelude``: Python run first in its process);
    and the ledger's base URL once it answers."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(top.parent / "fava.log", "wb")  # noqa: SIM115 - the child keeps it
    env = {k: v for k, v in ENV.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}  # a clerk's
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.Popen([sys.executable, "-c", prelude + "from fava.cli import main; main()",
                             "--host", "127.0.0.1", "--port", str(port), str(top)],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=top.parent)
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"fava exited {proc.returncode}; see {top.parent / 'fava.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                return proc, response.geturl().rstrip("/").rsplit("/", 1)[0]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    stop(proc)
    sys.exit(f"fava did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def post(url: str, fields: dict[str, str], timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def submissions(proc: subprocess.Popen, base: str, year: int, n: int,
                timeout: float) -> list[tuple[float, float]]:
    """Wall and Fava CPU seconds of each of ``n`` donations POSTed in a row."""
    out = []
    for i in range(n):
        fields = {"kind": "donation", "date": f"{year}-12-31", "amount": str(500 + i),
                  "donor": "王建国", "campaign": "bench", "yes": "1"}
        cpu0, t0 = cpu_of(proc.pid), time.perf_counter()
        status, body = post(base + EXT + "entry", fields, timeout)
        wall, cpu = time.perf_counter() - t0, cpu_of(proc.pid) - cpu0
        try:
            ok = json.loads(body).get("ok") is True
        except ValueError:
            ok = False
        if status != 200 or not ok:
            stop(proc)
            sys.exit(f"submission {i + 1}: HTTP {status}\n{body.decode('utf-8', 'replace')}")
        out.append((wall, cpu))
        print(f"    submission {i + 1:>3}: wall {wall:.3f} s, cpu {cpu:.3f} s", flush=True)
    return out


def one_size(size: int, args: argparse.Namespace) -> dict[str, object]:
    from fundledger import synth

    top = synth.write(Path(args.workdir) / str(size), size)
    folder = top.parent
    for cache in folder.glob(".*picklecache"):
        cache.unlink()
    text = top.read_text(encoding="utf-8")
    if EXTENSION not in text:
        top.write_text(text + EXTENSION + "\n", encoding="utf-8")
    year = max(int(p.stem) for p in folder.glob("[0-9][0-9][0-9][0-9].beancount"))
    colds = [bean_check(top, args.timeout) for _ in range(args.runs)]
    check_wall = statistics.median(r["wall"] for r in colds)
    check_cpu = statistics.median(r["cpu"] for r in colds)
    print(f"  {size:,}: bean-check cold median wall {check_wall:.2f} s, cpu {check_cpu:.2f} s"
          f" ({args.runs} runs)", flush=True)
    before = entered(folder)
    t0 = time.perf_counter()
    proc, base = start_fava(top, args.timeout)
    try:
        with urllib.request.urlopen(base + EXT, timeout=args.timeout) as response:
            response.read()
        ready = time.perf_counter() - t0
        print(f"  Fava up and {EXT} served in {ready:.2f} s ({base})", flush=True)
        idle = cpu_of(proc.pid)
        times = submissions(proc, base, year, args.submissions, args.timeout)
        total_cpu = cpu_of(proc.pid) - idle
    finally:
        stop(proc)
    after_check = bean_check(top, args.timeout)
    written = entered(folder) - before
    if written != args.submissions:
        sys.exit(f"{written} entered-by lines written, not {args.submissions}")
    rest = times[1:] or times
    walls, cpus = [w for w, _ in rest], [c for _, c in rest]
    return {
        "size": size, "submissions": args.submissions, "runs": args.runs,
        "bean_check_wall": check_wall, "bean_check_cpu": check_cpu, "fava_ready_wall": ready,
        "first_wall": times[0][0], "first_cpu": times[0][1],
        "median_wall": statistics.median(walls), "p90_wall": p90(walls), "max_wall": max(walls),
        "median_cpu": statistics.median(cpus), "p90_cpu": p90(cpus), "max_cpu": max(cpus),
        "wall_ratio": statistics.median(walls) / check_wall,
        "cpu_ratio": statistics.median(cpus) / check_cpu,
        "first10_wall": statistics.median(walls[:10]), "last10_wall": statistics.median(walls[-10:]),
        "first10_cpu": statistics.median(cpus[:10]), "last10_cpu": statistics.median(cpus[-10:]),
        "fava_cpu_per_submission": total_cpu / len(times),
        "written": written, "check_after_rc": after_check["rc"],
        "check_after_wall": after_check["wall"],
    }


def report(r: dict) -> None:
    n = r["submissions"]
    print(f"{r['size']:,} transactions: bean-check cold median wall {r['bean_check_wall']:.2f} s,"
          f" cpu {r['bean_check_cpu']:.2f} s")
    print(f"  submission 1: wall {r['first_wall']:.3f} s, cpu {r['first_cpu']:.3f} s")
    for what in ("wall", "cpu"):
        print(f"  submissions 2..{n} {what}: median {r['median_' + what]:.3f} s, p90 "
              f"{r['p90_' + what]:.3f} s, max {r['max_' + what]:.3f} s; median / bean-check "
              f"{r[what + '_ratio']:.3f}×; first 10 {r['first10_' + what]:.3f} s, last 10 "
              f"{r['last10_' + what]:.3f} s")
    print(f"  Fava CPU per submission, all {n}: {r['fava_cpu_per_submission']:.3f} s")
    print(f"  after: bean-check exit {r['check_after_rc']} (clean), {r['written']} entries "
          f"written (entered-by: lines +{r['written']})")


def summary(r: dict) -> str:
    return (f"{r['size']:,} transactions: a desk submission (median of 2..{r['submissions']} in "
            f"a row) {r['median_wall']:.3f} s wall / {r['median_cpu']:.3f} s CPU = "
            f"{r['wall_ratio']:.3f}× / {r['cpu_ratio']:.3f}× a cold bean-check "
            f"({r['bean_check_wall']:.2f} s / {r['bean_check_cpu']:.2f} s); first 10 "
            f"{r['first10_wall']:.3f} s, last 10 {r['last10_wall']:.3f} s, max "
            f"{r['max_wall']:.3f} s; the ledger checks clean after {r['written']} entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--workdir", default="/tmp/fundledger-desk")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        results.append(one_size(size, args))
        report(results[-1])
    print()
    for r in results:
        print(summary(r))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
