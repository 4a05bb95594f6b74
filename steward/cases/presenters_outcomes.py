"""Determinations, sanctions and appeals: what the case pages show of them.

``staff_section`` feeds ``cases/staff/_outcomes.jinja`` on the regulator's case page and
``mine_section`` feeds ``cases/mine/_outcomes.jinja`` on the registrant's own case page.
The other functions give the outcome pages their view models: the panel's task list,
a determination as a whole (to check before issuing) and the plain-English decision
the registrant reads.

The registrant is only ever shown issued determinations, and never a member of
staff's name, the panel's draft findings, or anything written only for the regulator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.html import format_html

from steward.cases import selectors
from steward.cases.appeals import AppealOutcome
from steward.cases.determinations import (
    PANEL_KINDS,
    SANCTION_PHRASES,
    any_proved,
    current_determination,
    facts_complete,
    live_allegation_numbers,
    ready_to_issue,
)
from steward.cases.models import (
    SANCTION_LADDER,
    Allegation,
    Appeal,
    AppealStatus,
    Case,
    Determination,
    DeterminationKind,
    HearingKind,
    HearingStatus,
    PanelSeat,
    Sanction,
    SanctionKind,
    Stage,
)
from steward.cases.presenters import person_name, registrant_text
from steward.cases.presenters_hearings import order_tag
from steward.cases.rules import is_panel_member
from steward.core import clock
from steward.core.formatting import uk_date

NOT_PUBLISHED_HEALTH = (
    "This case is related to the registrant's health, so the sanction is never published "
    "on the public register."
)
NOT_PUBLISHED_ADVICE = "Advice is never published on the public register."


# --- Small words ------------------------------------------------------------------


def numbers_text(numbers: list[int]) -> str:
    """[1] → "allegation 1"; [1, 2, 3] → "allegations 1, 2 and 3"."""
    items = [str(n) for n in sorted(numbers)]
    if len(items) == 1:
        return f"allegation {items[0]}"
    return f"allegations {', '.join(items[:-1])} and {items[-1]}"


def sanction_label(kind: str, *, interim: bool = False) -> str:
    label = SanctionKind(kind).label
    return f"Interim order: {label.lower()}" if interim else label


def period_text(effective_from: dt.date | None, ends_on: dt.date | None, kind: str = "") -> str:
    """ "From 1 July 2026 to 1 January 2027", "From 1 July 2026, with no end date"."""
    if effective_from is None:
        start = "From the day the determination is issued"
    else:
        start = f"From {uk_date(effective_from)}"
    if ends_on is not None:
        return f"{start} to {uk_date(ends_on)}"
    if kind == SanctionKind.BARRING:
        return f"{start}, with no end date"
    return start


def outcome_text(determination: Determination) -> str:
    """The sanction a determination imposes, in a few words."""
    if not determination.sanction:
        return "No sanction"
    kind = determination.sanction
    if kind in (SanctionKind.ADVICE,):
        return SanctionKind(kind).label
    period = period_text(determination.effective_from, determination.ends_on, kind)
    return f"{SanctionKind(kind).label}: {period[0].lower()}{period[1:]}"


def proved_numbers(determination: Determination) -> tuple[list[int], list[int]]:
    proved, not_proved = [], []
    for key, finding in (determination.facts or {}).items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            continue
        (proved if finding.get("proved") else not_proved).append(number)
    return sorted(proved), sorted(not_proved)


def stages_text(determination: Determination, live: list[int]) -> str:
    """Which of the panel's stages are recorded."""
    if determination.kind not in PANEL_KINDS:
        return "Decided in one step"
    done = []
    if facts_complete(determination, live):
        done.append("facts")
    if determination.impaired is not None:
        done.append("impairment")
    if determination.sanction:
        done.append("sanction")
    if not done:
        return "None yet"
    text = ", ".join(done[:-1]) + (" and " if len(done) > 1 else "") + done[-1]
    if determination.impaired is False:
        text += " (no sanction: fitness to practise not impaired)"
    return text[0].upper() + text[1:]


def appeal_outcome(decided: Determination | None, original: Determination):
    """How an appeal was decided, read from the determination it produced (which
    never edits the one appealed against)."""
    if decided is None:
        return None
    if decided.impaired is None and not decided.facts and not decided.sanction:
        return AppealOutcome.ALLOWED
    same = (decided.sanction, decided.conditions, decided.ends_on) == (
        original.sanction,
        original.conditions,
        original.ends_on,
    )
    return AppealOutcome.DISMISSED if same else AppealOutcome.SUBSTITUTED


