"""The fitness-to-practise cases API for regulator staff and for registrants.

Staff (the permissions of the case pages): the case list, a case with everything
decided on it, opening a case, adding allegations, moving a case, recording the
case examiners' decision and scheduling a hearing. Nobody reads or works on a case
about themselves: it is "not found", like an unknown reference.

The registrant: their own cases, each with what their own case page shows, and a
way to respond. Someone else's case is "not found" too, never "forbidden".

Every change goes through the case services, which check the rules and record the
audit events; a refusal comes back with the service's message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from steward.accounts.api_auth import bearer_or_session, request_user
from steward.accounts.models import User
from steward.audit.services import audit_record_view
from steward.cases import presenters, selectors, services
from steward.cases.api_schemas import (
    FILTER_NAMES,
    CaseAllegationIn,
    CaseAllegationOut,
    CaseExaminerDecidedOut,
    CaseExaminerDecisionIn,
    CaseHearingIn,
    CaseHearingOut,
    CaseListItemOut,
    CaseMineOut,
    CaseMinePageOut,
    CaseMovedOut,
    CaseMoveIn,
    CaseOpenIn,
    CaseOut,
    CasePageOut,
    CaseResponseSentOut,
)
from steward.cases.examiners import examiner_decide
from steward.cases.forms import (
    MAX_EVIDENCE_TEXT,
    EmployerCaseForm,
    OpenCaseForm,
    OwnMotionCaseForm,
    file_problem,
    request_too_large,
)
from steward.cases.forms import (
    UploadedFile as EvidenceFile,
)
from steward.cases.hearings import hearing_schedule
from steward.cases.models import (
    OPEN_STAGES,
    Appeal,
    Case,
    CaseSource,
    Determination,
    ExaminerDecision,
    Hearing,
    PanelSeat,
    Sanction,
    Stage,
)
from steward.cases.stages import hand_moves_from, stage_move
from steward.concerns.selectors import cited_titles
from steward.core import clock
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut, ProblemOut, problem

router = Router(tags=["cases"])

PAGE_SIZE = 50
API = "/api/v1/cases"
NOT_FOUND = "No case has that reference."
NOT_YOURS = "You have no case with that reference."
CASE_STAFF_ONLY = "Only the regulator's case staff see cases."
REGISTRANTS_ONLY = "Only people on the register see cases about them."
REFUSED = {
    "cases.open_case": "Only caseworkers open fitness-to-practise cases.",
    "cases.build_case": "Only caseworkers add allegations.",
    "cases.move_case": "Only caseworkers move cases.",
    "cases.decide_as_examiner": "Only case examiners decide cases.",
    "cases.arrange_hearings": "Only hearings officers arrange hearings.",
}

READ_ERRORS = {404: ErrorOut, **AUTH_ERRORS}
WRITE_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ProblemOut, **AUTH_ERRORS}


# --- Reads this API needs beside the shared selectors ---------------------------------


def _hearings(case: Case, *, for_registrant: bool) -> list[Hearing]:
    """The case's hearings with their panels; for the registrant, the ones their page
    shows (never a cancelled one)."""
    if for_registrant:
        hearings = selectors.hearings_for(case=case)
    else:
        hearings = list(Hearing.objects.filter(case=case).order_by("starts_on", "pk"))
    seats = PanelSeat.objects.select_related("member").order_by("-is_chair", "pk")
    prefetch_related_objects(hearings, Prefetch("panel", queryset=seats))
    return hearings


def _examiner_decisions(case: Case) -> list[ExaminerDecision]:
    return list(
        ExaminerDecision.objects.filter(case=case)
        .select_related("lay_examiner", "manager_examiner")
        .order_by("decided_at", "pk")
    )


# --- Shaping --------------------------------------------------------------------------


def _person(user) -> dict | None:
    return {"id": user.pk, "name": presenters.person_name(user)} if user else None


def _organisation(organisation) -> dict | None:
    if organisation is None:
        return None
    return {"ods_code": organisation.ods_code, "name": organisation.name}


def _stage(case: Case) -> dict:
    return {
        "reference": case.reference,
        "stage": case.stage,
        "stage_label": Stage(case.stage).label,
    }


def _item(case: Case) -> dict:
    registrant = case.registrant
    return {
        **_stage(case),
        "url": f"{API}/{case.reference}",
        "registrant": {
            "registration_number": registrant.registration_number,
            "name": registrant.display_name,
        },
        "source": case.source,
        "source_label": CaseSource(case.source).label,
        "stage_since": case.stage_since,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "caseworker": _person(case.caseworker),
        "version": case.version,
    }


def _came_from(case: Case) -> dict:
    concern = case.concern_decision.concern if case.concern_decision_id else None
    referral = case.not_fit_referral if case.not_fit_referral_id else None
    return {
        "concern_reference": concern.reference if concern else None,
        "not_fit_referral_reference": referral.reference if referral else None,
        "not_fit_organisation": _organisation(referral.assessment.organisation)
        if referral
        else None,
        "referring_organisation": _organisation(case.referring_organisation),
    }


def _allegations(case: Case) -> list[dict]:
    allegations = selectors.allegations_for(case=case)
    titles = cited_titles(allegations)
    return [_allegation(allegation, titles) for allegation in allegations]


def _allegation(allegation, titles: dict) -> dict:
    version = allegation.standards_version
    return {
        "number": allegation.number,
        "text": allegation.text,
        "conduct_on": allegation.conduct_on,
        "standards_version": version.number,
        "standards_in_force_from": version.effective_from,
        "cited": [
            {"ref": ref, "title": titles.get((allegation.standards_version_id, ref), "")}
            for ref in allegation.cited_refs or []
        ],
        "withdrawn": allegation.withdrawn,
    }


def _evidence_shown(item) -> dict:
    """What the regulator and the registrant both see of a file: never its content."""
    return {
        "number": item.number,
        "title": item.title,
        "file_name": item.file_name,
        "media_type": item.media_type,
        "size": item.size,
        "sha256": item.sha256,
        "submitted_by": item.submitted_by,
    }


def _evidence(item) -> dict:
    return {
        **_evidence_shown(item),
        "disclosed": item.disclosed,
        "added_at": item.added_at,
        "added_by": _person(item.added_by),
    }


def _change(change) -> dict:
    return {
        "from_stage": change.from_stage or None,
        "to_stage": change.to_stage,
        "at": change.at,
        "by": change.actor_label,
        "reason": change.reason,
    }


def _panel(hearing: Hearing) -> list[dict]:
    return [
        {
            "name": presenters.person_name(seat.member),
            "category": seat.category,
            "is_chair": seat.is_chair,
        }
        for seat in hearing.panel.all()
    ]


def _hearing_shown(hearing: Hearing) -> dict:
    """What the regulator and the registrant both see of a hearing."""
    return {
        "kind": hearing.kind,
        "kind_label": hearing.get_kind_display(),
        "status": hearing.status,
        "status_label": hearing.get_status_display(),
        "starts_on": hearing.starts_on,
        "location": hearing.location,
        "notice_served_on": hearing.notice_served_on,
        "panel": _panel(hearing),
    }


def _hearing(hearing: Hearing) -> dict:
    return {
        **_hearing_shown(hearing),
        "id": hearing.pk,
        "registrant_response": hearing.registrant_response,
        "registrant_responded_at": hearing.registrant_responded_at,
        "version": hearing.version,
    }


def _decision_shown(decision: ExaminerDecision) -> dict:
    """What the regulator and the registrant both see of the examiners' decision."""
    return {
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "reasons": decision.reasons,
        "undertakings": decision.undertakings,
        "undertakings_response": decision.undertakings_response or None,
        "responded_at": decision.responded_at,
    }


