"""What an acceptance's scores and votes say (验收结论), and why: pure computation, no database.

Section scores, the total, vetoes and floors hit, the grade band of the template, the
group's rules and its vote; ``evaluate`` gives the conclusion with its reasons in Chinese,
for the acceptance dialog as it is filled in, the conclusion itself and the opinion letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.i18n import _
from app.services.checklists import TemplateView

#: an acceptance group has at least this many members (and an odd number, one leader)
MIN_GROUP = 5


@dataclass(frozen=True)
class Member:
    uid: str
    name: str
    unit_kind: str
    unit_name: str
    role: str
    vote: str


@dataclass(frozen=True)
class Score:
    item_uid: str
    self_score: float | None
    group_score: float | None
    passed: bool | None
    remark: str


@dataclass
class Evaluation:
    """What the scores and votes say, and why (``reasons`` in Chinese)."""

    section_scores: list[tuple[str, float, float, float | None]]  # title, score, max, floor
    total: float
    grade: str
    vetoes: list[str]
    floors: list[str]
    votes: dict[str, int]
    missing: list[str]
    group_problems: list[str]
    conclusion: str  # pass / fail / "" (not complete yet)
    reasons: list[str] = field(default_factory=list)


def group_problems(members: Sequence[Member]) -> list[str]:
    """The rules of an acceptance group: at least 5, an odd number, exactly one leader."""
    found = []
    if len(members) < MIN_GROUP:
        found.append(_("验收小组至少 {n} 人，现有 {m} 人。").format(n=MIN_GROUP, m=len(members)))
    if len(members) % 2 == 0 and members:
        found.append(_("验收小组人数应为单数，现有 {m} 人。").format(m=len(members)))
    leaders = sum(m.role == "leader" for m in members)
    if leaders != 1:
        found.append(_("验收小组应有且只有一名组长，现有 {n} 名。").format(n=leaders))
    return found


def evaluate(template: TemplateView, scores: Mapping[str, Score], members: Sequence[Member]) -> Evaluation:
    """Pure computation: section scores, total, vetoes, floors, grade, votes, and the conclusion."""
    sections, vetoes, floors, missing = [], [], [], []
    total = 0.0
    for section in template.sections:
        got = 0.0
        for item in section.items:
            score = scores.get(item.uid)
            if item.kind == "pass_fail":
                if score is None or score.passed is None:
                    missing.append(item.code)
                elif score.passed is False and item.veto:
                    vetoes.append(_("否决项 {code}“{text}”不合格").format(code=item.code, text=item.text))
                continue
            if score is None or score.group_score is None:
                missing.append(item.code)
                continue
            got += score.group_score
        sections.append((section.title, got, section.max_score, section.floor))
        total += got
        if section.floor is not None and got < section.floor:
            floors.append(_("“{title}”得 {got:g} 分，低于该部分最低分 {floor:g} 分").format(
                title=section.title, got=got, floor=section.floor))
    grade = template.grade_for(total)
    votes = {key: sum(m.vote == key for m in members) for key in ("agree", "disagree", "abstain", "")}
    problems_found = group_problems(members)
    reasons: list[str] = []
    if missing:
        reasons.append(_("尚有 {n} 项未评分：{codes}").format(n=len(missing), codes="、".join(missing)))
    if problems_found:
        reasons.extend(problems_found)
    if votes[""]:
        reasons.append(_("尚有 {n} 位成员未表决").format(n=votes[""]))
    if reasons:
        return Evaluation(sections, total, grade, vetoes, floors, votes, missing, problems_found, "", reasons)
    fails = list(vetoes) + list(floors)
    lowest = min((b["min"] for b in template.grade_bands), default=0)
    if not grade:
        fails.append(_("总分 {total:g} 分，低于合格线 {low:g} 分").format(total=total, low=lowest))
    majority = votes["agree"] * 2 > len(members)
    if not majority:
        fails.append(_("同意票 {n} 票，未超过验收小组半数（{m} 人）").format(n=votes["agree"], m=len(members)))
    if fails:
        return Evaluation(sections, total, grade, vetoes, floors, votes, missing, problems_found, "fail", fails)
    reasons = [_("总分 {total:g} 分，等级“{grade}”；无否决项，各部分均达最低分；同意 {n} 票，超过半数").format(
        total=total, grade=grade, n=votes["agree"])]
    return Evaluation(sections, total, grade, vetoes, floors, votes, missing, problems_found, "pass", reasons)
