"""Demo data (演示数据): a realistic, reproducible Ya'an reconstruction for training and trials.

``generate`` fills a database with master projects (总规项目) and sub-projects (重建子项目)
shaped like the real 2013-2017 reconstruction: 2,160 master projects for 4,055
sub-projects, weighted towards the worst-hit counties, with 28 demonstration sites per
4,055. The same seed on the same database gives the same records (uids aside).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Division, MasterProject, SubProject
from app.services import demo_data as data
from app.services import demo_field_work as field_work
from app.services import records
from app.services.demo_city import quotas
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

#: Sub-projects per master project: mean 1.88, the real 4,055 / 2,160.
SUBS_PER_MASTER = (1, 2, 3, 4)
SUBS_CUM_WEIGHTS = tuple(itertools.accumulate((45, 30, 17, 8)))
DEMONSTRATION_SHARE = 28 / 4055
#: Loans (World Bank, ADB) went to these sectors; 40 of 2,160 master projects overall.
LOAN_SECTORS = frozenset({"基础设施", "公共服务", "防灾减灾"})
LOAN_SHARE = 40 / 2160
STATUSES = ("completed", "under_construction", "suspended", "not_started")
STATUS_CUM_WEIGHTS = tuple(itertools.accumulate((900, 60, 15, 25)))
FIRST_START = date(2013, 6, 1)
PEAK_START = date(2014, 6, 1)
LAST_COMPLETED_START = date(2016, 12, 31)
LATE_START = date(2015, 1, 1)
LAST_DAY = date(2017, 12, 31)
MIN_WAN, MAX_WAN = 20.0, 60_000.0
SCOPE_SCALE = {"village": 0.5, "town": 0.8, "county": 2.5}
NAME_ATTEMPTS = 30
SECTOR_CUM = tuple(itertools.accumulate(s[1] for s in data.SECTORS))
PARK_SECTOR_CUM = tuple(itertools.accumulate(s[1] for s in data.PARK_SECTORS))


@dataclass(frozen=True)
class DemoResult:
    master_projects: int
    sub_projects: int
    seconds: float
    #: visits, problems, rounds, notices and trainings made with the sub-projects
    field_work: field_work.FieldWorkCounts = field(default_factory=field_work.FieldWorkCounts)


@dataclass(frozen=True)
class _Division:
    uid: str
    code: str
    name: str
    short_name: str


def generate(ws: Workspace, *, sub_projects: int, seed: int = 2013, division_uids: list[str] | None = None,
             cancel: CancelToken | None = None, progress: ProgressSink = no_progress) -> DemoResult:
    """Add ``sub_projects`` sub-projects and their master projects in one write transaction.

    Codes continue after those already in the database, so it can run again on the same
    file. ``division_uids`` limits the data to those divisions; by default a county
    laptop gets its own county's projects and the city all nine divisions'. Cancelling rolls everything back and raises ``Cancelled``. Runs on the caller's
    thread; the sink is called from it too.
    """
    if sub_projects < 0:
        raise ValueError("sub_projects must not be negative")
    started = time.perf_counter()
    message = _("正在生成演示数据…")
    if cancel is not None:
        cancel.check()
    with ws.db.write() as session:
        # Read inside the write transaction: BEGIN IMMEDIATE keeps the codes we avoid current.
        divisions = _divisions(session, division_uids, ws.division_uid)
        builder = _Builder(random.Random(seed), session)
        masters, subs = builder.build(divisions, sub_projects)
        total = len(masters) + len(subs)
        progress(0, total, message)
        split = field_work.ProgressSplit(progress, total, total, field_work.WEIGHT_PER_SUB * len(subs))
        records.bulk_create(session, ws, MasterProject, masters, total=total, cancel=cancel,
                            progress=split.first, message=message)
        offset = len(masters)

        def sub_progress(done: int, _total: int, text: str) -> None:
            split.first(offset + done, total, text)

        sub_uids = records.bulk_create(session, ws, SubProject, subs, total=total, cancel=cancel,
                                       progress=sub_progress, message=message)
        # Visits, problems, supervision, notices and trainings: in the same transaction.
        made = field_work.build(session, ws, builder.rng, subs, sub_uids, divisions, cancel=cancel,
                                progress=split.second, message=message)
    return DemoResult(len(masters), len(subs), time.perf_counter() - started, made)


def _divisions(session: Session, uids: list[str] | None, node_division: str | None) -> list[_Division]:
    rows = session.execute(
        select(Division.uid, Division.code, Division.name, Division.short_name)
        .where(Division.deleted.is_(False), Division.kind != "city").order_by(Division.sort_order)
    ).all()
    found = [_Division(*row) for row in rows]
    if uids is None:
        own = [d for d in found if d.uid == node_division]
        return own or found
    unknown = set(uids) - {d.uid for d in found}
    if unknown:
        raise ValueError(f"not a county, district or park division: {sorted(unknown)}")
    wanted = set(uids)
    return [d for d in found if d.uid in wanted]


def _town_short(town: str) -> str:
    for suffix in data.TOWN_SUFFIXES:
        if town.endswith(suffix) and len(town) > len(suffix) + 1:
            return town[: -len(suffix)]
    return town


def _government(town: str) -> str:
    return f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"


def _pick(rng: random.Random, items: Sequence[Any], cum_weights: Sequence[float]) -> Any:
    # random.choices rebuilds its tables on every call; bisect on fixed sums is cheaper.
    return items[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]


class _Builder:
    """Plans every row in memory first: sub-projects decide their master's investment."""

    def __init__(self, rng: random.Random, session: Session) -> None:
        self.rng = rng
        self.plan_codes = set(session.scalars(select(MasterProject.plan_code)))
        self.sub_codes = set(session.scalars(select(SubProject.code)))
        self.names = set(session.scalars(select(MasterProject.name)))
        self.staff: dict[str, tuple[str, str, str, str]] = {}
        self.villages: dict[str, list[str]] = {}
        self.surname_cum = tuple(itertools.accumulate(1 / (rank + 4) for rank in range(len(data.SURNAMES))))

    def build(self, divisions: list[_Division], count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        masters: list[dict[str, Any]] = []
        subs: list[dict[str, Any]] = []
        weights = [data.DIVISION_WEIGHTS.get(d.code, data.DEFAULT_WEIGHT) for d in divisions]
        for division, quota in zip(divisions, quotas(count, weights)):
            seq = self._last_seq(division.code)
            place = _Places(division, self.villages)
            while quota > 0:
                size = min(_pick(self.rng, SUBS_PER_MASTER, SUBS_CUM_WEIGHTS), quota)
                seq, plan_code = self._next_code(division.code, seq, size)
                master, parts = self._master(division, place, plan_code, size)
                masters.append(master)
                subs.extend(parts)
                quota -= size
        self._mark_foreign_loans(masters, subs)
        self._mark_demonstration_sites(subs)
        return masters, subs

    def _last_seq(self, division_code: str) -> int:
        pattern = re.compile(rf"{re.escape(division_code)}-ZG-(\d+)")
        seqs = [int(m.group(1)) for code in self.plan_codes if (m := pattern.fullmatch(code))]
        return max(seqs, default=0)

    def _next_code(self, division_code: str, seq: int, size: int) -> tuple[int, str]:
        # Skip numbers someone already used by hand, for the master or any of its parts.
        while True:
            seq += 1
            plan_code = f"{division_code}-ZG-{seq:04d}"
            sub_codes = [f"{plan_code}-{n:02d}" for n in range(1, size + 1)]
            if plan_code not in self.plan_codes and not any(c in self.sub_codes for c in sub_codes):
                self.plan_codes.add(plan_code)
                self.sub_codes.update(sub_codes)
                return seq, plan_code

    def _master(self, division: _Division, place: _Places, plan_code: str,
                size: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        sectors, sector_cum = (
            (data.PARK_SECTORS, PARK_SECTOR_CUM) if division.code == data.PARK_CODE else (data.SECTORS, SECTOR_CUM))
        for _attempt in range(NAME_ATTEMPTS):
            sector, _weight, median, templates = _pick(rng, sectors, sector_cum)
            scope, pattern, owner_pattern, kind = rng.choice(templates)
            values = place.values(rng)
            name = pattern.format_map(values)
            if name not in self.names:
                break
        else:
            # The name space of a small division is used up: a later batch of the same works.
            name = next(batch for n in itertools.count(2)
                        if (batch := f"{name}（第{_chinese_number(n)}批）") not in self.names)
        self.names.add(name)
        owner = owner_pattern.format_map(values)
        sub_median = median * SCOPE_SCALE[scope] * (2.5 if kind == "road" and scope == "county" else 1.0)
        sub_median /= math.sqrt(size)
        uid = records.new_uid()
        subs = [
            self._sub(division, uid, f"{plan_code}-{n:02d}", sub_name, sector, owner, sub_median)
            for n, sub_name in enumerate(self._part_names(name, kind, size), start=1)
        ]
        master = {"uid": uid, "plan_code": plan_code, "name": name, "division_uid": division.uid,
                  "sector": sector, "owner_unit": owner, "foreign_loan": False,
                  "investment_yuan": sum(s["investment_yuan"] for s in subs)}
        return master, subs

    def _part_names(self, name: str, kind: str, size: int) -> list[str]:
        if size == 1:
            return [name]
        if kind in data.ORDERED_PARTS:
            parts = data.ORDERED_PARTS[kind][:size]
        else:
            pool = data.PARTS[kind]
            if size > len(pool):
                parts = data.ORDERED_PARTS["section"][:size]
            else:
                parts = [pool[i] for i in sorted(self.rng.sample(range(len(pool)), size))]
        return [f"{name}（{part}）" for part in parts]

    def _sub(self, division: _Division, master_uid: str, code: str, name: str, sector: str, owner: str,
             median_wan: float) -> dict[str, Any]:
        rng = self.rng
        status = _pick(rng, STATUSES, STATUS_CUM_WEIGHTS)
        wan = min(max(rng.lognormvariate(math.log(median_wan), 0.8), MIN_WAN), MAX_WAN)
        # Budgets are mostly whole 万元; the rest carry two decimals (hundreds of yuan).
        yuan = round(wan) * 10_000 if rng.random() < 0.6 else round(wan * 100) * 100
        start, finish = self._dates(status, wan)
        lead, lead_phone, archivist, archivist_phone = self._staff(division.code, owner)
        if rng.random() < 0.35:
            # A part-time archivist of the contractor rather than the owner's own.
            archivist, archivist_phone = self._person(), self._phone(division.code, landline_share=0.1)
        remarks = ""
        if status == "suspended":
            remarks = rng.choice(data.SUSPENDED_REMARKS)
        elif status == "not_started":
            remarks = rng.choice(data.NOT_STARTED_REMARKS)
        elif status == "completed" and rng.random() < 0.1:
            remarks = rng.choice(data.COMPLETED_REMARKS)
        return {"code": code, "name": name, "master_project_uid": master_uid, "division_uid": division.uid,
                "sector": sector, "owner_unit": owner, "investment_yuan": yuan, "foreign_loan": False,
                "start_date": start, "finish_date": finish, "construction_status": status,
                "demonstration_site": False, "archive_lead": lead, "archive_lead_phone": lead_phone,
                "archivist": archivist, "archivist_phone": archivist_phone, "remarks": remarks}

    def _dates(self, status: str, wan: float) -> tuple[date | None, date | None]:
        rng = self.rng
        if status == "not_started":
            return None, None
        if status != "completed":
            span = (LAST_DAY - LATE_START).days - 90
            return LATE_START + timedelta(days=rng.randrange(span)), None
        span = (LAST_COMPLETED_START - FIRST_START).days
        start = FIRST_START + timedelta(days=int(rng.triangular(0, span, (PEAK_START - FIRST_START).days)))
        # Bigger works take longer: about 5 months for 50 万元, about a year for 5 亿.
        days = int(rng.lognormvariate(math.log(40 + 70 * math.log10(wan)), 0.35))
        return start, min(start + timedelta(days=days), LAST_DAY)

    def _staff(self, division_code: str, owner: str) -> tuple[str, str, str, str]:
        # One owner unit keeps the same lead and archivist across its projects.
        staff = self.staff.get(owner)
        if staff is None:
            staff = (self._person(), self._phone(division_code, landline_share=0.5),
                     self._person(), self._phone(division_code, landline_share=0.15))
            self.staff[owner] = staff
        return staff

    def _person(self) -> str:
        rng = self.rng
        surname = _pick(rng, data.SURNAMES, self.surname_cum)
        pool = data.GIVEN_MALE if rng.random() < 0.6 else data.GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        return surname + given

    def _phone(self, division_code: str, *, landline_share: float) -> str:
        rng = self.rng
        if rng.random() < landline_share:
            prefix = rng.choice(data.LANDLINE_PREFIXES.get(division_code, data.GENERIC_LANDLINE))
            return f"0835-{prefix}{rng.randrange(10_000):04d}"
        return f"{rng.choice(data.MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"

    def _mark_foreign_loans(self, masters: list[dict[str, Any]], subs: list[dict[str, Any]]) -> None:
        # Drawn after planning so the share is exact, as the real 40 were a known list.
        eligible = [m for m in masters if m["sector"] in LOAN_SECTORS]
        chosen = self.rng.sample(eligible, min(round(len(masters) * LOAN_SHARE), len(eligible)))
        lenders = {m["uid"]: self.rng.choice(data.FOREIGN_LOAN_REMARKS) for m in chosen}
        for master in chosen:
            master["foreign_loan"] = True
        for sub in subs:
            lender = lenders.get(sub["master_project_uid"])
            if lender is not None:
                sub["foreign_loan"] = True
                sub["remarks"] = f"{lender}；{sub['remarks']}" if sub["remarks"] else lender

    def _mark_demonstration_sites(self, subs: list[dict[str, Any]]) -> None:
        # Demonstration sites were chosen among finished works, 28 for the real 4,055.
        completed = [s for s in subs if s["construction_status"] == "completed"]
        wanted = min(round(len(subs) * DEMONSTRATION_SHARE), len(completed))
        for sub in self.rng.sample(completed, wanted):
            sub["demonstration_site"] = True


class _Places:
    """The names one division's projects are built from."""

    def __init__(self, division: _Division, villages: dict[str, list[str]]) -> None:
        self.division = division
        code = division.code
        self.towns = data.TOWNS.get(code, data.GENERIC_TOWNS)
        # The county seat gets three times the projects of another township.
        self.town_cum = tuple(itertools.accumulate(3 if i == 0 else 1 for i in range(len(self.towns))))
        self.rivers = data.RIVERS.get(code, data.GENERIC_RIVERS)
        self.roads = data.ROADS.get(code, data.GENERIC_ROADS)
        self.products = data.PRODUCTS.get(code, data.GENERIC_PRODUCTS)
        self.village_cache = villages

    def villages(self, town: str) -> list[str]:
        # Seeded by the township's name: a village belongs to the same township in every run.
        found = self.village_cache.get(town)
        if found is None:
            known = data.KNOWN_VILLAGES.get(town, [])
            others = [v for v in random.Random(f"villages:{town}").sample(data.VILLAGES, 12) if v not in known]
            found = known + others
            if town.endswith("街道"):
                # Urban sub-districts are made of communities, not villages.
                found = [v.removesuffix("村") + "社区" for v in found]
            self.village_cache[town] = found
        return found

    def values(self, rng: random.Random) -> _Values:
        return _Values(self, rng)


class _Values(dict[str, str]):
    """Pattern fields drawn on first use, so each name spends only the draws it needs."""

    def __init__(self, places: _Places, rng: random.Random) -> None:
        super().__init__()
        self.places, self.rng = places, rng

    def __missing__(self, key: str) -> str:
        places, rng = self.places, self.rng
        division = places.division
        if key == "county":
            value = division.name
        elif key == "short":
            value = division.short_name
        elif key == "town":
            value = _pick(rng, places.towns, places.town_cum)
        elif key == "town_s":
            value = _town_short(self["town"])
        elif key == "town2_s":
            others = [t for t in places.towns if t != self["town"]] or places.towns
            value = _town_short(rng.choice(others))
        elif key == "gov":
            value = _government(self["town"])
        elif key == "village":
            value = rng.choice(places.villages(self["town"]))
        elif key == "group":
            value = str(rng.randint(1, 12))
        elif key == "hamlet":
            value = rng.choice(data.SURNAMES[:40]) + rng.choice(data.HAMLET_SUFFIXES)
        elif key == "river":
            value = rng.choice(places.rivers)
        elif key == "road":
            value = rng.choice(places.roads)
        elif key == "product":
            value = rng.choice(places.products)
        elif key in ("company", "line"):
            trade, lines = rng.choice(data.INDUSTRIES)
            where = "" if division.code == data.PARK_CODE else division.short_name
            self["company"] = f"四川{where}{rng.choice(data.BRANDS)}{trade}有限公司"
            self["line"] = rng.choice(lines) + rng.choice(data.LINE_WORKS)
            return self[key]
        elif key == "axis":
            value = rng.choice("经纬")
        elif key == "num":
            value = _chinese_number(rng.randint(1, 12))
        elif key == "block":
            value = rng.choice("ABCDEFGH")
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _chinese_number(n: int) -> str:
    """1..99 as written in names: 三, 十二, 二十一 (larger numbers stay in digits)."""
    if not 0 < n < 100:
        return str(n)
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
