"""The city's share of the demo: notices of 2016 and trainings (演示数据：通报、培训).

Mixed into the field-work planner, which owns the rows; kept apart so each module holds one
concern. Dates and counts reproduce what the seed reports for the city.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from app.models import Notice, Training
from app.services import demo_field_data as data
from app.services import records

SEPARATOR = "\u3001"  # 、
NOTICE_DATES = (date(2016, 1, 15), date(2016, 3, 10), date(2016, 5, 20))
#: 12 + 11 + 11 = 34 opinions
OPINIONS_PER_NOTICE = (12, 11, 11)
OPINION_WITH_PROBLEMS_SHARE = 0.75
OPINION_DEADLINE_DAYS = 30
#: (year, first day, last day, sessions): 31 sessions from 2013-08 to 2016-12
CITY_TRAINING_YEARS = ((2013, date(2013, 8, 1), date(2013, 12, 31), 6), (2014, date(2014, 1, 6), date(2014, 12, 26), 10),
                       (2015, date(2015, 1, 5), date(2015, 12, 25), 9), (2016, date(2016, 1, 4), date(2016, 12, 23), 6))
CITY_ATTENDANCE = 1341
COUNTY_TRAINING_YEARS = ((date(2013, 9, 1), date(2013, 12, 31), 1, 2), (date(2014, 1, 6), date(2014, 12, 26), 2, 4),
                         (date(2015, 1, 5), date(2015, 12, 25), 2, 4), (date(2016, 1, 4), date(2016, 12, 23), 2, 3))
COUNTY_ATTENDANCE = (15, 60)
#: training topics by year: 0 the start, 1 building, 2 completion (``demo_field_data`` tags each topic)
TRAINING_PHASES: dict[int, tuple[int, ...]] = {2013: (0,), 2014: (0, 1), 2015: (1,), 2016: (1, 2)}

def quotas(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` by weight exactly (largest remainder), so the count is never off by one."""
    if not weights:
        return []
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    quotas = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: (quotas[i] - shares[i], i))[: total - sum(quotas)]:
        quotas[i] += 1
    return quotas


def spread_days(rng: random.Random, first: date, last: date, count: int) -> list[date]:
    """``count`` different days in [first, last], in order (fewer if the span is shorter)."""
    span = (last - first).days + 1
    if span <= 0:
        return []
    return [first + timedelta(days=d) for d in sorted(rng.sample(range(span), min(count, span)))]


def date_text(day: date) -> str:
    return data.DATE_TEXT.format(y=day.year, m=day.month, d=day.day)


