"""Rules on applications and their workflow (申报程序): FL201–FL206."""

from __future__ import annotations

from itertools import groupby

from ..accounts import under_any
from ..money import fmt
from ..records import Application, Payment
from . import Checker

KIND_ZH = {"loan": "借款", "relief": "救济"}


def _payments(c: Checker) -> list[tuple[str | None, str, object, object]]:
    """(application id, kind, record, entry) for every relief posting and loan disbursement
    (an opening loan is no disbursement of these books: it needs no application)."""
    out = [(r.application_id, "relief", r, r.entry) for r in c.state.relief]
    out += [(loan.application_id, "loan", loan, loan.disbursement)
            for loan in c.state.loans.values() if loan.disbursement is not None and not loan.opening]
    return out


def _known(c: Checker, app_id: str | None, day) -> Application | None:
    app = c.state.applications.get(app_id) if app_id else None
    return app if app is not None and app.date <= day else None


def fl201_without_application(c: Checker) -> None:
    for app_id, kind, rec, entry in c.each(_payments(c), lambda x: x[3]):
        day = entry.date
        if app_id is None:
            if kind == "relief" and under_any(rec.account, c.state.policy_at(day).application_exempt):
                continue
            what = f"救济 {rec.account}" if kind == "relief" else f"借款 {rec.id}"
            c.error("FL201", f"{what} 没有注明申请 application:", f"{kind} without application:", entry)
        elif _known(c, app_id, day) is None:
            c.error("FL201", f"application: {app_id} 在 {day} 不是已知的申请",
                    f"unknown application {app_id}", entry)


def fl202_application_mismatch(c: Checker) -> None:
    for app_id, kind, rec, entry in c.each(_payments(c), lambda x: x[3]):
        app = _known(c, app_id, entry.date)
        if app is None:
            continue
        if app.kind != kind:
            c.error("FL202", f"申请 {app.id} 是{KIND_ZH[app.kind]}申请，却用于{KIND_ZH[kind]}",
                    f"application {app.id} is for {app.kind}, used for {kind}", entry)
            continue
        member = rec.member_id if kind == "relief" else entry.meta.get("member")
        if member is not None and str(member) != app.member_id:
            c.error("FL202", f"申请 {app.id} 的申请人是 {app.member_id}，受助人却是 {member}",
                    f"application {app.id} is {app.member_id}'s, paid to {member}", entry)


def _matching(c: Checker, app: Application) -> list[Payment]:
    """The payments made on the application, once it was known (earlier ones are FL201)."""
    return [p for p in app.payments if p.kind == app.kind and p.date >= app.date]


def fl203_step_missing(c: Checker) -> None:
    for app in c.each(c.state.applications.values(), lambda a: a.entry):
        seen = set()
        for pay in _matching(c, app):
            c.at = pay.entry
            if id(pay.entry) in seen:
                continue
            seen.add(id(pay.entry))
            required = c.state.policy_at(pay.date).steps(app.kind)
            done = {s.name for s in app.steps if s.date <= pay.date}
            missing = [s for s in required if s not in done]
            if missing:
                c.error("FL203", f"申请 {app.id} 付款前缺少步骤 {' '.join(missing)}"
                                 f"（应依次完成 {' '.join(required)}）",
                        f"{app.id} missing {' '.join(missing)} before payment on {pay.date}", pay.entry)


def fl204_steps_out_of_order(c: Checker) -> None:
    for app in c.each(c.state.applications.values(), lambda a: a.entry):
        highest = -1
        highest_name = ""
        for day, group in groupby(app.steps, key=lambda s: s.date):
            group = list(group)
            order = c.state.policy_at(day).steps(app.kind)
            for step in group:
                c.at = step.entry
                if step.name in order and order.index(step.name) < highest:
                    c.error("FL204", f"申请 {app.id} 的步骤 {step.name} 应在 {highest_name} 之前"
                                     f"（政策顺序 {' '.join(order)}）",
                            f"{step.name} after {highest_name}", step.entry)
            for step in group:
                if step.name in order and order.index(step.name) > highest:
                    highest, highest_name = order.index(step.name), step.name
        rejected = app.rejected()
        if rejected is None:
            continue
        late = [s.entry for s in app.steps if s.date > rejected.date and s.name != "reject"]
        late += [p.entry for p in app.payments if p.date > rejected.date]
        for entry in {id(e): e for e in late}.values():
            c.at = entry
            c.error("FL204", f"申请 {app.id} 已于 {rejected.date} 被驳回，之后不应再有步骤或付款",
                    f"{app.id} was rejected on {rejected.date}", entry)


def fl205_publicity_too_short(c: Checker) -> None:
    """The step after publicity (公示) waits ``publicity-days`` for objections."""
    for app in c.each(c.state.applications.values(), lambda a: a.entry):
        for pub in [s for s in app.steps if s.name == "publicity"]:
            policy = c.state.policy_at(pub.date)
            order = policy.steps(app.kind)
            if "publicity" not in order:
                continue
            i = order.index("publicity")
            if i + 1 < len(order):
                nxt = next((s for s in app.steps if s.name == order[i + 1] and s.date >= pub.date), None)
                what, entry = (order[i + 1], nxt.entry) if nxt else (None, None)
                day = nxt.date if nxt else None
            else:
                pay = next((p for p in _matching(c, app) if p.date >= pub.date), None)
                what, entry, day = ("付款", pay.entry, pay.date) if pay else (None, None, None)
            if entry is None:
                continue
            c.at = entry
            days = (day - pub.date).days
            if days < policy.publicity_days:
                c.error("FL205", f"申请 {app.id} 于 {pub.date} 公示，{what} 在 {days} 天后进行，"
                                 f"公示期应不少于 {policy.publicity_days} 天",
                        f"{what} {days} days after publicity, needs {policy.publicity_days}", entry)


def fl206_paid_above_approved(c: Checker) -> None:
    for app in c.each(c.state.applications.values(), lambda a: a.entry):
        if not app.approvals:
            continue
        paid = 0
        flagged = set()
        for pay in _matching(c, app):
            c.at = pay.entry
            paid += pay.amount
            approved = app.approved_on(pay.date)
            if approved is not None and paid > approved and id(pay.entry) not in flagged:
                flagged.add(id(pay.entry))
                c.error("FL206", f"申请 {app.id} 累计付款 {fmt(paid)} 超过批准金额 {fmt(approved)}",
                        f"{app.id} paid {paid}, approved {approved}", pay.entry)


RULES = [fl201_without_application, fl202_application_mismatch, fl203_step_missing,
         fl204_steps_out_of_order, fl205_publicity_too_short, fl206_paid_above_approved]