# --- URLs -------------------------------------------------------------------------


def outcome_url(hearing, name: str = "cases:hearing_outcome") -> str:
    return reverse(name, kwargs={"reference": hearing.case.reference, "hearing_id": hearing.pk})


def issue_url(determination: Determination, case: Case) -> str:
    return reverse(
        "cases:determination_issue",
        kwargs={"reference": case.reference, "determination_id": determination.pk},
    )


def pdf_url(determination: Determination, case: Case, *, mine: bool = False) -> str:
    return reverse(
        "cases:mine_determination_pdf" if mine else "cases:determination_pdf",
        kwargs={"reference": case.reference, "determination_id": determination.pk},
    )


def decide_url(appeal: Appeal, case: Case) -> str:
    return reverse(
        "cases:appeal_decide", kwargs={"reference": case.reference, "appeal_id": appeal.pk}
    )


def case_url(case: Case, anchor: str = "outcomes") -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference}) + f"#{anchor}"


def mine_url(case: Case, anchor: str = "outcomes") -> str:
    return reverse("cases:mine_detail", kwargs={"reference": case.reference}) + f"#{anchor}"


# --- The panel's task list -----------------------------------------------------------


def _status(text: str, colour: str | None = None) -> dict:
    if colour:
        return {"tag": {"text": text, "colour": colour}}
    return {"text": text}


def outcome_tasks(determination: Determination, *, live: list[int], hearing) -> list[dict]:
    """The three stages, each with its state and, while the service lets it be
    recorded or changed, a link."""
    draft = determination.issued_at is None
    complete = facts_complete(determination, live)
    impaired = determination.impaired

    def href(name: str, open_: bool) -> str | None:
        return outcome_url(hearing, name) if draft and open_ else None

    if complete:
        facts_status = _status("Completed")
    elif determination.facts:
        facts_status = _status("In progress", "light-blue")
    else:
        facts_status = _status("Not started", "white")

    if impaired is not None:
        impairment_status = _status("Completed")
    elif complete:
        impairment_status = _status("Not started", "white")
    else:
        impairment_status = _status("Cannot start yet")
    impairment_hint = "Whether the registrant's fitness to practise is impaired, with reasons."
    if complete and not any_proved(determination):
        impairment_hint = (
            "No allegation was found proved, so fitness to practise cannot be found impaired: "
            "record the panel's reasons."
        )

    if determination.sanction:
        sanction_status = _status("Completed")
    elif impaired is False:
        sanction_status = _status("Not needed")
    elif impaired:
        sanction_status = _status("Not started", "white")
    else:
        sanction_status = _status("Cannot start yet")
    return [
        {
            "title": {"text": "Findings of fact"},
            "hint": "Each allegation found proved or not proved, with reasons.",
            "href": href("cases:outcome_facts", impaired is None),
            "status": facts_status,
        },
        {
            "title": {"text": "Impairment"},
            "hint": impairment_hint,
            "href": href("cases:outcome_impairment", complete and not determination.sanction),
            "status": impairment_status,
        },
        {
            "title": {"text": "Sanction"},
            "hint": "The sanction, and why each less severe sanction would not be enough. "
            "Not needed when fitness to practise is not impaired.",
            "href": href("cases:outcome_sanction", impaired is True),
            "status": sanction_status,
        },
    ]


# --- A determination as a whole -----------------------------------------------------


def _row(key: str, text: str = "", *, html=None) -> dict:
    return {"key": {"text": key}, "value": {"html": html} if html is not None else {"text": text}}


@dataclass
class FindingView:
    number: int
    allegation: str
    withdrawn: bool
    verdict: str
    reasons: str


@dataclass
class Answers:
    """Everything a determination says, for checking before it is issued."""

    facts: list[FindingView] = field(default_factory=list)
    impairment: list[dict] = field(default_factory=list)
    sanction: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    published: list[dict] = field(default_factory=list)


