"""Hearings, panels and interim orders: the pages.

- The hearings list: every hearing still to be held for hearings officers, with the
  reviews falling due; for panel members, the hearings they sit on.
- Scheduling and moving a hearing (notice is served on the registrant by the service),
  forming its panel, recording that it was held: hearings officers.
- A hearing's page and its bundle: hearings officers and the members of its panel.
  Downloading from the bundle is recorded in the audit trail.
- Interim orders, made and reviewed at an interim order hearing: hearings officers and
  the members of that hearing's panel.
- The registrant's response to a hearing notice.

Who may see a hearing is decided here from the cases rules' predicates: a hearings
officer (``cases.arrange_hearings``) or a panel member sitting on it
(``cases.sit_on_panel``). Nobody works on a case about themselves.
"""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.cases import presenters_hearings as present
from steward.cases import selectors, selectors_hearings, services
from steward.cases.access import own_case, redrawn, staff_case
from steward.cases.forms import MAX_EVIDENCE_TEXT, UploadedFile
from steward.cases.forms_hearings import (
    ON_THE_PAPERS,
    ConfirmForm,
    HearingResponseForm,
    InterimOrderForm,
    InterimReviewForm,
    PanelForm,
    RescheduleForm,
    ScheduleForm,
)
from steward.cases.hearings import (
    StaleHearing,
    hearing_held,
    hearing_reschedule,
    hearing_schedule,
    registrant_response_record,
)
from steward.cases.models import (
    OPEN_STAGES,
    EvidenceParty,
    HearingKind,
    HearingStatus,
    SanctionKind,
    SanctionStatus,
)
from steward.cases.panels import panel_form
from steward.cases.presenters import allegation_views, registrant_text
from steward.cases.presenters_outcomes import mine_url
from steward.cases.sanctions import interim_order_make, interim_order_review, reviews_due
from steward.cases.views_staff import file_response
from steward.concerns.selectors import cited_titles
from steward.core import clock
from steward.core.formatting import uk_date, uk_datetime
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.presenters import pagination

PAGE_SIZE = 50
STALE_PAGE = StaleHearing().message


# --- Access -----------------------------------------------------------------------------


def _hearing(case, hearing_id):
    hearing = selectors_hearings.hearing_for_case(case=case, hearing_id=hearing_id)
    if hearing is None:
        raise Http404("The case has no hearing with that number.")
    return hearing


# Hearings officers and panel members are told whether a case or hearing exists; nobody else.
hearings_staff = permission_required("cases.see_hearings")


def hearing_access(view):
    """Hearings officers, and the members of the hearing's panel."""

    @hearings_staff
    @wraps(view)
    def wrapped(request, reference, hearing_id, **kwargs):
        case = staff_case(request, reference)
        hearing = _hearing(case, hearing_id)
        if not request.user.has_perm("cases.see_hearing", hearing):
            raise PermissionDenied
        return view(request, case, hearing, **kwargs)

    return wrapped


def interim_access(view):
    """Hearings officers, and the members of the panel at one of the case's interim
    order hearings."""

    @hearings_staff
    @wraps(view)
    def wrapped(request, reference, **kwargs):
        case = staff_case(request, reference)
        if not present.acts_on_interim_orders(case=case, user=request.user):
            raise PermissionDenied
        return view(request, case, **kwargs)

    return wrapped


def _officer_hearing(request, reference, hearing_id):
    case = staff_case(request, reference)
    return case, _hearing(case, hearing_id)


def _posted(request):
    """What was sent, even nothing at all (so an empty form shows its errors)."""
    return request.POST if request.method == "POST" else None


def _hearing_url(hearing, anchor: str = "") -> str:
    url = present.hearing_url(hearing)
    return f"{url}#{anchor}" if anchor else url


# --- The hearings list ------------------------------------------------------------------


