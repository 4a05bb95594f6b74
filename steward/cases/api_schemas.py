"""What the fitness-to-practise cases API takes and gives.

Every name starts with ``Case``: the OpenAPI document keys schemas by class name
across the whole API. The registrant's schemas (``CaseMine…``) carry only what
their own case page shows: no member of staff's name, nothing about who raised a
concern, no reasons written for the regulator's records, and only the evidence
disclosed to them or given by them. The ``…Base`` schemas hold what both views show:
a field added to one reaches the registrant too.
"""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.cases.models import (
    AppealStatus,
    CaseSource,
    DeterminationKind,
    EvidenceParty,
    ExaminerOutcome,
    HearingKind,
    HearingStatus,
    SanctionKind,
    SanctionStatus,
    Stage,
    UndertakingsResponse,
)
from steward.cases.selectors import LIST_FILTERS
from steward.cases.stages import MOVES

MAX_TEXT = 10_000
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1

StageCode = Literal[tuple(Stage.values)]
SourceCode = Literal[tuple(CaseSource.values)]
MoveName = Literal[tuple(MOVES)]
ExaminerOutcomeCode = Literal[tuple(ExaminerOutcome.values)]
HearingKindCode = Literal[tuple(HearingKind.values)]
HearingStatusCode = Literal[tuple(HearingStatus.values)]
DeterminationKindCode = Literal[tuple(DeterminationKind.values)]
SanctionKindCode = Literal[tuple(SanctionKind.values)]
SanctionStatusCode = Literal[tuple(SanctionStatus.values)]
AppealStatusCode = Literal[tuple(AppealStatus.values)]
PartyCode = Literal[tuple(EvidenceParty.values)]
UndertakingsAnswer = Literal[tuple(UndertakingsResponse.values)]
Ref = Annotated[str, StringConstraints(max_length=20)]
FILTER_NAMES = ", ".join(LIST_FILTERS)


# --- Shared parts -------------------------------------------------------------------


class CasePersonOut(Schema):
    id: int
    name: str


class CaseRegistrantOut(Schema):
    registration_number: str
    name: str


class CaseOrganisationOut(Schema):
    ods_code: str
    name: str


class CaseCitedOut(Schema):
    ref: str = Field(description="A standard (like CC3) or a never event (like NE1).")
    title: str


class CaseAllegationOut(Schema):
    number: int
    text: str
    conduct_on: dt.date = Field(description="When the conduct happened.")
    standards_version: int = Field(description="The version of the standards cited.")
    standards_in_force_from: dt.date
    cited: list[CaseCitedOut]
    withdrawn: bool


class CasePanelSeatOut(Schema):
    name: str
    category: Literal["lay", "manager"]
    is_chair: bool


class CaseFindingOut(Schema):
    allegation: int
    proved: bool | None
    reasons: str


# What the regulator and the registrant both see; each view adds its own fields.


class CaseEvidenceBase(Schema):
    number: int
    title: str
    file_name: str
    media_type: str
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="The file's SHA-256, hex.")
    submitted_by: PartyCode = Field(description="registrant: the registrant sent it.")


class CaseHearingBase(Schema):
    kind: HearingKindCode
    kind_label: str
    status: HearingStatusCode
    status_label: str
    starts_on: dt.date
    location: str
    notice_served_on: dt.date | None
    panel: list[CasePanelSeatOut]


class CaseExaminerDecisionBase(Schema):
    outcome: ExaminerOutcomeCode
    outcome_label: str
    reasons: str
    undertakings: str
    undertakings_response: UndertakingsAnswer | None = Field(
        description="Null unless undertakings were offered."
    )
    responded_at: dt.datetime | None


class CaseDeterminationBase(Schema):
    """What a determination decided: what the issued PDF holds."""

    kind: DeterminationKindCode
    kind_label: str
    facts: list[CaseFindingOut]
    impaired: bool | None
    impairment_reasons: str
    sanction: SanctionKindCode | None
    sanction_reasons: str
    less_severe_rejected: dict[str, str] = Field(
        description="Why each less severe sanction is not enough."
    )
    conditions: str
    effective_from: dt.date | None
    ends_on: dt.date | None
    published_summary: str
    pdf_sha256: str = Field(description="The issued PDF's SHA-256 (empty until issued).")
    appeal_by: dt.date | None
    superseded: bool = Field(description="An issued determination replaces this one.")


