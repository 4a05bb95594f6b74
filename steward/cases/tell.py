"""Who is told about a case, and how: the registrant, and the regulator's staff
working on it. In Steward and by email; never with restricted details in the text
(the link goes to a page that checks who may see the case)."""

from django.urls import NoReverseMatch, reverse

from steward.cases.models import Case
from steward.notifications.services import notify, notify_address

TOPIC = "cases"


def case_url(case: Case, *, mine: bool = False) -> str:
    """The case's page: the registrant's own (``mine``) or the regulator's. Empty while
    the pages are not there, so a decision never fails for want of a link."""
    try:
        return reverse(
            "cases:mine_detail" if mine else "cases:detail", kwargs={"reference": case.reference}
        )
    except NoReverseMatch:
        return ""


def notify_registrant(*, case: Case, subject: str, body: str) -> None:
    """Tell the registrant in Steward and by email, or by email to the address on their
    register record when they have no account."""
    registrant = case.registrant
    url = case_url(case, mine=True)
    if registrant.user_id is not None and registrant.user.is_active:
        notify(users=[registrant.user], subject=subject, body=body, url=url, topic=TOPIC)
    elif registrant.email:
        notify_address(email=registrant.email, subject=subject, body=body, url=url)


def notify_staff(*, case: Case, users, subject: str, body: str) -> None:
    """Tell the regulator's staff named (nobody for None), with a link to the case."""
    notify(users=users, subject=subject, body=body, url=case_url(case), topic=TOPIC)
