"""What follows when a board role starts or ends, whichever way it was recorded
(the roster, a bulk import, an appointment).

A new board appointment opens its fit and proper person assessment; a board
member who leaves is owed a leaving reference by the organisation, requested or
not. Roles recorded long after the event (catching up old history) trigger
neither: the annual assessment covers old appointments, and a reference for a
long-ago departure is requested by whoever appoints the person next.
"""

import datetime as dt

from steward.core import clock
from steward.register.models import BOARD_CATEGORIES, CareerRole

# A board role that started this recently is a new appointment.
NEW_APPOINTMENT_WINDOW = dt.timedelta(days=92)
# A board role that ended this recently is a departure that needs its reference.
RECENT_DEPARTURE_WINDOW = dt.timedelta(days=366)


def board_role_started(*, role: CareerRole, actor) -> None:
    if role.category not in BOARD_CATEGORIES:
        return
    if role.start_date < clock.today() - NEW_APPOINTMENT_WINDOW:
        return
    from steward.fitness.services import assessment_open_for_appointment

    assessment_open_for_appointment(career_role=role, actor=actor)


def board_role_ended(*, role: CareerRole, actor) -> None:
    if role.category not in BOARD_CATEGORIES or role.end_date is None:
        return
    if role.end_date < clock.today() - RECENT_DEPARTURE_WINDOW:
        return
    from steward.references.services import leaving_reference_request

    leaving_reference_request(career_role=role, actor=actor)