def _decision(decision: ExaminerDecision) -> dict:
    return {
        **_decision_shown(decision),
        "id": decision.pk,
        "lay_examiner": _person(decision.lay_examiner),
        "manager_examiner": _person(decision.manager_examiner),
        "decided_at": decision.decided_at,
    }


def _facts(determination: Determination) -> list[dict]:
    """Findings of fact in allegation order (a draft may have only some of them)."""
    facts = determination.facts if isinstance(determination.facts, dict) else {}
    found = []
    for number, finding in facts.items():
        if not str(number).isdigit() or not isinstance(finding, dict):
            continue
        proved = finding.get("proved")
        found.append(
            {
                "allegation": int(number),
                "proved": proved if isinstance(proved, bool) else None,
                "reasons": str(finding.get("reasons") or ""),
            }
        )
    return sorted(found, key=lambda finding: finding["allegation"])


def _determination_terms(determination: Determination) -> dict:
    """What a determination decided: the part the registrant's copy (the PDF) holds."""
    rejected = determination.less_severe_rejected
    return {
        "kind": determination.kind,
        "kind_label": determination.get_kind_display(),
        "facts": _facts(determination),
        "impaired": determination.impaired,
        "impairment_reasons": determination.impairment_reasons,
        "sanction": determination.sanction or None,
        "sanction_reasons": determination.sanction_reasons,
        "less_severe_rejected": {str(k): str(v) for k, v in rejected.items()}
        if isinstance(rejected, dict)
        else {},
        "conditions": determination.conditions,
        "effective_from": determination.effective_from,
        "ends_on": determination.ends_on,
        "published_summary": determination.published_summary,
        "pdf_sha256": determination.pdf_sha256,
        "appeal_by": determination.appeal_by,
    }


