"""The supervisory group's pages in Fava: ``custom "fava-extension" "fundledger.fava"``.

    2023-01-01 custom "fava-extension" "fundledger.fava"

adds 帮扶基金 to Fava's sidebar: the to-do list (待办, the first page), fund position, loan
book, member register, applications and the annual notice, read-only, names masked, in
Chinese when Fava's language is Chinese. The pages read one ``FundState`` built from the
entries Fava already loaded (once per load) and format what ``fundledger.reports`` and ``fundledger.notice`` compute; nothing is reloaded.

This module defines exactly one ``FavaExtensionBase`` subclass: Fava registers every such
class it finds here.
"""

from __future__ import annotations

import datetime
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from fava.ext import FavaExtensionBase, extension_endpoint

from ..fund import Fund
from ..i18n import Words
from ..money import pct
from ..plugin import currency_of
from ..state import FundState, build_state
from . import guard, reload
from .page import View, _money, _year, _years, page_language

Date = datetime.date
reload.install()  # Fava's reloads: one at a time, from the desk's ledger while it is current
FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
           "json": "application/json; charset=utf-8"}


class FundLedger(FavaExtensionBase):
    """Fund pages for the supervisory group (监督小组), read-only, names masked; and, where
    Fava is not ``--read-only``, the finance office's desk (记账, fava/desk.py)."""

    has_js_module = True  # FundLedger.js: the desk's preview and submit

    def __init__(self, ledger: Any, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self._lock = threading.Lock()
        self._cache: tuple[Any, FundState, Fund] | None = None
        self._notified = False  # the desk wrote files Fava has not loaded yet
        guard.guard(ledger)  # Fava's editor writes under the desk's lock (fava/guard.py)

    @property  # type: ignore[override]
    def report_title(self) -> str:  # Fava reads it on every request: follow the language
        return Words(page_language())("fv_title")

    # -- the one state, rebuilt only when Fava has reloaded the ledger
    def after_load_file(self) -> None:
        with self._lock:
            self._cache = None
        reload.adopt(self.ledger)  # the desk checks entries against what Fava loaded
        reload.watch(self.ledger)  # and Fava's pages learn of a desk entry at once
        self._explain_errors()

    def before_request(self) -> None:
        """A page after a desk entry: Fava takes the desk's ledger (from memory), or loads
        the files if they changed (``fava/reload.py``). The desk's own POST does not wait."""
        if reload.in_a_desk_entry() or not self._desk():
            return
        if reload.stale(self.ledger):
            self.ledger.load_file()
        elif self._notified:  # Fava's API requests do not look for changed files themselves
            self._notified = False
            self.ledger.changed()

    def _desk(self) -> bool:
        from .desk import writable

        try:
            return writable()
        except RuntimeError:  # outside a Flask application (a script building the pages)
            return False

    def _explain_errors(self) -> None:
        """Fava's error banner and Errors page show beancount's own errors as the command line
        does: Chinese first, with the fix, the English kept in brackets (fundledger.explain).
        Fund errors are left as they are; anything that cannot be explained stays untouched."""
        ledger = self.ledger
        try:
            from ..explain import explain_all

            errors = list(ledger.load_errors)
            said = explain_all(errors, ledger.all_entries, ledger.options)
            ledger.load_errors = [
                e._replace(message=x.text("zh"),
                           source={**(e.source or {}), "filename": x.filename,
                                   "lineno": x.lineno})
                if x.recognised and hasattr(e, "_replace") else e
                for e, x in zip(errors, said, strict=True)]
        except Exception:  # noqa: BLE001 - the banner keeps beancount's words rather than fail
            return

    def _loaded(self) -> tuple[FundState, Fund]:
        key = (id(self.ledger.all_entries), self.ledger.mtime)
        with self._lock:
            if self._cache is None or self._cache[0] != key:
                entries, options = self.ledger.all_entries, self.ledger.options
                held = reload.held_for(self.ledger.beancount_file_path).fund
                if held is not None and held.entries is entries:  # the desk's: one state
                    state = held.state
                else:
                    state = build_state(entries, currency_of(options))
                fund = Fund(Path(self.ledger.beancount_file_path), entries,
                            list(self.ledger.load_errors), options, state)
                self._cache = (key, state, fund)
            return self._cache[1], self._cache[2]

    @property
    def state(self) -> FundState:
        return self._loaded()[0]

    @property
    def fund(self) -> Fund:
        return self._loaded()[1]

    # -- templates
    @cached_property
    def jinja_env(self) -> jinja2.Environment:
        env = FavaExtensionBase.jinja_env.func(self)  # type: ignore[attr-defined]
        env.filters["money"] = _money
        env.filters["pct"] = pct
        return env

    def view(self) -> View:
        """What the report template renders: the page asked for, as of the day asked for."""
        from flask import request

        return View(self, request.args)

    # -- the desk: one entry, as ``fundledger add KIND`` writes it (fava/desk.py)
    @extension_endpoint("entry", ["POST"])
    def entry_endpoint(self) -> Any:
        """``kind`` and ``add KIND``'s option names in, ``{"ok": …}`` JSON out (200 or 422)."""
        import json

        from flask import Response, request

        from .desk import entered_by, same_origin, submit

        if not same_origin(request):
            answer_body, status = {"ok": False, "errors": ["拒绝跨站提交 (cross-site refused)"]}, 403
        else:
            path = self.ledger.beancount_file_path
            held = reload.held_for(path)
            answer = submit(path, request.form, entered_by(request), held)
            answer_body, status = answer.body, answer.status
            if status == 200 and not answer_body.get("preview"):
                written = [f["file"] for f in answer_body.get("files", [])] or [answer_body["file"]]
                current = held.current()
                if current is not None:  # Fava takes the held ledger on its next page
                    reload.absorb(self.ledger, written)
                    self.ledger.load_errors = list(current[0].errors)  # /api/errors: at once
                    self._explain_errors()
                else:  # Fava loads the files on its next request, its API's included
                    reload.notify(self.ledger, written)
                    self._notified = True
        return Response(json.dumps(answer_body, ensure_ascii=False), status=status,
                        mimetype="application/json",
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})

    # -- downloads
    @extension_endpoint("notice")
    def notice_endpoint(self) -> Any:
        """The annual notice as ``notice --format md|html|json`` prints it."""
        import json

        from flask import Response, abort, request

        from ..cli_common import year_outside
        from ..notice import EDITIONS, build_notice, notice_json
        from ..render import render_notice

        fmt_ = request.args.get("format", "html")
        edition = request.args.get("edition", "public")
        year = _year(request.args.get("year"))
        if fmt_ not in FORMATS or edition not in EDITIONS or year is None:
            return abort(400)
        lang = request.args.get("lang") or page_language()
        lang = lang if lang in ("zh", "en") else "zh"
        why = year_outside(_years(self), year)
        if why is not None:  # a clear answer, never Date(10000, …) raising into a 500
            text = why[0] if lang == "zh" else why[1]
            return Response(text + "\n", status=400, mimetype="text/plain",
                            headers={"X-Content-Type-Options": "nosniff"})
        notice = build_notice(self.fund, year, edition)
        if fmt_ == "json":
            text = json.dumps(notice_json(notice), ensure_ascii=False, indent=2, default=str) + "\n"
        else:
            text = render_notice(notice, fmt_, lang)
        response = Response(text, mimetype=FORMATS[fmt_].split(";")[0])
        response.headers["Content-Type"] = FORMATS[fmt_]
        response.headers["X-Content-Type-Options"] = "nosniff"
        if request.args.get("download"):
            name = f"notice-{year}-{edition}-{lang}.{fmt_}"
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