@require_GET
@hearings_staff
def hearing_list(request):
    user = request.user
    today = clock.today()
    context = {"officer": present.may_arrange(user), "panel_member": False}
    if context["officer"]:
        page = Paginator(selectors_hearings.upcoming_hearings(user=user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            {
                "page": page,
                "rows": present.hearing_rows(page, case_links=True, today=today),
                "pagination": pagination(request, page),
                "reviews": present.review_rows(reviews_due(today=today), user=user, today=today),
                "review_days": settings.CASES_HEARING_NOTICE_DAYS,
            }
        )
    if present.is_panel_member.test(user):
        scheduled, held = selectors_hearings.sitting_hearings(user=user)
        context.update(
            {
                "panel_member": True,
                "sitting": present.hearing_rows(scheduled, case_links=False, today=today),
                "sat": present.hearing_rows(held, case_links=False, today=today),
                "held_shown": selectors_hearings.HELD_SHOWN,
            }
        )
    return render(request, "cases/hearings/list.jinja", context)


# --- Scheduling and moving a hearing ----------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("cases.arrange_hearings")
def schedule(request, reference):
    case = staff_case(request, reference)
    kinds = present.schedulable_kinds(case)
    asked = request.GET.get("kind", "")
    initial = {"kind": asked} if asked in dict(kinds) else {}
    form = ScheduleForm(_posted(request), kinds=kinds, initial=initial)
    if request.method == "POST" and kinds and form.is_valid():
        data = form.cleaned_data
        try:
            hearing = hearing_schedule(
                case=case,
                kind=data["kind"],
                starts_on=data["starts_on"],
                location=data["location"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The {hearing.get_kind_display().lower()} is scheduled for "
                f"{uk_date(hearing.starts_on)}. Notice has been served on the registrant today. "
                "Form the panel next.",
            )
            return redirect(_hearing_url(hearing))
    return render(
        request,
        "cases/hearings/schedule.jinja",
        {
            "case": case,
            "form": form,
            "kinds": kinds,
            "date_hint": present.earliest_text(),
            "back_url": present.case_url(case, "hearings"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("cases.arrange_hearings")
def reschedule(request, reference, hearing_id):
    case, hearing = _officer_hearing(request, reference, hearing_id)
    form = RescheduleForm(
        _posted(request),
        initial={
            "starts_on": hearing.starts_on,
            "location": hearing.location,
            "version": hearing.version,
        },
    )
    scheduled = hearing.status == HearingStatus.SCHEDULED
    if request.method == "POST" and scheduled and form.is_valid():
        data = form.cleaned_data
        try:
            moved = hearing_reschedule(
                hearing=hearing,
                starts_on=data["starts_on"],
                location=data["location"],
                reason=data["reason"],
                actor=request.user,
                expected_version=data["version"],
            )
        except StaleHearing:
            hearing.refresh_from_db()
            form = redrawn(
                RescheduleForm, request.POST, version=hearing.version, message=STALE_PAGE
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The hearing has moved to {uk_date(moved.starts_on)}. Fresh notice has been "
                "served on the registrant today, and the panel has been told.",
            )
            return redirect(present.case_url(case, "hearings"))
    return render(
        request,
        "cases/hearings/reschedule.jinja",
        {
            "case": case,
            "hearing": hearing,
            "title": present.hearing_page_title(hearing),
            "scheduled": scheduled,
            "form": form,
            "date_hint": present.earliest_text(),
            "back_url": _hearing_url(hearing),
        },
    )


# --- One hearing ------------------------------------------------------------------------


@require_GET
@hearing_access
def hearing_detail(request, case, hearing):
    today = clock.today()
    user = request.user
    audit_record_view(
        actor=user,
        subject=hearing,
        fields=["allegations", "registrant_response"],
        reason=f"viewed the {hearing.get_kind_display().lower()} on case {case.reference}",
    )
    allegations = selectors.allegations_for(case=case)
    page = present.hearing_page(
        hearing,
        user=user,
        seats=selectors_hearings.seats_for(hearing),
        bundle=selectors.evidence_for_registrant(case=case),
        orders=selectors_hearings.interim_orders(case=case),
        today=today,
    )
    return render(
        request,
        "cases/hearings/detail.jinja",
        {
            "page": page,
            "allegations": allegation_views(allegations, cited_titles(allegations)),
            "back_url": page.case_href or reverse("cases:hearings"),
            "back_text": "Back to the case" if page.case_href else "Back to your hearings",
        },
    )


@require_GET
@hearing_access
def bundle_download(request, case, hearing, number):
    """A file from the hearing bundle: what the registrant has seen or given."""
    evidence = selectors.evidence_item_for_registrant(case=case, number=int(number))
    if evidence is None:
        raise Http404("The hearing bundle has no evidence with that number.")
    return file_response(
        request,
        evidence,
        reason=(
            f"downloaded evidence {evidence.number} of case {case.reference} from the bundle "
            f"for the {hearing.get_kind_display().lower()} on {uk_date(hearing.starts_on)}"
        ),
    )


# --- Forming the panel ------------------------------------------------------------------


def _panel_errors(form, error: ValidationError) -> None:
    """The service's refusals against the question they are about: the chair's, or the
    members'."""
    if hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    for message in error.messages:
        form.add_error("chair" if "chair" in message.lower() else "members", message)


@require_http_methods(["GET", "POST"])
@permission_required("cases.arrange_hearings")
def panel(request, reference, hearing_id):
    case, hearing = _officer_hearing(request, reference, hearing_id)
    candidates = present.panel_candidates(case=case)
    people = [(str(c.user.pk), present.person_name(c.user)) for c in candidates]
    seats = selectors_hearings.seats_for(hearing)
    initial = {
        "members": [str(seat.member_id) for seat in seats],
        "chair": next((str(seat.member_id) for seat in seats if seat.is_chair), None),
        "version": hearing.version,
    }
    form = PanelForm(_posted(request), people=people, initial=initial)
    scheduled = hearing.status == HearingStatus.SCHEDULED
    if request.method == "POST" and scheduled and form.is_valid():
        data = form.cleaned_data
        by_pk = {c.user.pk: c.user for c in candidates}
        if data["version"] != hearing.version:
            form = redrawn(
                PanelForm, request.POST, version=hearing.version, message=STALE_PAGE, people=people
            )
        else:
            try:
                panel_form(
                    hearing=hearing,
                    members=[by_pk[pk] for pk in data["members"]],
                    chair=by_pk[data["chair"]],
                    actor=request.user,
                    expected_version=data["version"],
                )
            except StaleHearing:
                hearing.refresh_from_db()
                form = redrawn(
                    PanelForm,
                    request.POST,
                    version=hearing.version,
                    message=STALE_PAGE,
                    people=people,
                )
            except ValidationError as error:
                _panel_errors(form, error)
            else:
                messages.success(
                    request,
                    "The panel is formed. Its members have been told, and the registrant "
                    "can see who is on it.",
                )
                return redirect(_hearing_url(hearing, "panel"))
    return render(
        request,
        "cases/hearings/panel.jinja",
        {
            "case": case,
            "hearing": hearing,
            "title": present.hearing_page_title(hearing),
            "scheduled": scheduled,
            "form": form,
            "fields": present.panel_fields(form, candidates),
            "candidates": candidates,
            "back_url": _hearing_url(hearing, "panel"),
        },
    )


# --- Recording that a hearing was held --------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("cases.arrange_hearings")
def held(request, reference, hearing_id):
    case, hearing = _officer_hearing(request, reference, hearing_id)
    form = ConfirmForm(_posted(request), initial={"version": hearing.version})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != hearing.version:
            form = redrawn(ConfirmForm, request.POST, version=hearing.version, message=STALE_PAGE)
        else:
            try:
                done = hearing_held(hearing=hearing, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                text = f"The {done.get_kind_display().lower()} is recorded as held."
                if done.kind in (HearingKind.SUBSTANTIVE, HearingKind.REVIEW):
                    text += " The panel can now record its decision."
                messages.success(request, text)
                return redirect(present.case_url(case, "hearings"))
    return render(
        request,
        "cases/hearings/held.jinja",
        {
            "case": case,
            "hearing": hearing,
            "title": present.hearing_page_title(hearing),
            "form": form,
            "scheduled": hearing.status == HearingStatus.SCHEDULED,
            "back_url": _hearing_url(hearing),
        },
    )


# --- Interim orders ---------------------------------------------------------------------


def _interim_done_url(request, case, hearing) -> str:
    """Hearings officers go back to the case; panel members to the hearing."""
    if present.may_arrange(request.user) or hearing is None:
        return present.case_url(case, "interim-orders")
    return _hearing_url(hearing, "interim-orders")


def _register_effect(kind: str) -> str:
    if kind == SanctionKind.SUSPENSION:
        return "The register shows the registrant as suspended"
    return "The register shows the registrant as registered with conditions"


@require_http_methods(["GET", "POST"])
@interim_access
def interim_make(request, case):
    hearings = present.interim_hearings(case=case, user=request.user, started=True)
    choices = [present.hearing_choice(hearing) for hearing in hearings]
    by_pk = {hearing.pk: hearing for hearing in hearings}
    asked = request.GET.get("hearing", "")
    initial = {"hearing": asked if asked in dict(choices) else None}
    if len(choices) == 1:
        initial["hearing"] = choices[0][0]
    form = InterimOrderForm(_posted(request), hearings=choices, initial=initial)
    in_force = selectors_hearings.order_in_force(case=case)
    is_open = case.stage in OPEN_STAGES
    may_make = bool(choices) and is_open and in_force is None
    if request.method == "POST" and may_make and form.is_valid():
        data = form.cleaned_data
        hearing = by_pk[data["hearing"]]
        try:
            order = interim_order_make(
                case=case,
                kind=data["kind"],
                months=data["months"],
                conditions=data["conditions"],
                hearing=hearing,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The {present.order_kind_text(order).lower()} is in force until "
                f"{uk_date(order.ends_on)}, to be reviewed by {uk_date(order.review_by)}. "
                f"{_register_effect(order.kind)}, and their employers have been told.",
            )
            return redirect(_interim_done_url(request, case, hearing))
    back_hearing = by_pk.get(int(initial["hearing"])) if initial.get("hearing") else None
    return render(
        request,
        "cases/hearings/interim_make.jinja",
        {
            "case": case,
            "form": form,
            "may_make": may_make,
            "is_open": is_open,
            "in_force": in_force,
            "has_hearing": bool(choices),
            "registrant": registrant_text(case),
            "back_url": _interim_done_url(
                request, case, back_hearing or (hearings[0] if hearings else None)
            ),
            "review_url": reverse(
                "cases:interim_order_review",
                kwargs={"reference": case.reference, "order_id": in_force.pk},
            )
            if in_force
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
@interim_access
def interim_review(request, case, order_id):
    order = selectors_hearings.interim_order_for_case(case=case, order_id=order_id)
    if order is None:
        raise Http404("The case has no interim order with that number.")
    hearings = present.interim_hearings(case=case, user=request.user, started=True)
    choices = [present.hearing_choice(hearing) for hearing in hearings]
    if present.may_arrange(request.user):
        choices.append((ON_THE_PAPERS, "Not at a hearing: a review on the papers"))
    by_pk = {hearing.pk: hearing for hearing in hearings}
    initial = {"kind": order.kind, "conditions": order.conditions}
    if len(choices) == 1:
        initial["hearing"] = choices[0][0]
    form = InterimReviewForm(_posted(request), hearings=choices, initial=initial)
    in_force = order.status == SanctionStatus.IN_FORCE
    if request.method == "POST" and in_force and choices and form.is_valid():
        data = form.cleaned_data
        hearing = by_pk.get(data["hearing"]) if data["hearing"] else None
        varying = data["outcome"] == "vary"
        try:
            result = interim_order_review(
                sanction=order,
                outcome=data["outcome"],
                reasons=data["reasons"],
                actor=request.user,
                hearing=hearing,
                kind=(data["kind"] or None) if varying else None,
                conditions=data["conditions"] if varying else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _review_message(data["outcome"], result))
            return redirect(_interim_done_url(request, case, hearing or next(iter(hearings), None)))
    return render(
        request,
        "cases/hearings/interim_review.jinja",
        {
            "case": case,
            "order": present.order_rows([order], case=case, may_review=False)[0],
            "in_force": in_force,
            "has_hearing": bool(choices),
            "form": form,
            "registrant": registrant_text(case),
            "back_url": _interim_done_url(request, case, next(iter(hearings), None)),
        },
    )


def _review_message(outcome: str, result) -> str:
    if outcome == "continue":
        return (
            f"The interim order continues until {uk_date(result.ends_on)}. The next review is "
            f"due by {uk_date(result.review_by)}."
        )
    if outcome == "vary":
        return (
            f"The interim order is varied: it is now {present.order_kind_text(result).lower()} "
            f"until {uk_date(result.ends_on)}. {_register_effect(result.kind)}, and their "
            "employers have been told."
        )
    return "The interim order is revoked. The registrant's employers have been told."


# --- The registrant's response ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("cases.see_own_cases")
def mine_respond(request, reference, hearing_id):
    case = own_case(request, reference, perm="cases.respond")
    hearing = selectors_hearings.hearing_for_case(case=case, hearing_id=hearing_id)
    if hearing is None or hearing.status == HearingStatus.CANCELLED:
        raise Http404("Your case has no hearing with that number.")
    today = clock.today()
    may_respond = present.may_respond(hearing, today=today)
    status = 200
    form = HearingResponseForm(initial={"response": hearing.registrant_response})
    if request.method == "POST":
        form, status = HearingResponseForm.from_request(request)
        if may_respond and form.is_valid() and _record_response(request, case, hearing, form):
            messages.success(
                request,
                "Your response has been sent. The panel will read it before the hearing.",
            )
            return redirect(mine_url(case, "hearings"))
    return render(
        request,
        "cases/hearings/respond.jinja",
        {
            "case": case,
            "hearing": hearing,
            "kind": hearing.get_kind_display(),
            "explanation": present.KIND_FOR_REGISTRANT[HearingKind(hearing.kind)],
            "panel": present.seat_views(selectors_hearings.seats_for(hearing)),
            "may_respond": may_respond,
            "responded_at": uk_datetime(hearing.registrant_responded_at),
            "respond_by": uk_date(hearing.starts_on - dt.timedelta(days=1)),
            "form": form,
            "max_evidence": MAX_EVIDENCE_TEXT,
            "back_url": mine_url(case, "hearings"),
        },
        status=status,
    )


def _record_response(request, case, hearing, form) -> bool:
    """The written response and, with it, any file (added to the case's evidence as
    the registrant's): both or neither."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if data.get("file"):
                upload = UploadedFile(data["file"])
                services.evidence_add(
                    case=case,
                    title=data["file_title"]
                    or "File sent with the response to the hearing on "
                    f"{uk_date(hearing.starts_on)}",
                    file_name=upload.file_name,
                    media_type=upload.media_type,
                    content=upload.content,
                    actor=request.user,
                    submitted_by=EvidenceParty.REGISTRANT,
                )
            registrant_response_record(
                hearing=hearing, response=data["response"], actor=request.user
            )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True
