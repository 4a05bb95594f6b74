"""Six-year coverage: which organisations a prospective employer asks for references.

NHS England's framework asks for a reference from every employer of the past
six years. An employer that has since closed is asked through the organisation
that holds its records now (its successor), shown as "formerly ...". The
appointing organisation never asks itself.
"""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from steward.organisations.models import Organisation, Succession, SuccessionKind
from steward.register.models import CareerRole

LOOK_BACK_YEARS = 6
# Successions never chain far: a trust merged twice is already rare.
MAX_SUCCESSION_HOPS = 5
# Where a closed organisation was split, its records go with a merger or a
# replacement before a part transfer.
SUCCESSION_PREFERENCE = {
    SuccessionKind.MERGER: 0,
    SuccessionKind.REPLACEMENT: 1,
    SuccessionKind.PART_TRANSFER: 2,
}


@dataclass
class EmployerToAsk:
    """One organisation to ask, the employers it answers for and the employment covered."""

    organisation: Organisation
    # The person's employers it answers for (itself, or the closed ones it succeeded).
    employers: list[Organisation] = field(default_factory=list)
    period_start: dt.date | None = None
    last_end: dt.date | None = None
    # True while a role there has no end date.
    ongoing: bool = False
    role_titles: list[str] = field(default_factory=list)

    @property
    def period_end(self) -> dt.date | None:
        """The last day covered; None while a role there continues."""
        return None if self.ongoing else self.last_end

    @property
    def formerly(self) -> list[Organisation]:
        """Closed employers this organisation is asked for in their place."""
        return [org for org in self.employers if org.pk != self.organisation.pk]

    def cover(self, role: CareerRole) -> None:
        if all(org.pk != role.organisation_id for org in self.employers):
            self.employers.append(role.organisation)
        if self.period_start is None or role.start_date < self.period_start:
            self.period_start = role.start_date
        if role.end_date is None:
            self.ongoing = True
        elif self.last_end is None or role.end_date > self.last_end:
            self.last_end = role.end_date
        if role.title not in self.role_titles:
            self.role_titles.append(role.title)


def look_back_start(on: dt.date) -> dt.date:
    """The first day of the six years looked back from ``on``."""
    return on - relativedelta(years=LOOK_BACK_YEARS)


def roles_in_window(roles, *, start: dt.date, end: dt.date) -> list[CareerRole]:
    """Roles that overlap the days from ``start`` up to (not including) ``end``."""
    return [
        role
        for role in roles
        if role.start_date < end and (role.end_date is None or role.end_date >= start)
    ]


def _rank(succession: Succession) -> tuple:
    """Which successor of a split organisation holds its records: lowest first."""
    return (
        SUCCESSION_PREFERENCE.get(succession.kind, 9),
        succession.effective_on,
        succession.successor.name,
    )


def successors_of(organisations, *, on: dt.date) -> dict[int, Organisation]:
    """For each closed organisation, the open one that holds its records now.

    Follows successions (a merger, then a merger of the merged trust) a bounded
    number of steps: one query a step, whatever the number of organisations.
    An organisation still open on ``on``, or closed with no successor recorded,
    is not in the answer.
    """
    closed = {
        org.pk: org for org in organisations if org.closed_on is not None and org.closed_on < on
    }
    found: dict[int, Organisation] = {}
    current = {pk: pk for pk in closed}  # original pk -> pk reached so far
    for _ in range(MAX_SUCCESSION_HOPS):
        if not current:
            break
        steps: dict[int, Succession] = {}
        for succession in Succession.objects.filter(
            predecessor_id__in=set(current.values())
        ).select_related("successor"):
            best = steps.get(succession.predecessor_id)
            if best is None or _rank(succession) < _rank(best):
                steps[succession.predecessor_id] = succession
        following = {}
        for original, reached in current.items():
            step = steps.get(reached)
            if step is None:
                continue
            successor = step.successor
            found[original] = successor
            if successor.closed_on is not None and successor.closed_on < on:
                following[original] = successor.pk
        current = following
    return found


def employers_to_ask(
    *,
    registrant,
    on: dt.date,
    appointing_organisation: Organisation | None = None,
    roles: list[CareerRole] | None = None,
    successors: dict[int, Organisation] | None = None,
) -> list[EmployerToAsk]:
    """Every organisation to ask for a reference about ``registrant``, as of ``on``.

    Each organisation where the person held any role overlapping the six years
    before ``on``, other than the appointing organisation; a closed employer is
    replaced by its successor. ``roles`` and ``successors`` may be passed in by
    a caller that loaded them for many people at once. Ordered by the most
    recent employment first.
    """
    start = look_back_start(on)
    if roles is None:
        roles = list(
            CareerRole.objects.filter(registrant=registrant)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lt=on)
            .select_related("organisation")
        )
    window = roles_in_window(roles, start=start, end=on)
    if successors is None:
        successors = successors_of({role.organisation for role in window}, on=on)
    appointing_pk = appointing_organisation.pk if appointing_organisation is not None else None
    asks: dict[int, EmployerToAsk] = {}
    for role in sorted(window, key=lambda r: (r.start_date, r.pk or 0)):
        if role.organisation_id == appointing_pk:
            continue
        ask_org = successors.get(role.organisation_id, role.organisation)
        if ask_org.pk == appointing_pk:
            # The appointing organisation already holds the closed employer's records.
            continue
        ask = asks.setdefault(ask_org.pk, EmployerToAsk(organisation=ask_org))
        ask.cover(role)
    return sorted(
        asks.values(),
        key=lambda a: (
            a.period_end is not None,
            -(a.period_end or on).toordinal(),
            a.organisation.name,
        ),
    )