def answers(determination: Determination, *, allegations, health_related: bool) -> Answers:
    facts = determination.facts or {}
    result = Answers()
    for allegation in allegations:
        finding = facts.get(str(allegation.number))
        if finding is None and allegation.withdrawn:
            continue
        verdict = "Not recorded"
        if finding is not None:
            verdict = "Proved" if finding.get("proved") else "Not proved"
        result.facts.append(
            FindingView(
                number=allegation.number,
                allegation=allegation.text,
                withdrawn=allegation.withdrawn,
                verdict=verdict,
                reasons=(finding or {}).get("reasons", ""),
            )
        )
    if determination.impaired is not None:
        result.impairment = [
            _row("Fitness to practise", "Impaired" if determination.impaired else "Not impaired"),
            _row("Reasons", determination.impairment_reasons),
        ]
    if determination.sanction:
        kind = determination.sanction
        rows = [_row("Sanction", SanctionKind(kind).label)]
        if kind != SanctionKind.ADVICE:
            rows.append(
                _row("When", period_text(determination.effective_from, determination.ends_on, kind))
            )
        if determination.conditions:
            label = "Undertakings" if kind == SanctionKind.UNDERTAKINGS else "Conditions"
            rows.append(_row(label, determination.conditions))
        rows.append(_row("Reasons", determination.sanction_reasons))
        result.sanction = rows
        rejected = determination.less_severe_rejected or {}
        result.rejected = [
            _row(f"Why not {SANCTION_PHRASES[lesser]}", rejected[lesser.value])
            for lesser in SANCTION_LADDER
            if lesser.value in rejected
        ]
        if determination.published_summary:
            result.published = [_row("Published summary", determination.published_summary)]
        elif health_related:
            result.published = [_row("Published", NOT_PUBLISHED_HEALTH)]
        elif kind == SanctionKind.ADVICE:
            result.published = [_row("Published", NOT_PUBLISHED_ADVICE)]
    elif determination.impaired is False or determination.sanction_reasons:
        result.sanction = [_row("Sanction", "No sanction")]
        if determination.sanction_reasons:
            result.sanction.append(_row("Reasons", determination.sanction_reasons))
    return result


def hearing_text(hearing) -> str:
    place = f", {hearing.location}" if hearing.location else ""
    return f"{HearingKind(hearing.kind).label} on {uk_date(hearing.starts_on)}{place}"


def panel_text(hearing) -> list[str]:
    return [
        f"{person_name(seat.member)} ({seat.get_category_display().lower()} member"
        f"{', chair' if seat.is_chair else ''})"
        for seat in hearing.panel.select_related("member").order_by("-is_chair", "pk")
    ]


# --- The regulator's case page ---------------------------------------------------------


def _by_pk(rows) -> dict:
    return {row.pk: row for row in rows}


def _determination_rows(case: Case) -> tuple[list[Determination], dict]:
    determinations = selectors.determinations_for(case=case)
    superseded_by = {d.supersedes_id: d for d in determinations if d.supersedes_id}
    return determinations, superseded_by


def _staff_determination(d: Determination, *, case, live, later, by_pk, may_issue) -> dict:
    rows = [_row("Kind", d.get_kind_display())]
    if d.hearing_id:
        rows.append(_row("Hearing", hearing_text(d.hearing)))
    rows.append(_row("Stages recorded", stages_text(d, live)))
    if d.issued_at or d.sanction or d.impaired is not None:
        rows.append(_row("Outcome", outcome_text(d)))
    if d.issued_at:
        by = person_name(d.issued_by)
        rows.append(_row("Issued on", uk_date(d.issued_at) + (f" by {by}" if by else "")))
    if d.appeal_by:
        rows.append(_row("Appeal by", uk_date(d.appeal_by)))
    if d.supersedes_id and d.supersedes_id in by_pk:
        earlier = by_pk[d.supersedes_id]
        rows.append(
            _row(
                "Supersedes",
                html=format_html(
                    '<a href="#determination-{}">{}{}</a>',
                    earlier.pk,
                    earlier.get_kind_display(),
                    f" issued on {uk_date(earlier.issued_at)}" if earlier.issued_at else "",
                ),
            )
        )
    if later is not None:
        issued = f", issued on {uk_date(later.issued_at)}" if later.issued_at else ", not issued"
        rows.append(
            _row(
                "Superseded by",
                html=format_html(
                    '<a href="#determination-{}">{}{}</a>',
                    later.pk,
                    later.get_kind_display(),
                    issued,
                ),
            )
        )
    if d.issued_at and d.pdf_sha256:
        rows.append(
            _row(
                "Document",
                html=format_html(
                    '<a href="{}">Download the determination (PDF)</a><br>'
                    '<span class="nhsuk-body-s">SHA-256 <code class="steward-mono">{}</code>'
                    "</span>",
                    pdf_url(d, case),
                    d.pdf_sha256,
                ),
            )
        )
    superseded = later is not None and later.issued_at is not None
    if superseded:
        tag = {"text": "Superseded", "colour": "grey"}
    elif d.issued_at:
        tag = {"text": "Issued", "colour": "green"}
    else:
        tag = {"text": "Being recorded", "colour": "yellow"}
    actions = []
    if may_issue and ready_to_issue(d, live):
        actions.append(
            {
                "text": f"Check and issue the {d.get_kind_display().lower()}",
                "href": issue_url(d, case),
            }
        )
    return {
        "anchor": f"determination-{d.pk}",
        "title": d.get_kind_display(),
        "tag": tag,
        "rows": rows,
        "actions": actions,
    }