def _superseded_ids(determinations: list[Determination]) -> set[int]:
    """Determinations an issued determination replaces."""
    return {d.supersedes_id for d in determinations if d.supersedes_id and d.issued_at}


def _determination(determination: Determination, superseded: set[int]) -> dict:
    return {
        **_determination_terms(determination),
        "id": determination.pk,
        "hearing_id": determination.hearing_id,
        "issued_at": determination.issued_at,
        "issued_by": _person(determination.issued_by),
        "supersedes_id": determination.supersedes_id,
        "superseded": determination.pk in superseded,
    }


def _sanction_shown(sanction: Sanction) -> dict:
    """What the regulator and the registrant both see of a sanction or interim order."""
    return {
        "kind": sanction.kind,
        "kind_label": sanction.get_kind_display(),
        "interim": sanction.interim,
        "status": sanction.status,
        "effective_from": sanction.effective_from,
        "ends_on": sanction.ends_on,
        "conditions": sanction.conditions,
        "published": sanction.published,
        "publish_until": sanction.publish_until,
    }


def _sanction(sanction: Sanction) -> dict:
    return {
        **_sanction_shown(sanction),
        "id": sanction.pk,
        "review_by": sanction.review_by,
        "ended_on": sanction.ended_on,
        "determination_id": sanction.determination_id,
    }


def _appeal(appeal: Appeal) -> dict:
    return {
        "id": appeal.pk,
        "determination_id": appeal.determination_id,
        "grounds": appeal.grounds,
        "lodged_on": appeal.lodged_on,
        "status": appeal.status,
        "outcome_determination_id": appeal.outcome_id,
    }


def _case_out(case: Case) -> dict:
    determinations = selectors.determinations_for(case=case)
    superseded = _superseded_ids(determinations)
    return {
        **_item(case),
        "summary": case.summary,
        "health_related": case.health_related,
        "opened_by": _person(case.opened_by),
        "came_from": _came_from(case),
        "moves_possible": hand_moves_from(case.stage),
        "allegations": _allegations(case),
        "evidence": [_evidence(item) for item in selectors.evidence_for(case=case)],
        "stage_history": [_change(change) for change in selectors.stage_history(case=case)],
        "hearings": [_hearing(h) for h in _hearings(case, for_registrant=False)],
        "examiner_decisions": [_decision(d) for d in _examiner_decisions(case)],
        "determinations": [_determination(d, superseded) for d in determinations],
        "sanctions": [_sanction(s) for s in selectors.sanctions_for(case=case)],
        "appeals": [_appeal(a) for a in selectors.appeals_for(case=case)],
    }


def _stage_now(case: Case) -> dict:
    return {**_stage(case), "version": case.version}


