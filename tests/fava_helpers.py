"""A real Fava and a real headless Chromium for the browser tests of the fund pages.

``fava_copy`` copies a demo ledger and switches the extension on; ``FavaServer`` runs
``fava --read-only`` on 127.0.0.1 (bounded start, killed at the end); ``chrome`` drives
Debian's chromium through its chromedriver, never downloading a browser or a driver.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()),
                None)
CHROMEDRIVER = next((p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
                     if Path(p).exists()), None)
CHROME_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=zh-CN")

EXTENSION_LINES = """
2000-01-01 custom "fava-extension" "fundledger.fava"
2000-01-01 custom "fava-option" "language" "zh_CN"
"""


def fava_copy(source: Path, target: Path, extra: str = EXTENSION_LINES) -> Path:
    """A copy of the ledger folder ``source`` whose main file turns the fund pages on."""
    shutil.copytree(source, target)
    main = target / "main.beancount"
    main.write_text(main.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return main


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FavaServer:
    """``fava --read-only --host 127.0.0.1 --port N LEDGER`` as a child process (without
    ``--read-only`` when ``read_only`` is false: the finance office's desk)."""

    def __init__(self, ledger: Path, log: Path, start_timeout: float = 90.0,
                 read_only: bool = True):
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from fava.cli import main; main()",
             *(["--read-only"] if read_only else []),
             "--host", "127.0.0.1", "--port", str(self.port), str(ledger)],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=ledger.parent)
        self.base = self._wait(start_timeout)

    def _wait(self, timeout: float) -> str:
        """The ledger's base URL (``/<slug>``), once Fava answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fava exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.root + "/", timeout=5) as response:
                    url = response.geturl()  # redirected to /<slug>/income_statement/
                    return url.rstrip("/").rsplit("/", 1)[0]
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"fava did not answer within {timeout} s:\n{self.log()}")

    def get(self, path: str, timeout: float = 60.0) -> tuple[bytes, Any]:
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            return response.read(), response.headers

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


def chrome(profile: Path, width: int = 1400, height: int = 1000) -> Any:
    """Headless Debian chromium via /usr/bin/chromedriver, with the console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, log_output=str(profile.parent / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


def console_errors(driver: Any) -> list[str]:
    """Console messages of level SEVERE since the last call (the log is drained on read)."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def screenshot(driver: Any, path: Path, width: int = 1400, max_height: int = 12000) -> Path:
    """The whole page: Fava scrolls inside <article>, so grow the window to its height."""
    height = driver.execute_script(  # the window's own frame is outer - inner height
        "const a = document.querySelector('article');"
        "const frame = window.outerHeight - window.innerHeight;"
        "return frame + 24 + (a ? a.scrollHeight + a.getBoundingClientRect().top"
        "                       : document.documentElement.scrollHeight);")
    driver.set_window_size(width, min(max(int(height), 600), max_height))
    time.sleep(0.3)  # let the layout settle after the resize
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 1000)
    return path
