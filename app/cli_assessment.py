"""Command-line assessment: ``python -m app [--db PATH] assess --year 2016 [--publish] [--json]``.

On the city's database it computes (again) the year's draft and, with ``--publish``,
publishes it (every hand-scored item must be scored first, in the window). On a county's
it prints a trial run of that county's own scores; publishing is refused there.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.i18n import _
from app.services import assessment_rules, assessments
from app.services.assessment_metrics import number_text
from app.services.assessment_views import AssessmentView, status_label
from app.services.workspace import Workspace


def add_commands(commands) -> None:
    assess = commands.add_parser("assess", help=_("年度考核：计算各县（区）得分、扣分和排名，可发布"))
    assess.add_argument("--year", type=int, required=True, help=_("考核年度，如 2016"))
    assess.add_argument("--as-of", default=None, help=_("考核基准日（默认：年末，当年为今天）"))
    assess.add_argument("--rule-set", default=None, help=_("考核细则版本的 uid（默认：启用的版本）"))
    assess.add_argument("--publish", action="store_true", help=_("计算后发布（人工评分项须已在窗口中评完）"))
    assess.add_argument("--number", default=None, help=_("发布的文号（默认：下一个文号）"))
    assess.add_argument("--json", action="store_true", help=_("以 JSON 输出"))


def as_json(view: AssessmentView) -> dict[str, Any]:
    return {
        "uid": view.uid or None, "year": view.year, "status": view.status, "as_of": view.as_of.isoformat(),
        "computed_at": view.computed_at.isoformat(timespec="seconds"), "number": view.number,
        "rule_set": {"uid": view.rule_set.uid, "name": view.rule_set.name, "version": view.rule_set.version},
        "ranking": [s.as_dict() for s in view.standings],
        "scores": [{"subject": s.subject_name, "subject_kind": s.subject_kind, "code": s.item.code,
                    "title": s.item.title, "points": s.points, "score": s.score, "deduction": s.deduction,
                    "explanation": s.explanation, "records": list(s.evidence)} for s in view.scores],
        "basis": view.basis,
    }


def _print(view: AssessmentView) -> None:
    print(_("{year} 年度考核（{status}），基准日 {day}，考核细则：{rules} 第 {version} 版").format(
        year=view.year, status=status_label(view.status), day=view.as_of.isoformat(), rules=view.rule_set.name,
        version=view.rule_set.version))
    for s in view.standings:
        waiting = _("（{n} 项待评分）").format(n=s.unscored) if s.unscored else ""
        print(f"{s.rank:>3}  {s.name}\t{number_text(s.total)}\t-{number_text(s.deduction)}\t{s.grade}{waiting}")
        for score in view.deductions_of(s.key):
            print(f"       {score.item.code} -{number_text(score.deduction or 0)}  {score.explanation}")


def _assess(ws: Workspace, args: argparse.Namespace) -> int:
    if not assessment_rules.is_city(ws):
        if args.publish:
            print(_("只有市档案局可以发布年度考核；县（区）节点可以试算本县（区）的得分（不加 --publish）。"), file=sys.stderr)
            return 1
        view = assessments.preview(ws, args.year, rule_set_uid=args.rule_set, as_of=args.as_of)
    else:
        view = assessments.compute(ws, args.year, rule_set_uid=args.rule_set, as_of=args.as_of)
        if args.publish:
            raw = assessments.publish_defaults(ws, view.uid)
            if args.number:
                raw["number"] = args.number
            view = assessments.publish(ws, view.uid, raw)
    if args.json:
        print(json.dumps(as_json(view), ensure_ascii=False, indent=2))
    else:
        _print(view)
        if view.status == "published":
            print(_("已发布：{number}").format(number=view.number))
    return 0


COMMANDS = {"assess": _assess}