class CaseSanctionBase(Schema):
    kind: SanctionKindCode
    kind_label: str
    interim: bool = Field(description="An interim order.")
    status: SanctionStatusCode
    effective_from: dt.date
    ends_on: dt.date | None
    review_by: dt.date | None
    conditions: str
    published: bool
    publish_until: dt.date | None


# --- The regulator's view -----------------------------------------------------------


class CaseListItemOut(Schema):
    reference: str
    url: str = Field(description="The case in this API.")
    registrant: CaseRegistrantOut
    source: SourceCode
    source_label: str
    stage: StageCode
    stage_label: str
    stage_since: dt.date
    opened_on: dt.date
    closed_on: dt.date | None
    caseworker: CasePersonOut | None
    version: int = Field(description="Send this back with a move.")


class CasePageOut(Schema):
    stage: str = Field(description=f"The filter shown: {FILTER_NAMES}.")
    q: str = Field(description="The search, as cleaned.")
    counts: dict[str, int] = Field(description="How many cases each filter holds (with q).")
    count: int
    page: int
    pages: int
    items: list[CaseListItemOut]


class CaseSourceOut(Schema):
    concern_reference: str | None = Field(description="The concern the case came from.")
    not_fit_referral_reference: str | None
    not_fit_organisation: CaseOrganisationOut | None
    referring_organisation: CaseOrganisationOut | None


class CaseEvidenceOut(CaseEvidenceBase):
    disclosed: bool = Field(description="The registrant may see it.")
    added_at: dt.datetime
    added_by: CasePersonOut | None


class CaseStageChangeOut(Schema):
    from_stage: StageCode | None = Field(description="Null when the case was opened.")
    to_stage: StageCode
    at: dt.datetime
    by: str
    reason: str


class CaseHearingOut(CaseHearingBase):
    id: int
    registrant_response: str
    registrant_responded_at: dt.datetime | None
    version: int


class CaseExaminerDecisionOut(CaseExaminerDecisionBase):
    id: int
    lay_examiner: CasePersonOut
    manager_examiner: CasePersonOut
    decided_at: dt.datetime


class CaseDeterminationOut(CaseDeterminationBase):
    id: int
    hearing_id: int | None
    issued_at: dt.datetime | None = Field(description="Null while the panel is recording it.")
    issued_by: CasePersonOut | None
    supersedes_id: int | None


class CaseSanctionOut(CaseSanctionBase):
    id: int
    ended_on: dt.date | None
    determination_id: int | None


class CaseAppealOut(Schema):
    id: int
    determination_id: int
    grounds: str
    lodged_on: dt.date
    status: AppealStatusCode
    outcome_determination_id: int | None


class CaseOut(CaseListItemOut):
    summary: str = Field(description="Restricted: each reading is recorded.")
    health_related: bool
    opened_by: CasePersonOut | None
    came_from: CaseSourceOut
    moves_possible: list[MoveName] = Field(
        description=(
            "The moves a caseworker may make by hand from the stage; the others follow "
            "from decisions."
        )
    )
    allegations: list[CaseAllegationOut]
    evidence: list[CaseEvidenceOut] = Field(description="Files' details; never their content.")
    stage_history: list[CaseStageChangeOut]
    hearings: list[CaseHearingOut]
    examiner_decisions: list[CaseExaminerDecisionOut]
    determinations: list[CaseDeterminationOut]
    sanctions: list[CaseSanctionOut] = Field(description="Sanctions and interim orders.")
    appeals: list[CaseAppealOut]


