"""The registrant's own cases: where each stands, in plain English, the allegations,
the evidence disclosed to them, deadlines, and a way to respond.

Someone else's case is "not found" (404), never "forbidden", so nobody learns a
case exists. Nothing here shows who raised a concern, evidence not disclosed, or
the names of the regulator's staff.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.services import audit_record_view
from steward.cases import (
    presenters,
    presenters_examiners,
    presenters_hearings,
    presenters_outcomes,
    selectors,
    services,
)
from steward.cases.access import own_case
from steward.cases.forms import MAX_EVIDENCE_TEXT, ResponseForm, UploadedFile
from steward.cases.models import OPEN_STAGES
from steward.cases.views_staff import file_response
from steward.concerns.selectors import cited_titles
from steward.core import clock
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required

# Everyone who keeps their own register record may look for cases about them.
LIST_PERMISSION = "cases.see_own_cases"


def _mine_url(case) -> str:
    return reverse("cases:mine_detail", kwargs={"reference": case.reference})


@require_GET
@permission_required(LIST_PERMISSION)
def mine(request):
    return render(
        request,
        "cases/mine/list.jinja",
        {"rows": presenters.mine_rows(selectors.own_cases(user=request.user))},
    )


def _render_case(request, case, *, form=None, status: int = 200):
    audit_record_view(
        actor=request.user, subject=case, fields=["summary"], reason="viewed their own case"
    )
    allegations = selectors.allegations_for(case=case)
    return render(
        request,
        "cases/mine/detail.jinja",
        {
            "case": presenters.mine_case(case, stage_dates=selectors.stage_dates(case=case)),
            "allegations": presenters.allegation_views(allegations, cited_titles(allegations)),
            "evidence": presenters.mine_evidence_rows(
                selectors.evidence_for_registrant(case=case), case=case
            ),
            "deadlines": presenters.deadlines(
                selectors.hearings_for(case=case),
                selectors.appeal_deadlines_for(case=case),
                today=clock.today(),
                for_registrant=True,
            ),
            "may_respond": case.stage in OPEN_STAGES
            and request.user.has_perm("cases.respond", case),
            "form": form or ResponseForm(),
            "max_evidence": MAX_EVIDENCE_TEXT,
            "respond_url": reverse("cases:mine_respond", kwargs={"reference": case.reference}),
            "examiners": presenters_examiners.mine_section(case=case, user=request.user),
            "hearings": presenters_hearings.mine_section(case=case, user=request.user),
            "outcomes": presenters_outcomes.mine_section(case=case, user=request.user),
        },
        status=status,
    )


@require_GET
@permission_required(LIST_PERMISSION)
def mine_detail(request, reference):
    return _render_case(request, own_case(request, reference))


@require_http_methods(["POST"])
@permission_required(LIST_PERMISSION)
def mine_respond(request, reference):
    case = own_case(request, reference, perm="cases.respond")
    form, status = ResponseForm.from_request(request)
    if form.is_valid():
        sent = {}
        if form.cleaned_data.get("file"):
            upload = UploadedFile(form.cleaned_data["file"])
            sent = {
                "file_name": upload.file_name,
                "media_type": upload.media_type,
                "content": upload.content,
            }
        try:
            services.response_send(
                case=case,
                text=form.cleaned_data["text"],
                file_title=form.cleaned_data["file_title"],
                actor=request.user,
                **sent,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your response has been sent to the regulator.")
            return redirect(_mine_url(case) + "#evidence")
    return _render_case(request, case, form=form, status=status)


@require_GET
@permission_required(LIST_PERMISSION)
def mine_evidence(request, reference, number):
    case = own_case(request, reference)
    number = int(number)
    evidence = selectors.evidence_item_for_registrant(case=case, number=number)
    if evidence is None:
        raise Http404("Your case has no evidence with that number.")
    return file_response(
        request,
        evidence,
        reason=f"the registrant downloaded evidence {evidence.number} of their case",
    )