# --- Who may ----------------------------------------------------------------------------


def _staff(request, permission: str):
    """The caller when they hold ``permission``; otherwise a 403 to answer with."""
    user = request_user(request)
    if not user.has_perm(permission):
        return None, Status(403, {"detail": REFUSED.get(permission, CASE_STAFF_ONLY)})
    return user, None


def _case_for(user, reference: str) -> Case | None:
    """The case for a member of staff; None for an unknown reference and for a case
    about the member of staff themselves (the same answer, so neither is told apart)."""
    case = selectors.case_for_staff(reference=reference)
    if case is None:
        return None
    if case.registrant.user_id is not None and case.registrant.user_id == user.pk:
        return None
    return case


def _not_found() -> Status:
    return Status(404, {"detail": NOT_FOUND})


def _invalid(error: ValidationError, fallback: str) -> Status:
    return Status(422, problem(error, fallback))


def _field_problem(field: str, message: str) -> Status:
    return _invalid(ValidationError({field: message}), message)


def _change_case(request, reference: str, permission: str, fallback: str, change) -> Status:
    """``change(user, case)`` by someone holding ``permission`` on the case ``reference``
    names: what it returns, or the refusal (403, 404, 422 with the service's message)."""
    user, refusal = _staff(request, permission)
    if refusal:
        return refusal
    case = _case_for(user, reference)
    if case is None:
        return _not_found()
    try:
        return change(user, case)
    except PermissionDenied as error:
        return Status(403, {"detail": str(error) or REFUSED[permission]})
    except ValidationError as error:
        return _invalid(error, fallback)


# --- The registrant's own cases (before /cases/{reference}, which "mine" would match) ---


def _registrant(request):
    user = request_user(request)
    if not user.has_perm("cases.see_own_cases"):
        return None, Status(403, {"detail": REGISTRANTS_ONLY})
    return user, None


def _own_case(user, reference: str) -> Case | None:
    case = selectors.own_case(user=user, reference=reference)
    if case is None or not user.has_perm("cases.see_own_case", case):
        return None
    return case


def _mine_evidence(item) -> dict:
    return {**_evidence_shown(item), "added_on": clock.localdate(item.added_at)}


def _mine_hearing(hearing: Hearing) -> dict:
    return {
        **_hearing_shown(hearing),
        "your_response": hearing.registrant_response,
        "responded_at": hearing.registrant_responded_at,
    }


def _mine_decision(decision: ExaminerDecision) -> dict:
    return {**_decision_shown(decision), "decided_on": clock.localdate(decision.decided_at)}


def _mine_sanction(sanction: Sanction) -> dict:
    return {
        **_sanction_shown(sanction),
        "review_by": sanction.review_by if sanction.interim else None,
    }


def _mine_out(case: Case, user) -> dict:
    shown = presenters.mine_case(case, stage_dates=[])
    determinations = selectors.determinations_for(case=case, issued_only=True)
    superseded = _superseded_ids(determinations)
    return {
        **_stage(case),
        "explanation": shown.explanation,
        "stage_since": case.stage_since,
        "opened_on": case.opened_on,
        "how_it_started": shown.how_it_started,
        "summary": case.summary,
        "timeline": [
            {"stage": stage, "stage_label": Stage(stage).label, "on": clock.localdate(at)}
            for stage, at in selectors.stage_dates(case=case)
        ],
        "allegations": _allegations(case),
        "evidence": [_mine_evidence(e) for e in selectors.evidence_for_registrant(case=case)],
        "hearings": [_mine_hearing(h) for h in _hearings(case, for_registrant=True)],
        "examiner_decisions": [_mine_decision(d) for d in _examiner_decisions(case)],
        "determinations": [
            {
                **_determination_terms(d),
                "issued_on": clock.localdate(d.issued_at),
                "superseded": d.pk in superseded,
            }
            for d in determinations
        ],
        "sanctions": [
            _mine_sanction(s) for s in selectors.sanctions_for(case=case, for_registrant=True)
        ],
        "appeals": [
            {"lodged_on": a.lodged_on, "status": a.status} for a in selectors.appeals_for(case=case)
        ],
        "may_respond": case.stage in OPEN_STAGES and user.has_perm("cases.respond", case),
    }