def _sanction_rows(case: Case) -> list[dict]:
    rows = []
    for sanction in selectors.sanctions_for(case=case):
        if not sanction.published:
            published = "Never published"
        elif sanction.interim:
            published = "While in force"
        elif sanction.publish_until:
            published = uk_date(sanction.publish_until)
        else:
            published = "While it lasts"
        rows.append(
            {
                "kind": sanction_label(sanction.kind, interim=sanction.interim),
                "status": order_tag(sanction),
                "effective_from": uk_date(sanction.effective_from),
                "ends_on": uk_date(sanction.ended_on or sanction.ends_on)
                or ("No end date" if sanction.kind == SanctionKind.BARRING else ""),
                "review_by": uk_date(sanction.review_by),
                "published_until": published,
            }
        )
    return rows


def staff_section(*, case, user) -> dict:
    """Each determination, sanction and appeal on the case, and what the signed-in
    person may do next: record the panel's findings (if they sit on the panel),
    issue a determination, decide an appeal (hearings officers). Empty when there is
    nothing to show."""
    determinations, superseded_by = _determination_rows(case)
    by_pk = _by_pk(determinations)
    live = live_allegation_numbers(case)
    may_arrange = user.has_perm("cases.arrange_hearings")
    actions: list[dict] = []
    seats = set(
        PanelSeat.objects.filter(hearing__case=case, member_id=user.pk).values_list(
            "hearing_id", flat=True
        )
    )
    for d in determinations:
        hearing = d.hearing
        if (
            d.issued_at is None
            and hearing is not None
            and hearing.pk in seats
            and hearing.status == HearingStatus.HELD
            and user.has_perm("cases.sit_on_panel", hearing)
        ):
            hearing.case = case
            actions.append(
                {
                    "text": f"Record the panel's findings: {hearing_text(hearing).lower()}",
                    "href": outcome_url(hearing),
                }
            )
    views = [
        _staff_determination(
            d,
            case=case,
            live=live,
            later=superseded_by.get(d.pk),
            by_pk=by_pk,
            may_issue=may_arrange,
        )
        for d in determinations
    ]
    for view in views:
        actions.extend(view["actions"])
    appeals = []
    for appeal in (
        Appeal.objects.filter(determination__case=case)
        .select_related("determination")
        .defer("determination__pdf")
        .order_by("lodged_on", "pk")
    ):
        original = appeal.determination
        decided = by_pk.get(appeal.outcome_id)
        outcome = appeal_outcome(decided, original)
        row = {
            "lodged_on": uk_date(appeal.lodged_on),
            "against": f"{original.get_kind_display()} issued on {uk_date(original.issued_at)}",
            "against_anchor": f"determination-{original.pk}",
            "status": appeal.get_status_display(),
            "outcome": AppealOutcome(outcome).label if outcome else "",
            "outcome_anchor": f"determination-{decided.pk}" if decided else "",
            "grounds": appeal.grounds,
        }
        appeals.append(row)
        if may_arrange and appeal.status == AppealStatus.LODGED and case.stage == Stage.APPEAL:
            actions.append(
                {
                    "text": f"Decide the appeal lodged on {uk_date(appeal.lodged_on)}",
                    "href": decide_url(appeal, case),
                }
            )
    sanctions = _sanction_rows(case)
    if not (views or sanctions or appeals):
        return {}
    return {
        "determinations": views,
        "sanctions": sanctions,
        "appeals": appeals,
        "actions": actions,
        "health_related": case.health_related,
    }


