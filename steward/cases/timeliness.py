"""How long cases take: the regulator's management view of timeliness.

Worked out from the stage changes alone, so it needs no extra bookkeeping: a
stay in a stage runs from the move into it to the move out of it, counted in
calendar days (Europe/London). Only completed stays count (a case still at a
stage has not finished its stay), and time spent closed is not a stay.

The median is the middle stay (the mean of the two middle ones for an even
number); the 90th percentile is interpolated between the two nearest stays
(the "inclusive" method, as spreadsheets' PERCENTILE.INC), so 9 in 10 stays
were that long or shorter.
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from steward.cases.models import OPEN_STAGES, Case, Stage, StageChange
from steward.core import clock

# The stages a case passes through, in order: the rows of the view.
TIMED_STAGES = tuple(stage for stage in Stage if stage != Stage.CLOSED)
AGE_THRESHOLDS_MONTHS = (12, 24)
ONE_PLACE = Decimal("0.1")
CHUNK = 2000


@dataclass(frozen=True)
class StageTimes:
    stage: str
    label: str
    stays: int  # completed stays
    median_days: Decimal | None
    p90_days: Decimal | None
    open_now: int


@dataclass(frozen=True)
class Timeliness:
    today: dt.date
    stages: list[StageTimes]
    open_cases: int
    over_12_months: int
    over_24_months: int

    @property
    def under_12_months(self) -> int:
        return self.open_cases - self.over_12_months

    @property
    def between_12_and_24_months(self) -> int:
        return self.over_12_months - self.over_24_months


def _to_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        ONE_PLACE, rounding=ROUND_HALF_UP
    )


def median_days(days: list[int]) -> Decimal | None:
    if not days:
        return None
    return _to_decimal(Fraction(statistics.median(Fraction(d) for d in days)))


def p90_days(days: list[int]) -> Decimal | None:
    if not days:
        return None
    if len(days) == 1:
        return _to_decimal(Fraction(days[0]))
    cuts = statistics.quantiles([Fraction(d) for d in days], n=10, method="inclusive")
    return _to_decimal(Fraction(cuts[8]))


def completed_stays(*, rows) -> dict[str, list[int]]:
    """{stage: [days of each completed stay]} from (case id, stage entered, when)
    rows sorted by case and time."""
    stays: dict[str, list[int]] = defaultdict(list)
    previous_case, previous_stage, previous_day = None, None, None
    for case_id, stage, at in rows:
        day = clock.localdate(at)
        if case_id == previous_case and previous_stage != Stage.CLOSED:
            stays[previous_stage].append((day - previous_day).days)
        previous_case, previous_stage, previous_day = case_id, stage, day
    return stays


def _months_before(today: dt.date, months: int) -> dt.date:
    return today - relativedelta(months=months)


def case_timeliness(*, today: dt.date | None = None) -> Timeliness:
    """Median and 90th percentile days per stage, and open cases by age, in two
    queries whatever the number of cases."""
    today = today or clock.today()
    rows = (
        StageChange.objects.order_by("case_id", "at", "pk")
        .values_list("case_id", "to_stage", "at")
        .iterator(chunk_size=CHUNK)
    )
    stays = completed_stays(rows=rows)
    is_open = Q(stage__in=OPEN_STAGES)
    counts = Case.objects.aggregate(
        open=Count("pk", filter=is_open),
        over_12=Count(
            "pk", filter=is_open & Q(opened_on__lt=_months_before(today, AGE_THRESHOLDS_MONTHS[0]))
        ),
        over_24=Count(
            "pk", filter=is_open & Q(opened_on__lt=_months_before(today, AGE_THRESHOLDS_MONTHS[1]))
        ),
        **{f"at_{stage.value}": Count("pk", filter=Q(stage=stage)) for stage in TIMED_STAGES},
    )
    return Timeliness(
        today=today,
        stages=[
            StageTimes(
                stage=stage.value,
                label=stage.label,
                stays=len(stays.get(stage.value, [])),
                median_days=median_days(stays.get(stage.value, [])),
                p90_days=p90_days(stays.get(stage.value, [])),
                open_now=counts[f"at_{stage.value}"],
            )
            for stage in TIMED_STAGES
        ],
        open_cases=counts["open"],
        over_12_months=counts["over_12"],
        over_24_months=counts["over_24"],
    )
