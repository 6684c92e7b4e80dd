"""Fava's editor racing the desk: how many acknowledged entries and saves are lost.

    python bench/editor_race.py [--rounds 30] [--unguarded]

Each round sends 8 desk donations (``POST …/extension/FundLedger/entry``) and 4 saves through
Fava's own source editor (``PUT /api/source`` with its sha256, read again and retried when
Fava says the file changed, as a clerk would) to one file, all at once, then counts the
acknowledged ones missing from the file. ``--unguarded`` starts Fava with ``fava/guard.py``
turned off (Fava's writes outside ``.fundledger.lock``, as before it existed), to show what
the guard prevents. Not a speed benchmark: a count, printed as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from desk_speed import post, start_fava, stop  # noqa: E402 - beside this file

LEDGER = Path(__file__).parent.parent / "tests" / "ledgers" / "spec_example.beancount"
EXTENSION = '\n2000-01-01 custom "fava-extension" "fundledger.fava"\n'
UNGUARDED = "import fundledger.fava.guard as g; g.guard = lambda ledger: None; "


def editor_save(base: str, path: Path, line: str) -> bool:
    """Append ``line`` through Fava's editor; False if Fava never took it."""
    for _ in range(50):
        query = urllib.parse.urlencode({"filename": str(path)})
        try:
            with urllib.request.urlopen(f"{base}/api/source?{query}", timeout=60) as response:
                data = json.loads(response.read())["data"]
        except urllib.error.HTTPError:
            continue  # Fava had not yet seen the desk's new file: read again
        body = json.dumps({"file_path": str(path), "source": data["source"] + line,
                           "sha256sum": data["sha256sum"]}).encode()
        request = urllib.request.Request(f"{base}/api/source", data=body, method="PUT",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60):
                return True
        except urllib.error.HTTPError:
            continue  # changed since read: read again
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--unguarded", action="store_true")
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="editor-race-"))
    top = folder / "main.beancount"
    top.write_text(LEDGER.read_text(encoding="utf-8") + EXTENSION, encoding="utf-8")
    proc, base = start_fava(top, args.timeout, UNGUARDED if args.unguarded else "")
    url = base + "/extension/FundLedger/entry"
    counts = {"posts_acknowledged": 0, "posts_lost": 0, "saves_acknowledged": 0, "saves_lost": 0}
    try:
        status, body = post(url, {"kind": "donation", "date": "2026-01-05", "amount": "10",
                                  "donor": "起始"}, args.timeout)
        if status != 200:
            sys.exit(f"the first entry was refused: {body.decode()}")
        target = folder / "2026.beancount"
        for r in range(args.rounds):
            posted: list[int] = []
            saved: list[int] = []

            def one(n: int, r: int = r, posted: list[int] = posted) -> None:
                for _ in range(5):  # a connection closed unread is sent again
                    try:
                        status, _ = post(url, {"kind": "donation", "date": "2026-01-08",
                                               "amount": "10", "donor": f"R{r}P{n}"}, 120)
                    except (ConnectionError, http.client.RemoteDisconnected,
                            urllib.error.URLError):
                        continue
                    if status == 200:
                        posted.append(n)
                    return

            def edit(k: int, r: int = r, saved: list[int] = saved) -> None:
                line = (f'\n2026-01-08 * "编辑R{r}E{k}" "x"\n  Assets:Bank:Fund  3.00 CNY\n'
                        '  Income:Donations:Members\n')
                if editor_save(base, target, line):
                    saved.append(k)

            threads = [threading.Thread(target=one, args=(n,)) for n in range(8)]
            threads += [threading.Thread(target=edit, args=(k,)) for k in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            text = target.read_text(encoding="utf-8")
            counts["posts_acknowledged"] += len(posted)
            counts["posts_lost"] += sum(f'"R{r}P{n}"' not in text for n in posted)
            counts["saves_acknowledged"] += len(saved)
            counts["saves_lost"] += sum(f'"编辑R{r}E{k}"' not in text for k in saved)
    finally:
        stop(proc)
    print(json.dumps({"rounds": args.rounds, "guarded": not args.unguarded, **counts}))


if __name__ == "__main__":
    main()