# --- The registrant's own case --------------------------------------------------------


def decision_sentences(d: Determination, *, earlier: Determination | None = None) -> list[str]:
    """What was decided, in plain English, for the registrant."""
    kind = d.kind
    if kind == DeterminationKind.EXAMINERS:
        phrase = SANCTION_PHRASES.get(SanctionKind(d.sanction), "") if d.sanction else ""
        return [f"The case examiners concluded your case with {phrase}."]
    if kind == DeterminationKind.APPEAL and earlier is not None:
        outcome = appeal_outcome(d, earlier)
        if outcome == AppealOutcome.ALLOWED:
            return [
                "Your appeal was allowed: the earlier decision no longer applies and no "
                "sanction is imposed."
            ]
        if outcome == AppealOutcome.DISMISSED:
            return ["Your appeal was dismissed: the sanction in the earlier decision stands."]
        phrase = SANCTION_PHRASES[SanctionKind(d.sanction)]
        return [f"Your appeal was allowed in part: {phrase} replaces the earlier sanction."]
    sentences = []
    who = "The review panel" if kind == DeterminationKind.REVIEW else "The panel"
    proved, not_proved = proved_numbers(d)
    if proved:
        sentences.append(f"{who} found {numbers_text(proved)} proved.")
    if not_proved:
        lead = "It" if proved else who
        sentences.append(f"{lead} found {numbers_text(not_proved)} not proved.")
    if d.impaired is True:
        sentences.append("It found that your fitness to practise is impaired.")
    elif d.impaired is False:
        sentences.append("It found that your fitness to practise is not impaired.")
    if d.sanction:
        phrase = SANCTION_PHRASES[SanctionKind(d.sanction)]
        sentences.append(f"It imposed {phrase}.")
    else:
        sentences.append("No sanction was imposed.")
    return sentences


def publication_text(sanction: Sanction, *, health_related: bool) -> str:
    if not sanction.published:
        if sanction.kind == SanctionKind.ADVICE:
            return "Advice is never published on the public register."
        if health_related:
            return (
                "It is never published on the public register, because it relates to your health."
            )
        return "It is not shown on the public register."
    if sanction.interim:
        return "It is shown on the public register while it is in force."
    if sanction.publish_until:
        return f"It is shown on the public register until {uk_date(sanction.publish_until)}."
    return "It is shown on the public register for as long as it lasts."


def mine_section(*, case, user) -> dict:
    """The decisions issued on the registrant's case, newest first, each in plain
    English with its PDF, any sanction and how long it is published; and the way to
    appeal while the window is open."""
    issued = sorted(
        selectors.determinations_for(case=case, issued_only=True),
        key=lambda d: (d.issued_at, d.pk),
        reverse=True,
    )
    by_pk = _by_pk(issued)
    later = {d.supersedes_id: d for d in issued if d.supersedes_id}
    sanctions: dict[int, list[Sanction]] = {}
    for sanction in selectors.sanctions_for(case=case, for_registrant=True):
        if sanction.determination_id is None:
            continue  # an interim order: the hearings section shows it
        sanctions.setdefault(sanction.determination_id, []).append(sanction)
    decisions = []
    for d in issued:
        replaced_by = later.get(d.pk)
        sanction_items = [
            {
                "label": sanction_label(s.kind),
                "status": s.get_status_display(),
                "period": period_text(s.effective_from, s.ends_on, s.kind)
                if s.kind != SanctionKind.ADVICE
                else "",
                "conditions": s.conditions,
                "published": publication_text(s, health_related=case.health_related),
            }
            for s in sanctions.get(d.pk, [])
        ]
        decisions.append(
            {
                "anchor": f"decision-{d.pk}",
                "title": f"{d.get_kind_display()}, issued on {uk_date(d.issued_at)}",
                "sentences": decision_sentences(d, earlier=by_pk.get(d.supersedes_id)),
                "superseded": (
                    f"This decision was replaced by the {replaced_by.get_kind_display().lower()} "
                    f"issued on {uk_date(replaced_by.issued_at)}. It has not been changed."
                )
                if replaced_by is not None
                else "",
                "pdf_href": pdf_url(d, case, mine=True) if d.pdf_sha256 else "",
                "sanctions": sanction_items,
            }
        )
    appeal = None
    current = current_determination(case)
    today = clock.today()
    if current is not None and current.appeal_by is not None:
        lodged = current.appeals.filter(status=AppealStatus.LODGED).first()
        if lodged is not None:
            appeal = {
                "lodged": f"You appealed on {uk_date(lodged.lodged_on)}. We will tell you the "
                "outcome, which will be a new decision."
            }
        elif (
            case.stage == Stage.APPEAL_WINDOW
            and today <= current.appeal_by
            and user.has_perm("cases.respond", case)
        ):
            appeal = {
                "deadline": uk_date(current.appeal_by),
                "href": reverse("cases:mine_appeal", kwargs={"reference": case.reference}),
            }
    return {"decisions": decisions, "appeal": appeal}