@router.get(
    "/cases/mine",
    response={200: CaseMinePageOut, 422: ProblemOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="cases_mine",
    summary="Fitness-to-practise cases about you",
)
def mine(request, page: int = Query(1, ge=1, le=1_000_000)):  # noqa: B008
    """Your cases, newest first, 50 to a page: reference, stage and when each opened."""
    user, refusal = _registrant(request)
    if refusal:
        return refusal
    paginator = Paginator(selectors.own_cases(user=user), PAGE_SIZE)
    current = paginator.get_page(page)
    return Status(
        200,
        {
            "count": paginator.count,
            "page": current.number,
            "pages": paginator.num_pages,
            "items": [
                {
                    **_stage(case),
                    "url": f"{API}/mine/{case.reference}",
                    "opened_on": case.opened_on,
                }
                for case in current
            ],
        },
    )


@router.get(
    "/cases/mine/{reference}",
    response={200: CaseMineOut, **READ_ERRORS},
    auth=bearer_or_session,
    url_name="cases_mine_detail",
    summary="A case about you: where it stands, the allegations, the evidence shared with you",
)
def mine_detail(request, reference: str):
    """What your case page shows: never who raised a concern, evidence not disclosed to
    you, or the regulator's staff. Someone else's case is not found."""
    user, refusal = _registrant(request)
    if refusal:
        return refusal
    case = _own_case(user, reference)
    if case is None:
        return Status(404, {"detail": NOT_YOURS})
    audit_record_view(
        actor=user, subject=case, fields=["summary"], reason="viewed their own case (API)"
    )
    return Status(200, _mine_out(case, user))


@router.post(
    "/cases/mine/{reference}/responses",
    response={201: CaseResponseSentOut, 413: ErrorOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="cases_mine_respond",
    summary="Send your response to a case about you, with a file if you like",
)
def mine_respond(
    request,
    reference: str,
    text: str = Form("", max_length=10_000, description="Your response."),  # noqa: B008
    file: UploadedFile | None = File(None, description="A file to send with it."),  # noqa: B008
    file_title: str = Form("", max_length=300, description="What the file is."),  # noqa: B008
):
    """Multipart form: `text`, `file`, `file_title` (one of `text` and `file` at least).
    Both are kept as evidence you gave, which you can always see; your caseworker is
    told. A closed case takes no response."""
    user, refusal = _registrant(request)
    if refusal:
        return refusal
    case = _own_case(user, reference)
    if case is None or not user.has_perm("cases.respond", case):
        return Status(404, {"detail": NOT_YOURS})
    if request_too_large(request):
        return Status(413, {"detail": f"The file must be smaller than {MAX_EVIDENCE_TEXT}."})
    sent = {}
    if file is not None:
        trouble = file_problem(file)
        if trouble:
            return _field_problem("file", trouble)
        upload = EvidenceFile(file)
        sent = {
            "file_name": upload.file_name,
            "media_type": upload.media_type,
            "content": upload.content,
        }
    try:
        added = services.response_send(
            case=case, text=text, file_title=file_title, actor=user, **sent
        )
    except ValidationError as error:
        return _invalid(error, "Your response could not be sent.")
    return Status(
        201, {"reference": case.reference, "evidence": [_mine_evidence(e) for e in added]}
    )


# --- The regulator's cases -------------------------------------------------------------


@router.get(
    "/cases",
    response={200: CasePageOut, 422: ProblemOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="cases_list",
    summary="Fitness-to-practise cases, newest first",
)
def case_list(
    request,
    stage: str = Query(  # noqa: B008
        selectors.DEFAULT_FILTER, max_length=50, description=f"One of: {FILTER_NAMES}."
    ),
    q: str = Query(  # noqa: B008
        "", max_length=40, description="A case reference or a registration number."
    ),
    page: int = Query(1, ge=1, le=1_000_000),  # noqa: B008
):
    """Cases, 50 to a page, without their summaries. For caseworkers, case examiners,
    hearings officers and the registrar; never a case about yourself."""
    user, refusal = _staff(request, "cases.view_cases")
    if refusal:
        return refusal
    name = stage.strip()
    if name not in selectors.LIST_FILTERS:
        return _field_problem("stage", f"There is no such stage: use one of {FILTER_NAMES}.")
    search = selectors.clean_search(q)
    trouble = selectors.search_problem(search)
    if trouble:
        return _field_problem("q", trouble)
    paginator = Paginator(selectors.case_list(name=name, search=search, user=user), PAGE_SIZE)
    current = paginator.get_page(page)
    return Status(
        200,
        {
            "stage": name,
            "q": search,
            "counts": selectors.case_counts(search=search, user=user),
            "count": paginator.count,
            "page": current.number,
            "pages": paginator.num_pages,
            "items": [_item(case) for case in current],
        },
    )


@router.post(
    "/cases",
    response={201: CaseListItemOut, 400: ErrorOut, 422: ProblemOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="cases_open",
    summary="Open a case",
)
def case_open(request, payload: CaseOpenIn):
    """From a concern recommended for a case (`concern_decision`), a not fit and proper
    referral (`not_fit_referral`), an employer's referral (`registration_number` and
    `ods_code`) or the regulator's own motion (`registration_number`). The case opens
    at triage; the person who raised a concern hears that it is open."""
    user, refusal = _staff(request, "cases.open_case")
    if refusal:
        return refusal
    data = {
        "summary": payload.summary,
        "health_related": "on" if payload.health_related else "",
        "registration_number": payload.registration_number,
        "ods_code": payload.ods_code,
    }
    named = {}
    if payload.source == CaseSource.CONCERN:
        if payload.concern_decision is None:
            return _field_problem("concern_decision", "Give the number of the concern's decision")
        decision = selectors.concern_recommendation(pk=payload.concern_decision)
        if decision is None:
            return _field_problem(
                "concern_decision", "No concern waits for a case with that number"
            )
        form = OpenCaseForm(data)
        named = {"concern_decision": decision, "registrant": decision.concern.subject_registrant}
    elif payload.source == CaseSource.NOT_FIT:
        if payload.not_fit_referral is None:
            return _field_problem("not_fit_referral", "Give the number of the referral")
        referral = selectors.not_fit_referral_open(pk=payload.not_fit_referral)
        if referral is None:
            return _field_problem(
                "not_fit_referral",
                "No not fit and proper referral waits for a case with that number",
            )
        form = OpenCaseForm(data)
        named = {"not_fit_referral": referral, "registrant": referral.assessment.registrant}
    else:
        employer = payload.source == CaseSource.EMPLOYER
        form = (EmployerCaseForm if employer else OwnMotionCaseForm)(data)
    if not form.is_valid():
        return _invalid(ValidationError(form.errors.as_data()), "The case could not be opened.")
    if "registration_number" in form.cleaned_data:
        named["registrant"] = form.cleaned_data["registration_number"]
    if "ods_code" in form.cleaned_data:
        named["referring_organisation"] = form.cleaned_data["ods_code"]
    try:
        case = services.case_open(
            source=payload.source,
            summary=form.cleaned_data["summary"],
            health_related=form.cleaned_data["health_related"],
            actor=user,
            **named,
        )
    except PermissionDenied as error:
        return Status(403, {"detail": str(error)})
    except ValidationError as error:
        return _invalid(error, "The case could not be opened.")
    return Status(201, _item(selectors.case_for_staff(reference=case.reference)))


@router.get(
    "/cases/{reference}",
    response={200: CaseOut, **READ_ERRORS},
    auth=bearer_or_session,
    url_name="cases_detail",
    summary="A case: allegations, evidence, history and every decision (reading recorded)",
)
def case_detail(request, reference: str):
    """Everything decided on the case so far. The summary is restricted: each reading
    is recorded. Evidence comes with each file's SHA-256, never its content."""
    user, refusal = _staff(request, "cases.view_cases")
    if refusal:
        return refusal
    case = _case_for(user, reference)
    if case is None:
        return _not_found()
    audit_record_view(actor=user, subject=case, fields=["summary"], reason="viewed the case (API)")
    return Status(200, _case_out(case))


@router.post(
    "/cases/{reference}/allegations",
    response={201: CaseAllegationOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="cases_allegation_add",
    summary="Add an allegation, citing the standards in force on the date of the conduct",
)
def allegation_add(request, reference: str, payload: CaseAllegationIn):
    def add(user, case):
        allegation = services.allegation_add(
            case=case,
            text=payload.text,
            conduct_on=payload.conduct_on,
            refs=payload.refs,
            actor=user,
        )
        return Status(201, _allegation(allegation, cited_titles([allegation])))

    return _change_case(
        request, reference, "cases.build_case", "The allegation could not be added.", add
    )


@router.post(
    "/cases/{reference}/moves",
    response={201: CaseMovedOut, 409: ProblemOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="cases_move",
    summary="Move the case to its next stage",
)
def case_move(request, reference: str, payload: CaseMoveIn):
    """Send the `version` of the case you saw. 409 when the case has moved on since, or
    the move is not possible from its stage (the message says where it can go);
    422 for a missing reason."""
    refused = "The case could not be moved."

    def move(user, case):
        try:
            change = stage_move(
                case=case,
                move=payload.move,
                actor=user,
                reason=payload.reason,
                expected_version=payload.version,
            )
        except ValidationError as error:
            # A field is what was sent (422); no field is the case's own state (stage or
            # version).
            if hasattr(error, "error_dict"):
                raise
            return Status(409, problem(error, refused))
        return Status(
            201,
            {
                **_stage_now(case),
                "change": _change(change),
                "moves_possible": hand_moves_from(case.stage),
            },
        )

    return _change_case(request, reference, "cases.move_case", refused, move)


@router.post(
    "/cases/{reference}/examiner-decisions",
    response={201: CaseExaminerDecidedOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="cases_examiner_decide",
    summary="Record the case examiners' decision (one of the two examiners records it)",
)
def examiner_decision(request, reference: str, payload: CaseExaminerDecisionIn):
    """A lay and a manager examiner, two different people without a conflict, with
    reasons. The outcome moves the case on: closed, a warning or agreed undertakings
    (offered to the registrant), or a referral to a panel hearing."""

    def decide(user, case):
        examiners = User.objects.in_bulk([payload.lay_examiner, payload.manager_examiner])
        for field in ("lay_examiner", "manager_examiner"):
            if getattr(payload, field) not in examiners:
                raise ValidationError({field: "No one has that user id"})
        decision = examiner_decide(
            case=case,
            outcome=payload.outcome,
            reasons=payload.reasons,
            undertakings=payload.undertakings,
            lay_examiner=examiners[payload.lay_examiner],
            manager_examiner=examiners[payload.manager_examiner],
            actor=user,
            published_summary=payload.published_summary,
        )
        case.refresh_from_db()
        return Status(201, {**_stage_now(case), "decision": _decision(decision)})

    return _change_case(
        request,
        reference,
        "cases.decide_as_examiner",
        "The decision could not be recorded.",
        decide,
    )


@router.post(
    "/cases/{reference}/hearings",
    response={201: CaseHearingOut, **WRITE_ERRORS},
    auth=bearer_or_session,
    url_name="cases_hearing_schedule",
    summary="Schedule a hearing and serve notice on the registrant",
)
def hearing_add(request, reference: str, payload: CaseHearingIn):
    """Notice is served today, so the hearing must be at least the notice period away. A
    substantive hearing needs the case referred to a panel; a review hearing a case under
    review; an appeal hearing a case under appeal; an interim order hearing an open case."""

    def schedule(user, case):
        hearing = hearing_schedule(
            case=case,
            kind=payload.kind,
            starts_on=payload.starts_on,
            location=payload.location,
            actor=user,
        )
        return Status(201, _hearing(hearing))

    return _change_case(
        request,
        reference,
        "cases.arrange_hearings",
        "The hearing could not be scheduled.",
        schedule,
    )
