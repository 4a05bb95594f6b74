"""Demo fit and proper person assessments, as they would stand in November 2026.

2025: opened for every board member in post on 31 December 2025 and concluded
at almost every organisation, most checks satisfactory with a few concerns and
checks that did not apply; one director, away from the demo trust, was found
not fit and proper and referred to the regulator (not yet acknowledged).

2026: opened on 1 April 2026 (and on appointment since), a realistic mix of
organisations finished, part way and barely started. At the demo trust (RR8,
Leeds Teaching Hospitals) most are concluded by the demo chair, one still has
checks to record, the demo senior independent director's own is ready for the
chair, the demo registrant's own waits for their self-assessment and
attestation, and the chair's own is ready for the senior independent director.

Deterministic, and idempotent: anyone already assessed that year at that
organisation (opened on appointment by the references demo, or by an earlier
run) keeps their assessment. Written in bulk with one summary audit event,
like the register's demo. Load the standards and references first: competency
ratings cite the standards in force, and appointments open their own
assessments.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from steward.audit.services import audit_record
from steward.core import clock
from steward.core.bulk import insert_rows
from steward.fitness.models import (
    AssessmentOutcome,
    AssessmentTrigger,
    CheckKind,
    CheckOutcome,
    CompetencyRating,
    ConcludedAs,
    FitnessAssessment,
    FitnessCheck,
    NotFitReferral,
    SelfAttestation,
)
from steward.fitness.services import (
    CHECK_COLUMNS,
    _board_in_post,
    _next_referral_reference,
    register_status_result,
)
from steward.register.models import RegisterStatus, Registrant, RoleCategory

SEED = 20261123
DEMO_TRUST = "RR8"
DEMO_DOMAIN = "demo.steward.example"
LONDON = ZoneInfo("Europe/London")
YEAR_2025 = 2025
YEAR_2026 = 2026
OPENED_2025 = dt.date(2025, 4, 1)
OPENED_2026 = dt.date(2026, 4, 1)

EVIDENCE = {
    CheckKind.IDENTITY: "Passport seen, copy on personnel file",
    CheckKind.RIGHT_TO_WORK: "Home Office online check",
    CheckKind.CRIMINAL_RECORD: "DBS certificate {n:012d}",
    CheckKind.INSOLVENCY: "Individual Insolvency Register search",
    CheckKind.DISQUALIFIED_DIRECTORS: "Companies House disqualified directors search",
    CheckKind.CHARITY_TRUSTEES: "Charity Commission removed trustees search",
    CheckKind.EMPLOYMENT_TRIBUNALS: "Employment tribunal decisions search",
    CheckKind.SOCIAL_MEDIA: "Public social media review",
    CheckKind.QUALIFICATIONS: "Certificates seen",
    CheckKind.REFERENCES: "Board member references received before the start date",
}
ASSESSOR_KINDS = [kind for kind in CheckKind if kind in EVIDENCE]
CONCERNS = {
    CheckKind.SOCIAL_MEDIA: (
        "A post from 2019 criticising a named colleague was found. Discussed with them; "
        "they removed it and apologised."
    ),
    CheckKind.EMPLOYMENT_TRIBUNALS: (
        "A 2022 tribunal judgment against their former employer names them as the manager "
        "involved. Discussed with them and their previous chair."
    ),
    CheckKind.INSOLVENCY: (
        "A company they directed went into voluntary liquidation in 2021 with all creditors paid."
    ),
}
FIT_REASONS = (
    "Every check is satisfactory or does not apply, and their self-attestation and "
    "competency self-assessment are complete. They are fit and proper."
)
CONCERN_REASONS = (
    "The {check} concern was discussed with them: it is explained, it was not hidden, and "
    "it does not call their honesty or competence into question. With every other check "
    "satisfactory, they are fit and proper."
)
DECLARATION = (
    "I was a director of a company that went into voluntary liquidation in 2021. All "
    "creditors were paid in full."
)
NOT_FIT_CRIMINAL_NOTE = (
    "The enhanced certificate shows a 2024 conviction for fraud by abuse of position, "
    "which they did not declare."
)
NOT_FIT_REASONS = (
    "The criminal record check disclosed a 2024 conviction for fraud by abuse of position, "
    "which they did not declare in their self-attestation when they confirmed they had no "
    "undeclared convictions. Honesty and integrity are essential to a board role. We "
    "conclude they are not fit and proper and have referred this to the regulator."
)
RATING_EVIDENCE = {
    CompetencyRating.Rating.DEVELOPING: "Working on this with a mentor this year; "
    "examples discussed at appraisal.",
    CompetencyRating.Rating.CAPABLE: "Led this consistently through the year; examples in my "
    "appraisal and board papers.",
    CompetencyRating.Rating.STRONG: "Led this across the organisation and with partners; "
    "coached colleagues to develop it.",
}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), LONDON)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


@dataclass
class _Planned:
    """One assessment to write, with its checks and the director's answers."""

    role: tuple  # (role pk, registrant pk, organisation pk, category, start_date)
    registrant: Registrant
    trigger: str
    opened_on: dt.date
    checks: dict = field(default_factory=dict)  # kind → dict of FitnessCheck fields
    outcome: str = ""
    reasons: str = ""
    concluded_on: dt.date | None = None
    concluded_as: str = ""
    concluded_by: object = None
    concluded_by_label: str = ""
    declarations: str | None = None  # None: no attestation yet
    ratings: bool = False
    not_fit: bool = False
    # Already assessed that year there (say, opened on appointment): left as it is.
    exists: bool = False


