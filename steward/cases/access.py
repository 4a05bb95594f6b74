"""What every case page does first: load the case it is about, for one of its two
audiences, and redraw a form someone else's change made stale.

- The regulator's staff: a case by its reference (404 when there is none), never a
  case about the person themselves (403).
- The registrant: one of their own cases, and "not found" (404) for anyone else's,
  so nobody learns a case exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from steward.cases import selectors


def staff_case(request, reference: str):
    """The case, for staff who may work on it: never a case about themselves."""
    case = selectors.case_for_staff(reference=reference)
    if case is None:
        raise Http404("No case has that reference.")
    if case.registrant.user_id is not None and case.registrant.user_id == request.user.pk:
        raise PermissionDenied
    return case


def own_case(request, reference: str, *, perm: str = "cases.see_own_case"):
    """The signed-in person's case, or 404 for any other (or no) case; ``perm`` is
    what they do with it (``cases.respond`` to answer, upload or appeal)."""
    case = selectors.own_case(user=request.user, reference=reference)
    if case is None or not request.user.has_perm(perm, case):
        raise Http404("You have no case with that reference.")
    return case


def redrawn(form_class, data, *, version: int, message: str, **kwargs):
    """The form as the person filled it in, drawn from the record's current
    ``version`` and showing ``message``, so they can check the latest and send it
    again."""
    fresh = data.copy()
    fresh["version"] = str(version)
    form = form_class(fresh, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form


def with_error(form, message: str, *, field: str | None = None):
    """An unbound form (drawn from its initial values) showing ``message``: against
    ``field``, or in the error summary."""
    form.full_clean()  # an unbound form: no errors, nothing cleaned
    form.cleaned_data = {}
    form.add_error(field, message)
    return form
