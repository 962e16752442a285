"""The inspection as plain text (the `gongkai inspect` output and the weekly digest)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .evaluate import Inspection

MAX_FINDINGS = 20


def render_text(inspection: Inspection, *, max_findings: int = MAX_FINDINGS) -> str:
    org = inspection.organisation
    lines = [
        _("网站自查：%(name)s（%(code)s），检查日期 %(at)s") % {"name": org.name, "code": org.code, "at": inspection.at},
        _("结论：%(v)s；扣分指标 %(p)s 分") % {"v": inspection.verdict, "p": inspection.points_lost},
        "",
    ]
    for r in inspection.results:
        i = r.indicator
        kind = _("单项否决") if i.is_veto else _("扣分")
        lines.append(_("[%(label)s] %(name)s（%(kind)s，阈值 %(threshold)g）：%(summary)s") % {
            "label": r.status.label, "name": i.name, "kind": kind, "threshold": i.threshold, "summary": r.summary})
        for f in r.findings[:max_findings]:
            when = f" {f.on}" if f.on else ""
            where = f" {f.url}" if f.url else ""
            lines.append(f"    - {f.label}：{f.detail}{when}{where}")
        if len(r.findings) > max_findings:
            lines.append("    " + _("……另有 %(n)s 项") % {"n": len(r.findings) - max_findings})
    lines += ["", _("栏目预警（何时将超期未更新）：")]
    for d in inspection.deadlines:
        if d.is_empty:
            lines.append("    " + _("%(c)s：空白栏目") % {"c": d.column.name})
        elif d.stale_on:
            state = _("已超期") if d.stale_on <= inspection.at else _("将于 %(d)s 超期") % {"d": d.stale_on}
            lines.append("    " + _("%(c)s：最近更新 %(l)s，%(s)s") % {"c": d.column.name, "l": d.last_published_on, "s": state})
    lines += ["", _("本周到期：")]
    if not inspection.due:
        lines.append("    " + _("无"))
    for due in inspection.due:
        lines.append(f"    {due.on} {due.what}")
    return "\n".join(lines) + "\n"