class CityWorkPlanner:
    """Notices and trainings; expects the planner's rng, today, divisions, rounds and row lists."""

    # -- notices ----------------------------------------------------------------------
    def notices(self) -> None:
        if not self.is_city or not self.rounds or self._live_count(Notice):
            return
        rng = self.rng
        for (n, issued), count, rnd in zip(enumerate(NOTICE_DATES, start=1), OPINIONS_PER_NOTICE, self.rounds):
            if issued > self.today:
                break
            notice_uid = records.new_uid()
            extra = data.NOTICE_PREAMBLE_RECHECK if rnd.number > 1 else ""
            self.notices_new.append({
                "uid": notice_uid, "number": data.NOTICE_NUMBER.format(n=n),
                "title": data.NOTICE_TITLE.format(round=data.ROUND_TITLES[min(rnd.number, 3) - 1]),
                "issue_date": issued, "issuer": data.NOTICE_ISSUER, "recipients": data.NOTICE_RECIPIENTS,
                "preamble": data.NOTICE_PREAMBLE.format(start=date_text(rnd.start), end=date_text(rnd.end),
                                                        n=self.round_subs.get(rnd.number, 0),
                                                        round=rnd.name, extra=extra),
                "status": "issued", "round_uid": rnd.uid, "supersedes_uid": None})
            deadline = date_text(issued + timedelta(days=OPINION_DEADLINE_DAYS))
            # Every division once; the extra opinions go to those with the most problems.
            divisions = self.all_divisions
            busiest = sorted(divisions, key=lambda d: -len(self.round_problems.get((rnd.number, d.uid), [])))
            chosen = divisions + busiest[: max(count - len(divisions), 0)]
            chosen = sorted(chosen[:count], key=lambda d: d.sort_order)
            used: dict[str, set[str]] = {}
            for seq, division in enumerate(chosen, start=1):
                found = self.round_problems.get((rnd.number, division.uid), [])
                categories = sorted({c for _uid, c, _name in found} - used.setdefault(division.uid, set()))
                problem_uids: list[str] = []
                if categories and rng.random() < OPINION_WITH_PROBLEMS_SHARE:
                    category = rng.choice(categories)
                    used[division.uid].add(category)
                    picked = [p for p in found if p[1] == category][:3]
                    problem_uids = [p[0] for p in picked]
                    names = list(dict.fromkeys(p[2] for p in picked))[:2]
                    text = rng.choice(data.OPINIONS_WITH_PROBLEMS).format(
                        division=division.name, issue=data.ISSUE_PHRASES[category], deadline=deadline,
                        projects=SEPARATOR.join(data.PROJECT_QUOTE.format(name=name) for name in names))
                else:
                    weak = data.OPINION_WEAK + (data.OPINION_WEAK_RECHECK if rnd.number > 1 else [])
                    text = rng.choice(data.OPINIONS_GENERAL).format(
                        division=division.name, good=rng.choice(data.OPINION_GOOD),
                        weak=rng.choice(weak), ask=rng.choice(data.OPINION_ASK), deadline=deadline)
                self.items_new.append({"notice_uid": notice_uid, "seq": seq, "division_uid": division.uid,
                                       "text": text, "problem_uids": problem_uids})

    # -- trainings ----------------------------------------------------------------------
    def trainings(self) -> None:
        rng = self.rng
        if self.is_city and not self._live_count(Training, Training.level == "city"):
            self._city_trainings()
        for division in self.divisions:
            if self._live_count(Training, Training.level == "county", Training.division_uid == division.uid):
                continue
            organiser = data.ARCHIVES_BUREAU_BY_CODE.get(division.code) or data.ARCHIVES_BUREAU.format(
                name=division.name)
            places = (data.PARK_TRAINING_LOCATIONS if division.code == data.PARK_CODE
                      else data.COUNTY_TRAINING_LOCATIONS)
            seen: dict[str, int] = {}
            for first, last, fewest, most in COUNTY_TRAINING_YEARS:
                for day in spread_days(rng, first, min(last, self.today), rng.randint(fewest, most)):
                    self.trainings_new.append({
                        "held_on": day, "level": "county", "division_uid": division.uid, "organiser": organiser,
                        "topic": self._topic(data.COUNTY_TRAINING_TOPICS, day, seen),
                        "attendance": rng.randint(*COUNTY_ATTENDANCE),
                        "location": rng.choice(places).format(name=division.name), "notes": ""})

    def _city_trainings(self) -> None:
        rng = self.rng
        days = [d for _year, first, last, count in CITY_TRAINING_YEARS
                for d in spread_days(rng, first, min(last, self.today), count)]
        if not days:
            return
        # The kick-off drew the most people; later sessions were held by area or by trade.
        weights = [2.5 if i == 0 else rng.uniform(0.6, 1.6) for i in range(len(days))]
        attendance = quotas(CITY_ATTENDANCE, weights)
        # The kick-off comes first and once; then what each phase of the works needed.
        kickoff, later = data.CITY_TRAINING_TOPICS[0][0], data.CITY_TRAINING_TOPICS[1:]
        seen: dict[str, int] = {}
        for i, (day, people) in enumerate(zip(days, attendance, strict=True)):
            topic = kickoff if i == 0 else self._topic(later, day, seen)
            self.trainings_new.append({
                "held_on": day, "level": "city", "division_uid": self.city.uid,
                "organiser": data.CITY_ARCHIVES_BUREAU, "topic": topic, "attendance": people,
                "location": data.CITY_TRAINING_LOCATIONS[1] if i == 0 else rng.choice(data.CITY_TRAINING_LOCATIONS),
                "notes": ""})

    def _topic(self, topics: Sequence[tuple[str, int]], day: date, seen: dict[str, int]) -> str:
        """A topic of the phase the works were in that year; one held again is numbered."""
        phases = TRAINING_PHASES.get(day.year, TRAINING_PHASES[max(TRAINING_PHASES)])
        pool = [topic for topic, phase in topics if phase in phases] or [topic for topic, _phase in topics]
        fresh = [topic for topic in pool if topic not in seen]
        topic = self.rng.choice(fresh or pool)
        seen[topic] = seen.get(topic, 0) + 1
        return topic if seen[topic] == 1 else data.TRAINING_BATCH.format(topic=topic, n=seen[topic])