class _Context:
    """What both years need: the people, the demo users, the standards in force."""

    def __init__(self):
        from steward.accounts.models import User
        from steward.organisations.models import Organisation

        self.demo_trust = Organisation.objects.filter(ods_code=DEMO_TRUST).first()
        users = {u.email: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
        self.chair_user = users.get(f"chair@{DEMO_DOMAIN}")
        self.sid_user = users.get(f"sid@{DEMO_DOMAIN}")
        self.hr_user = users.get(f"hr-lead@{DEMO_DOMAIN}")
        self.users_by_pk = {u.pk: u for u in users.values()}
        self.registrants: dict[int, Registrant] = {}
        self.existing = set(
            FitnessAssessment.objects.values_list("registrant_id", "organisation_id", "year")
        )

    def planned(self, role: tuple, year: int, **values) -> _Planned:
        return _Planned(
            role=role,
            registrant=self.registrants[role[1]],
            exists=(role[1], role[2], year) in self.existing,
            **values,
        )

    def board(self, on: dt.date) -> list[tuple]:
        """One board role per person per organisation in post on ``on`` (chair first)."""
        rows = (
            _board_in_post(on)
            .order_by("organisation_id", "registrant_id", "start_date", "pk")
            .values_list("pk", "registrant_id", "organisation_id", "category", "start_date")
        )
        chosen: dict[tuple[int, int], tuple] = {}
        for row in rows:
            key = (row[1], row[2])
            if key not in chosen or (
                row[3] == RoleCategory.CHAIR and chosen[key][3] != RoleCategory.CHAIR
            ):
                chosen[key] = row
        missing = {row[1] for row in chosen.values()} - set(self.registrants)
        if missing:
            for registrant in Registrant.objects.filter(pk__in=missing).only(
                "id",
                "registration_number",
                "legal_forenames",
                "legal_surname",
                "known_as",
                "status",
                "status_since",
                "user_id",
            ):
                self.registrants[registrant.pk] = registrant
        return sorted(
            chosen.values(), key=lambda r: (r[2], self.registrants[r[1]].registration_number)
        )

    def user_of(self, registrant: Registrant):
        return self.users_by_pk.get(registrant.user_id)


def _domains(on: dt.date):
    from steward.standards.selectors import version_in_force

    version = version_in_force(on=on)
    if version is None:
        return None, []
    return version, list(version.competency_domains.all())


# --- Planning the checks -------------------------------------------------------


def _assessor_check(
    plan: _Planned, kind: str, *, day: dt.date, checker: str, checker_user, rng, number: int
) -> dict:
    category = plan.role[3]
    values = {
        "outcome": CheckOutcome.SATISFACTORY,
        "checked_on": day,
        "evidence_reference": EVIDENCE[kind].format(n=number),
        "checked_by": checker_user,
        "checked_by_label": checker,
        "note": "",
        "not_applicable_reason": "",
    }
    if kind == CheckKind.REFERENCES and plan.trigger == AssessmentTrigger.ANNUAL:
        values.update(
            outcome=CheckOutcome.NOT_APPLICABLE,
            evidence_reference="",
            not_applicable_reason="Not a new appointment: board member references were "
            "obtained when they were appointed.",
        )
    elif kind == CheckKind.QUALIFICATIONS and category == RoleCategory.NON_EXECUTIVE_DIRECTOR:
        if rng.random() < 0.6:
            values.update(
                outcome=CheckOutcome.NOT_APPLICABLE,
                evidence_reference="",
                not_applicable_reason="No professional qualification is needed for this "
                "non-executive director role.",
            )
    elif kind == CheckKind.RIGHT_TO_WORK and rng.random() < 0.03:
        values.update(
            outcome=CheckOutcome.NOT_APPLICABLE,
            evidence_reference="",
            not_applicable_reason="Checked in full on appointment less than a year ago; "
            "nothing has changed.",
        )
    return values


def _director_checks(plan: _Planned, *, day: dt.date, version, confirms: bool = True) -> None:
    label = plan.registrant.display_name
    user_pk = plan.registrant.user_id
    common = {"checked_on": day, "checked_by_label": label, "not_applicable_reason": ""}
    plan.checks[CheckKind.COMPETENCY] = {
        **common,
        "outcome": CheckOutcome.SATISFACTORY,
        "evidence_reference": (
            f"Competency framework, standards version {version.number}"
            if version
            else "Competency self-assessment"
        ),
        "note": "Self-assessment against every domain of the competency framework.",
        "checked_by_pk": user_pk,
    }
    plan.checks[CheckKind.SELF_ATTESTATION] = {
        **common,
        "outcome": CheckOutcome.SATISFACTORY if confirms else CheckOutcome.CONCERN,
        "evidence_reference": f"Self-attestation {day.day} {day:%B %Y}",
        "note": "Confirmed they meet the fit and proper person requirements."
        if confirms
        else "Declared something against the fit and proper person requirements.",
        "checked_by_pk": user_pk,
    }
    plan.ratings = version is not None
    plan.declarations = "" if confirms else DECLARATION


def _register_check(plan: _Planned, *, day: dt.date, historical: bool) -> None:
    registrant = plan.registrant
    if historical:
        outcome, note = CheckOutcome.SATISFACTORY, "Registered."
    else:
        outcome, note = register_status_result(
            status=registrant.status, status_since=registrant.status_since
        )
    plan.checks[CheckKind.REGISTER_STATUS] = {
        "outcome": outcome,
        "checked_on": day,
        "evidence_reference": f"Register entry {registrant.registration_number}",
        "checked_by_label": "Steward, from the register",
        "note": note,
        "not_applicable_reason": "",
    }


def _conclude(plan: _Planned, *, day: dt.date, chair: tuple, sid: tuple) -> None:
    concerns = [
        CheckKind(kind).label.lower()
        for kind, values in plan.checks.items()
        if values["outcome"] == CheckOutcome.CONCERN
    ]
    plan.outcome = AssessmentOutcome.FIT
    plan.reasons = CONCERN_REASONS.format(check=" and ".join(concerns)) if concerns else FIT_REASONS
    plan.concluded_on = day
    if plan.role[3] == RoleCategory.CHAIR:
        plan.concluded_as = ConcludedAs.SENIOR_INDEPENDENT_DIRECTOR
        plan.concluded_by, plan.concluded_by_label = sid
    else:
        plan.concluded_as = ConcludedAs.CHAIR
        plan.concluded_by, plan.concluded_by_label = chair


def _concluders(ctx: _Context, plans: list[_Planned]) -> tuple[tuple, tuple]:
    """(user, label) of the organisation's chair and senior independent director.

    Without a chair in post, a non-executive director chairs (and concludes) as vice chair.
    """
    chair = next((p for p in plans if p.role[3] == RoleCategory.CHAIR), None)
    neds = [p for p in plans if p.role[3] == RoleCategory.NON_EXECUTIVE_DIRECTOR]
    sid_user_pk = ctx.sid_user.pk if ctx.sid_user else None
    sid = next((p for p in neds if p.registrant.user_id == sid_user_pk), None)
    sid = sid or (neds[0] if neds else None)
    if chair is None:
        chair = next((p for p in neds if p is not sid), None)

    def pair(plan, fallback: str) -> tuple:
        if plan is None:
            return None, fallback
        return ctx.user_of(plan.registrant), plan.registrant.display_name

    return pair(chair, "Vice chair"), pair(sid, "Senior independent director")


def _checker(ctx: _Context, organisation_id: int, rng) -> tuple:
    if ctx.demo_trust and organisation_id == ctx.demo_trust.pk and ctx.hr_user:
        return ctx.hr_user, ctx.hr_user.full_name
    return None, rng.choice(("HR business partner", "Company secretary", "Head of governance"))


# --- 2025 --------------------------------------------------------------------------


def _plan_2025(ctx: _Context, rng: random.Random) -> list[_Planned]:
    on = dt.date(YEAR_2025, 12, 31)
    version, _ = _domains(dt.date(YEAR_2025, 10, 1))
    today = clock.today()
    by_organisation: dict[int, list[_Planned]] = defaultdict(list)
    for role in ctx.board(on):
        appointed = role[4] > OPENED_2025
        plan = ctx.planned(
            role,
            YEAR_2025,
            trigger=AssessmentTrigger.APPOINTMENT if appointed else AssessmentTrigger.ANNUAL,
            opened_on=role[4] if appointed else OPENED_2025,
        )
        by_organisation[role[2]].append(plan)
    plans: list[_Planned] = []
    not_fit_candidates = []
    number = 100000000000
    for organisation_id, org_plans in by_organisation.items():
        late = rng.random() < 0.08 and not (ctx.demo_trust and organisation_id == ctx.demo_trust.pk)
        chair, sid = _concluders(ctx, org_plans)
        checker, checker_label = _checker(ctx, organisation_id, rng)
        neds_without_evidence = 0
        for plan in org_plans:
            start = plan.opened_on
            for kind in ASSESSOR_KINDS:
                number += rng.randint(1, 999)
                day = min(_between(rng, start, start + dt.timedelta(days=120)), today)
                plan.checks[kind] = _assessor_check(
                    plan,
                    kind,
                    day=day,
                    checker=checker_label,
                    checker_user=checker,
                    rng=rng,
                    number=number,
                )
            # The demo trust's return is sent back over two missing evidence references.
            if (
                ctx.demo_trust
                and organisation_id == ctx.demo_trust.pk
                and plan.role[3] == RoleCategory.NON_EXECUTIVE_DIRECTOR
                and neds_without_evidence < 2
            ):
                plan.checks[CheckKind.CRIMINAL_RECORD]["evidence_reference"] = ""
                neds_without_evidence += 1
            if rng.random() < 0.04:
                kind = rng.choice(list(CONCERNS))
                plan.checks[kind].update(outcome=CheckOutcome.CONCERN, note=CONCERNS[kind])
            _register_check(plan, day=start, historical=True)
            confirms = rng.random() >= 0.02
            _director_checks(
                plan,
                day=min(_between(rng, start, start + dt.timedelta(days=90)), today),
                version=version,
                confirms=confirms,
            )
            last_check = max(v["checked_on"] for v in plan.checks.values())
            conclude_on = min(
                _between(rng, max(last_check, dt.date(2025, 10, 1)), dt.date(2026, 3, 31)), today
            )
            if not late or rng.random() < 0.7:
                _conclude(plan, day=conclude_on, chair=chair, sid=sid)
            elif rng.random() < 0.5:
                plan.checks[CheckKind.SOCIAL_MEDIA].update(
                    outcome=CheckOutcome.PENDING,
                    checked_on=None,
                    evidence_reference="",
                    checked_by=None,
                    checked_by_label="",
                )
            if (
                plan.role[3] == RoleCategory.EXECUTIVE_DIRECTOR
                and plan.outcome
                and plan.registrant.user_id is None
                and plan.registrant.status == RegisterStatus.REGISTERED
                and not (ctx.demo_trust and organisation_id == ctx.demo_trust.pk)
                and plan.trigger == AssessmentTrigger.ANNUAL
                and not plan.exists
            ):
                not_fit_candidates.append(plan)
            plans.append(plan)
    if not_fit_candidates:
        plan = rng.choice(not_fit_candidates)
        plan.checks[CheckKind.CRIMINAL_RECORD].update(
            outcome=CheckOutcome.CONCERN, note=NOT_FIT_CRIMINAL_NOTE
        )
        plan.checks[CheckKind.SELF_ATTESTATION].update(
            outcome=CheckOutcome.SATISFACTORY,
            note="Confirmed they meet the fit and proper person requirements.",
        )
        plan.declarations = ""
        plan.outcome = AssessmentOutcome.NOT_FIT
        plan.reasons = NOT_FIT_REASONS
        plan.not_fit = True
    return plans


# --- 2026 --------------------------------------------------------------------------


def _plan_2026(ctx: _Context, rng: random.Random) -> list[_Planned]:
    today = min(clock.today(), dt.date(YEAR_2026, 12, 31))
    if today < OPENED_2026:
        return []
    version, _ = _domains(today)
    roles = {(r[1], r[2]): r for r in ctx.board(OPENED_2026)}
    for role in ctx.board(today):  # appointed since the year opened
        roles.setdefault((role[1], role[2]), role)
    by_organisation: dict[int, list[_Planned]] = defaultdict(list)
    for role in sorted(
        roles.values(), key=lambda r: (r[2], ctx.registrants[r[1]].registration_number)
    ):
        appointed = role[4] > OPENED_2026
        by_organisation[role[2]].append(
            ctx.planned(
                role,
                YEAR_2026,
                trigger=AssessmentTrigger.APPOINTMENT if appointed else AssessmentTrigger.ANNUAL,
                opened_on=role[4] if appointed else OPENED_2026,
            )
        )
    # Someone found not fit and proper last year is not concluded fit this year.
    not_fit = set(
        FitnessAssessment.objects.filter(outcome=AssessmentOutcome.NOT_FIT).values_list(
            "registrant_id", flat=True
        )
    )
    plans = []
    for organisation_id, org_plans in by_organisation.items():
        is_demo_trust = bool(ctx.demo_trust and organisation_id == ctx.demo_trust.pk)
        draw = rng.random()
        stage = (
            "demo"
            if is_demo_trust
            else "finished"
            if draw < 0.3
            else "part"
            if draw < 0.7
            else "started"
            if draw < 0.9
            else "not_started"
        )
        chair, sid = _concluders(ctx, org_plans)
        checker, checker_label = _checker(ctx, organisation_id, rng)
        pending_exec_done = False
        for plan in org_plans:
            start = plan.opened_on
            _register_check(plan, day=start, historical=False)
            registered = (
                plan.checks[CheckKind.REGISTER_STATUS]["outcome"] == CheckOutcome.SATISFACTORY
                and plan.registrant.pk not in not_fit
            )
            if stage == "not_started":
                plans.append(plan)
                continue
            share = {"finished": 1.0, "part": rng.uniform(0.5, 1.0), "started": 0.25, "demo": 1.0}[
                stage
            ]
            for kind in ASSESSOR_KINDS:
                if rng.random() < share or stage in {"finished", "demo"}:
                    day = min(_between(rng, start, start + dt.timedelta(days=100)), today)
                    plan.checks[kind] = _assessor_check(
                        plan,
                        kind,
                        day=day,
                        checker=checker_label,
                        checker_user=checker,
                        rng=rng,
                        number=200000000000 + plan.role[0] * 13 + len(plan.checks),
                    )
            if rng.random() < 0.03 and CheckKind.SOCIAL_MEDIA in plan.checks:
                plan.checks[CheckKind.SOCIAL_MEDIA].update(
                    outcome=CheckOutcome.CONCERN, note=CONCERNS[CheckKind.SOCIAL_MEDIA]
                )
            director_day = min(_between(rng, start, start + dt.timedelta(days=60)), today)
            user = ctx.user_of(plan.registrant)
            demo_registrant = (
                is_demo_trust and user is not None and user.email == (f"registrant@{DEMO_DOMAIN}")
            )
            if (stage in {"finished", "demo"} or rng.random() < share) and not demo_registrant:
                _director_checks(plan, day=director_day, version=version)
            done = len(plan.checks) == len(CheckKind)
            if is_demo_trust:
                is_sid = (
                    user is not None and ctx.sid_user is not None and user.pk == ctx.sid_user.pk
                )
                leave_pending = (
                    not pending_exec_done
                    and not plan.exists
                    and plan.role[3] == RoleCategory.EXECUTIVE_DIRECTOR
                    and user is None
                )
                if leave_pending:
                    pending_exec_done = True
                    for kind in (CheckKind.SOCIAL_MEDIA, CheckKind.EMPLOYMENT_TRIBUNALS):
                        plan.checks.pop(kind, None)
                elif done and registered and plan.role[3] != RoleCategory.CHAIR and not is_sid:
                    day = min(_between(rng, dt.date(2026, 9, 1), today), today)
                    last = max(v["checked_on"] for v in plan.checks.values())
                    _conclude(plan, day=max(day, last), chair=chair, sid=sid)
            elif done and registered:
                conclude = stage == "finished" or (stage == "part" and rng.random() < 0.5)
                if conclude:
                    last = max(v["checked_on"] for v in plan.checks.values())
                    _conclude(
                        plan,
                        day=min(_between(rng, last, last + dt.timedelta(days=30)), today),
                        chair=chair,
                        sid=sid,
                    )
            plans.append(plan)
    return plans


# --- Writing ------------------------------------------------------------------------


RATING_COLUMNS = ("assessment", "domain_ref", "domain_name", "rating", "evidence", "recorded_at")


def _write(ctx: _Context, year: int, plans: list[_Planned]) -> dict | None:
    plans = [plan for plan in plans if not plan.exists]
    if not plans:
        return None
    version, domains = _domains(dt.date(year, 10, 1) if year < YEAR_2026 else clock.today())
    assessments = [
        FitnessAssessment(
            registrant_id=plan.role[1],
            organisation_id=plan.role[2],
            career_role_id=plan.role[0],
            year=year,
            trigger=plan.trigger,
            opened_at=_at(plan.opened_on, 9),
            outcome=plan.outcome,
            conclusion_reasons=plan.reasons,
            concluded_as=plan.concluded_as,
            concluded_at=_at(plan.concluded_on, 16) if plan.outcome else None,
            concluded_by=plan.concluded_by if plan.outcome else None,
            concluded_by_label=plan.concluded_by_label if plan.outcome else "",
        )
        for plan in plans
    ]
    FitnessAssessment.objects.bulk_create(assessments, batch_size=500)
    checks, ratings, attestations, referrals = [], [], [], []
    rng = random.Random(SEED + year)
    for assessment, plan in zip(assessments, plans, strict=True):
        for kind in CheckKind:
            values = plan.checks.get(kind) or {}
            if values.get("outcome", CheckOutcome.PENDING) == CheckOutcome.PENDING:
                checks.append(
                    (assessment.pk, kind.value, CheckOutcome.PENDING, None, "", "", "", None, "")
                    + (assessment.opened_at, 1)
                )
                continue
            checked_by = values.get("checked_by")
            checks.append(
                (
                    assessment.pk,
                    kind.value,
                    values["outcome"],
                    values["checked_on"],
                    values.get("evidence_reference", ""),
                    values.get("not_applicable_reason", ""),
                    values.get("note", ""),
                    checked_by.pk if checked_by else values.get("checked_by_pk"),
                    values.get("checked_by_label", ""),
                    _at(values["checked_on"], 11),
                    1,
                )
            )
        if plan.declarations is not None:
            day = plan.checks[CheckKind.SELF_ATTESTATION]["checked_on"]
            attestations.append(
                SelfAttestation(
                    assessment=assessment,
                    confirms_requirements=not plan.declarations,
                    declarations=plan.declarations,
                    attested_at=_at(day, 12),
                    attested_by_id=plan.registrant.user_id,
                )
            )
        if plan.ratings and domains:
            at = _at(plan.checks[CheckKind.COMPETENCY]["checked_on"], 12)
            for domain in domains:
                rating = rng.choices(CompetencyRating.Rating.values, weights=(2, 6, 3), k=1)[0]
                ratings.append(
                    (assessment.pk, domain.ref, domain.name, rating, RATING_EVIDENCE[rating], at)
                )
        if plan.not_fit:
            referrals.append(
                NotFitReferral(
                    assessment=assessment,
                    reference=_next_referral_reference(plan.concluded_on.year),
                    created_at=_at(plan.concluded_on, 16),
                )
            )
    insert_rows(FitnessCheck, CHECK_COLUMNS, checks, prepared=False)
    insert_rows(CompetencyRating, RATING_COLUMNS, ratings, prepared=False)
    SelfAttestation.objects.bulk_create(attestations, batch_size=1000)
    NotFitReferral.objects.bulk_create(referrals)
    return {
        "assessments": len(assessments),
        "concluded": sum(1 for plan in plans if plan.outcome),
        "not_fit_and_proper": len(referrals),
    }


def fitness_demo_load(*, actor: str) -> None:
    """Load the demo assessments for 2025 and 2026.

    Anyone already assessed that year at that organisation (opened on appointment
    by the references demo, say, or by an earlier run) keeps their assessment, so
    loading again adds nothing.
    """
    ctx = _Context()
    counts = {}
    with transaction.atomic():
        for year, planner in ((YEAR_2025, _plan_2025), (YEAR_2026, _plan_2026)):
            written = _write(ctx, year, planner(ctx, random.Random(SEED + year)))
            if written:
                counts[str(year)] = written
        if counts:
            audit_record(
                actor=actor,
                action="fitness.demo.loaded",
                reason="demo data",
                payload={"years": counts},
            )