class CaseOpenIn(Schema):
    source: SourceCode = Field(
        description="concern (give concern_decision), not_fit (give not_fit_referral), "
        "employer (give registration_number and ods_code) or own_motion (give "
        "registration_number)."
    )
    summary: str = Field(..., max_length=MAX_TEXT, description="The registrant reads it.")
    health_related: bool = Field(False, description="Health-related matters are never published.")
    registration_number: str = Field("", max_length=20)
    ods_code: str = Field("", max_length=10, description="The referring employer's ODS code.")
    concern_decision: int | None = Field(
        None, ge=1, le=MAX_ID, description="The triage decision recommending a case."
    )
    not_fit_referral: int | None = Field(None, ge=1, le=MAX_ID)


class CaseAllegationIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT, description="The registrant reads it.")
    conduct_on: dt.date = Field(..., description="When the conduct happened.")
    refs: list[Ref] = Field(
        ...,
        max_length=100,
        description="Standards (like CC3) and never events (like NE1) of the version in "
        "force on the date of the conduct.",
    )


class CaseMoveIn(Schema):
    move: MoveName
    reason: str = Field(..., max_length=MAX_TEXT, description="Kept in the case's history.")
    version: int = Field(..., ge=1, le=MAX_VERSION, description="The case's version you saw.")


class CaseMovedOut(Schema):
    reference: str
    stage: StageCode
    stage_label: str
    version: int
    change: CaseStageChangeOut
    moves_possible: list[MoveName]


class CaseExaminerDecisionIn(Schema):
    outcome: ExaminerOutcomeCode
    reasons: str = Field(..., max_length=MAX_TEXT)
    undertakings: str = Field(
        "", max_length=MAX_TEXT, description="What the registrant is asked to agree to."
    )
    lay_examiner: int = Field(..., ge=1, le=MAX_ID, description="The lay examiner's user id.")
    manager_examiner: int = Field(..., ge=1, le=MAX_ID)
    published_summary: str = Field(
        "", max_length=MAX_TEXT, description="What the public register shows with a warning."
    )


class CaseExaminerDecidedOut(Schema):
    reference: str
    stage: StageCode
    stage_label: str
    version: int
    decision: CaseExaminerDecisionOut


class CaseHearingIn(Schema):
    kind: HearingKindCode
    starts_on: dt.date = Field(..., description="At least the notice period from today.")
    location: str = Field(..., max_length=300, description="Where, or that it is remote.")


# --- The registrant's view ----------------------------------------------------------


class CaseMineItemOut(Schema):
    reference: str
    url: str
    stage: StageCode
    stage_label: str
    opened_on: dt.date


class CaseMinePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[CaseMineItemOut]


class CaseMineStepOut(Schema):
    stage: StageCode
    stage_label: str
    on: dt.date


class CaseMineEvidenceOut(CaseEvidenceBase):
    added_on: dt.date


class CaseMineHearingOut(CaseHearingBase):
    your_response: str
    responded_at: dt.datetime | None


class CaseMineDecisionOut(CaseExaminerDecisionBase):
    decided_on: dt.date


class CaseMineDeterminationOut(CaseDeterminationBase):
    issued_on: dt.date


class CaseMineSanctionOut(CaseSanctionBase):
    """``review_by`` is given for an interim order only."""


class CaseMineAppealOut(Schema):
    lodged_on: dt.date
    status: AppealStatusCode


class CaseMineOut(Schema):
    reference: str
    stage: StageCode
    stage_label: str
    explanation: str = Field(description="Where the case is, in plain English.")
    stage_since: dt.date
    opened_on: dt.date
    how_it_started: str
    summary: str
    timeline: list[CaseMineStepOut]
    allegations: list[CaseAllegationOut]
    evidence: list[CaseMineEvidenceOut] = Field(
        description="Evidence disclosed to you and everything you sent; never the content."
    )
    hearings: list[CaseMineHearingOut]
    examiner_decisions: list[CaseMineDecisionOut]
    determinations: list[CaseMineDeterminationOut] = Field(description="Issued ones only.")
    sanctions: list[CaseMineSanctionOut] = Field(
        description="Sanctions the decisions imposed, and interim orders in force."
    )
    appeals: list[CaseMineAppealOut]
    may_respond: bool


class CaseResponseSentOut(Schema):
    reference: str
    evidence: list[CaseMineEvidenceOut] = Field(description="What your response added.")