# --- Outcome work waiting ----------------------------------------------------------------


def _live_by_case(case_ids) -> dict[int, list[int]]:
    live: dict[int, list[int]] = {case_id: [] for case_id in case_ids}
    for case_id, number in (
        Allegation.objects.filter(case_id__in=list(case_ids), withdrawn=False)
        .order_by("number")
        .values_list("case_id", "number")
    ):
        live[case_id].append(number)
    return live


def _work_row(d: Determination, *, live: list[int], href: str, action: str) -> dict:
    case = d.case
    return {
        "reference": case.reference,
        "registrant": registrant_text(case),
        "hearing": hearing_text(d.hearing) if d.hearing_id else d.get_kind_display(),
        "stages": stages_text(d, live),
        "href": href,
        "action": action,
    }


def work_view(*, user) -> dict:
    """What waits for the signed-in person: the findings of the panels they sit on
    (panel members); determinations ready to issue and appeals to decide (hearings
    officers). Never a case about themselves. A fixed number of queries."""
    drafts = (
        Determination.objects.filter(
            issued_at__isnull=True, kind__in=list(PANEL_KINDS), hearing__status=HearingStatus.HELD
        )
        .exclude(case__registrant__user_id=user.pk)
        .defer("pdf", "case__summary")
        .select_related("case__registrant", "hearing")
        .order_by("hearing__starts_on", "pk")
    )
    panel_rows, issue_rows, waiting_rows, appeal_rows = [], [], [], []
    is_panel = is_panel_member.test(user)
    is_officer = user.has_perm("cases.arrange_hearings")
    panel_drafts = list(drafts.filter(hearing__panel__member_id=user.pk)) if is_panel else []
    officer_drafts = list(drafts) if is_officer else []
    live = _live_by_case({d.case_id for d in [*panel_drafts, *officer_drafts]})
    for d in panel_drafts:
        d.hearing.case = d.case
        panel_rows.append(
            _work_row(
                d,
                live=live[d.case_id],
                href=outcome_url(d.hearing),
                action="Record the findings",
            )
        )
    for d in officer_drafts:
        if ready_to_issue(d, live[d.case_id]):
            issue_rows.append(
                _work_row(
                    d, live=live[d.case_id], href=issue_url(d, d.case), action="Check and issue"
                )
            )
        else:
            waiting_rows.append(
                _work_row(d, live=live[d.case_id], href=case_url(d.case), action="See the case")
            )
    if is_officer:
        for appeal in (
            Appeal.objects.filter(
                status=AppealStatus.LODGED, determination__case__stage=Stage.APPEAL
            )
            .exclude(determination__case__registrant__user_id=user.pk)
            .select_related("determination__case__registrant")
            .defer("determination__pdf", "determination__case__summary")
            .order_by("lodged_on", "pk")
        ):
            case = appeal.determination.case
            appeal_rows.append(
                {
                    "reference": case.reference,
                    "registrant": registrant_text(case),
                    "lodged_on": uk_date(appeal.lodged_on),
                    "against": appeal.determination.get_kind_display(),
                    "href": decide_url(appeal, case),
                }
            )
    return {
        "is_panel": is_panel,
        "is_officer": is_officer,
        "panel_rows": panel_rows,
        "issue_rows": issue_rows,
        "waiting_rows": waiting_rows,
        "appeal_rows": appeal_rows,
    }
