"""Pages for who raised a concern, requests to reveal it, and detriment reviews.

Pages showing a reporter's identity are answers to a POST, never stored by the
browser (``Cache-Control: no-store``), and each showing is in the audit trail.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.concerns import detriment, reveal
from steward.concerns.forms_custody import (
    DetrimentReviewForm,
    RevealDecisionForm,
    RevealRequestForm,
)
from steward.concerns.models import Anonymity, Concern, DetrimentFlag, IdentityReveal, RevealStatus
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.organisations.presenters import pagination

PAGE_SIZE = 50


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _posted(request):
    """The form data when posted (even an empty form), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _concern(reference: str) -> Concern:
    return get_object_or_404(Concern.objects.select_related("reporter_user"), reference=reference)


def concerns_team_or_custodian(view):
    """The concerns team (who ask for reveals) and custodians (who decide them)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not (
            user.has_perm("concerns.request_reveal") or user.has_perm("concerns.decide_reveal")
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- Identity inside the team -----------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("concerns.read_identity")
def identity_show(request, reference):
    concern = _concern(reference)
    identity, problem = None, None
    if concern.anonymity == Anonymity.ANONYMOUS:
        problem = reveal.ANONYMOUS_HAS_NO_IDENTITY
    elif request.method == "POST":
        try:
            identity = reveal.reporter_identity_read(concern=concern, actor=request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
    return _no_store(
        render(
            request,
            "concerns/custody/identity.jinja",
            {
                "concern": concern,
                "identity": identity,
                "problem": problem,
                "back_url": reveal.concern_url(concern),
                "anonymity_text": reveal.ANONYMITY_TEXT[Anonymity(concern.anonymity)],
            },
        )
    )


# --- Reveal requests ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("concerns.request_reveal")
def reveal_request_page(request, reference):
    concern = _concern(reference)
    refusal = reveal.reveal_refusal(concern)
    form = None if refusal else RevealRequestForm(_posted(request))
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = reveal.reveal_request(
                concern=concern,
                recipient=data["recipient"],
                reason=data["reason"],
                reporter_consented=data["reporter_consented"] == "yes",
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your request was sent to the custodians. You will be told when one decides.",
            )
            return redirect("concerns:reveal", pk=made.pk)
    return render(
        request,
        "concerns/custody/reveal_request.jinja",
        {
            "concern": concern,
            "form": form,
            "refusal": refusal,
            "back_url": reveal.concern_url(concern),
        },
    )


@require_GET
@permission_required("concerns.decide_reveal")
def reveal_list(request):
    waiting, decided = reveal.reveals_for_custodian()
    page = Paginator(decided, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "concerns/custody/reveals.jinja",
        {
            "waiting": [reveal.reveal_view(r) for r in waiting],
            "decided": [reveal.reveal_view(r) for r in page.object_list],
            "page": page,
            "pagination": pagination(request, page),
        },
    )


@require_http_methods(["GET", "POST"])
@concerns_team_or_custodian
def reveal_detail(request, pk):
    item = get_object_or_404(
        IdentityReveal.objects.select_related("concern", "requested_by", "decided_by"), pk=pk
    )
    user = request.user
    is_custodian = user.has_perm("concerns.decide_reveal", item)
    asked_it = item.requested_by_id == user.pk
    may_decide = is_custodian and not asked_it and item.status == RevealStatus.REQUESTED
    form = RevealDecisionForm(_posted(request)) if may_decide else None
    if request.method == "POST":
        if form is None:
            if is_custodian and asked_it:
                messages.error(
                    request,
                    "You asked for this identity to be revealed, so you cannot decide the "
                    "request. Another custodian must approve or refuse it.",
                )
                return redirect("concerns:reveal", pk=item.pk)
            if not is_custodian:
                raise PermissionDenied
            messages.error(request, "This request has already been decided.")
            return redirect("concerns:reveal", pk=item.pk)
        if form.is_valid():
            try:
                decided = reveal.reveal_decide(
                    reveal=item,
                    approve=form.cleaned_data["decision"] == "approve",
                    decision_reason=form.cleaned_data["decision_reason"],
                    actor=user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"You {decided.get_status_display().lower()} the request. "
                    "The person who asked has been told.",
                )
                return redirect("concerns:reveals")
    return render(
        request,
        "concerns/custody/reveal.jinja",
        {
            "item": reveal.reveal_view(item),
            "reveal": item,
            "form": form,
            "is_custodian": is_custodian,
            "asked_it": asked_it,
            "may_disclose": asked_it
            and item.status == RevealStatus.APPROVED
            and item.disclosed_at is None
            and user.has_perm("concerns.request_reveal", item.concern),
            "concern_url": reveal.concern_url(item.concern)
            if user.has_perm("concerns.read_concern", item.concern)
            else "",
            "back_url": reverse("concerns:reveals") if is_custodian else "",
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("concerns.request_reveal")
def reveal_disclose_page(request, pk):
    item = get_object_or_404(IdentityReveal.objects.select_related("concern"), pk=pk)
    if request.method == "GET":
        return redirect("concerns:reveal", pk=item.pk)
    try:
        identity = reveal.reveal_disclose(reveal=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("concerns:reveal", pk=item.pk)
    return _no_store(
        render(
            request,
            "concerns/custody/disclosed.jinja",
            {"reveal": item, "identity": identity, "concern": item.concern},
        )
    )


# --- Detriment ----------------------------------------------------------------------


@require_GET
@permission_required("concerns.review_detriment")
def detriment_list(request):
    page = Paginator(detriment.detriment_flags(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "concerns/custody/detriment_list.jinja",
        {"page": page, "pagination": pagination(request, page)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("concerns.review_detriment")
def detriment_review(request, pk):
    try:
        flag = detriment.detriment_flag_get(pk=pk)
    except DetrimentFlag.DoesNotExist as exc:
        raise Http404("No detriment flag has that number.") from exc
    form = DetrimentReviewForm(_posted(request)) if flag.reviewed_at is None else None
    if request.method == "POST" and form is None:
        messages.error(request, "This flag has already been reviewed. Nothing was changed.")
        return redirect("concerns:detriment_review", pk=flag.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            detriment.detriment_flag_review(
                flag=flag, note=form.cleaned_data["note"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your review of the flag on {flag.concern} was saved.")
            return redirect("concerns:detriment")
    action = detriment.detriment_flag_open(flag=flag, actor=request.user)
    return render(
        request,
        "concerns/custody/detriment_review.jinja",
        {
            "flag": flag,
            "action": action,
            "form": form,
            "concern_url": reveal.concern_url(flag.concern),
        },
    )
