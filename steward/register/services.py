"""Every write to the register: records, status, career roles, qualifications.

Each service validates, changes state, and writes an audit event with the
actor and reason, in one transaction. Edits of records people change by hand
use optimistic locking: the caller passes the ``version`` it read, and a save
over someone else's newer change is refused with ``StaleEdit``.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from steward.audit.services import audit_record
from steward.core import clock
from steward.core.actors import actor_user
from steward.core.stale import StaleEdit as CoreStaleEdit
from steward.register.models import (
    CareerRole,
    PreviousName,
    Qualification,
    QualificationStatus,
    RegisterSequence,
    RegisterStatus,
    Registrant,
    RoleCategory,
    StaffNumber,
    StatusChange,
)
from steward.register.numbers import MAX_SERIAL, registration_number

STALE_MESSAGE = (
    "Someone else changed this record after you opened it, so your changes were not "
    "saved. Reload the page to see their changes, then make yours again."
)

# Fields people may edit on a record, and which of them are restricted (their
# values never go into the audit trail, only that they changed).
REGISTRANT_EDITABLE = {
    "legal_forenames": False,
    "legal_surname": False,
    "known_as": False,
    "date_of_birth": True,
    "email": True,
    "phone": True,
    "address": True,
}
CAREER_ROLE_EDITABLE = {
    "title": False,
    "category": False,
    "start_date": False,
    "end_date": False,
    "is_interim": False,
    "reason_for_leaving": True,
    "settlement_agreement": True,
    "settlement_confidentiality_terms": True,
}


class StaleEdit(CoreStaleEdit):
    default_message = STALE_MESSAGE


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for this change."})


def registration_numbers_issue(count: int = 1) -> list[str]:
    """Reserve the next ``count`` registration numbers. Never reused, even if unused."""
    with transaction.atomic():
        sequence, _ = RegisterSequence.objects.select_for_update().get_or_create(
            name="registration"
        )
        first = sequence.last_value + 1
        last = sequence.last_value + count
        if last > MAX_SERIAL:
            raise ValidationError("The register has run out of registration numbers.")
        sequence.last_value = last
        sequence.save(update_fields=["last_value"])
    return [registration_number(serial) for serial in range(first, last + 1)]


def _validate_names(*, legal_forenames: str, legal_surname: str) -> None:
    errors = {}
    if not legal_forenames.strip():
        errors["legal_forenames"] = "Enter their legal forename or forenames."
    if not legal_surname.strip():
        errors["legal_surname"] = "Enter their legal surname."
    if errors:
        raise ValidationError(errors)


def _validate_date_of_birth(value: dt.date | None) -> None:
    if value is None:
        return
    today = clock.today()
    if value > today:
        raise ValidationError({"date_of_birth": "Date of birth must be in the past."})
    if value.year < today.year - 110:
        raise ValidationError({"date_of_birth": "Check the year of birth."})


def registrant_create(
    *,
    legal_forenames: str,
    legal_surname: str,
    actor,
    reason: str,
    known_as: str = "",
    date_of_birth: dt.date | None = None,
    email: str = "",
    phone: str = "",
    previous_names: Iterable[tuple[str, str]] = (),
    status: str = RegisterStatus.REGISTERED,
    user=None,
    registration_number: str | None = None,
) -> Registrant:
    """Add someone to the register with a new registration number."""
    _require_reason(reason)
    _validate_names(legal_forenames=legal_forenames, legal_surname=legal_surname)
    _validate_date_of_birth(date_of_birth)
    with transaction.atomic():
        number = registration_number or registration_numbers_issue(1)[0]
        registrant = Registrant.objects.create(
            registration_number=number,
            legal_forenames=legal_forenames.strip(),
            legal_surname=legal_surname.strip(),
            known_as=known_as.strip(),
            date_of_birth=date_of_birth,
            email=email.strip().lower(),
            phone=phone.strip(),
            status=status,
            status_since=clock.today(),
            user=user,
        )
        for forenames, surname in previous_names:
            if surname.strip():
                PreviousName.objects.get_or_create(
                    registrant=registrant, forenames=forenames.strip(), surname=surname.strip()
                )
        StatusChange.objects.create(
            registrant=registrant,
            from_status="",
            to_status=status,
            effective_on=registrant.status_since,
            reason=reason,
            actor=actor_user(actor),
            actor_label=str(actor or "system"),
        )
        audit_record(
            actor=actor,
            action="register.registrant.created",
            reason=reason,
            subject=registrant,
            payload={"registration_number": number, "status": status},
        )
    return registrant


def _apply_versioned_update(*, model, pk: int, expected_version: int, values: dict) -> None:
    updated = model.objects.filter(pk=pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=clock.now()
    )
    if updated != 1:
        raise StaleEdit()


def registrant_update(
    *, registrant: Registrant, expected_version: int, changes: dict, actor, reason: str
) -> Registrant:
    """Change a record's names or restricted details; refused if someone saved first."""
    unknown = set(changes) - set(REGISTRANT_EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    _require_reason(reason)
    current = {field: getattr(registrant, field) for field in changes}
    changed = {f: v for f, v in changes.items() if v != current[f]}
    merged = {
        "legal_forenames": registrant.legal_forenames,
        "legal_surname": registrant.legal_surname,
        **changed,
    }
    _validate_names(
        legal_forenames=merged["legal_forenames"], legal_surname=merged["legal_surname"]
    )
    _validate_date_of_birth(changed.get("date_of_birth"))
    with transaction.atomic():
        if not changed:
            if Registrant.objects.filter(pk=registrant.pk, version=expected_version).exists():
                return registrant
            raise StaleEdit()
        for field, value in changed.items():
            setattr(registrant, field, value)
        registrant.refresh_search_keys()
        _apply_versioned_update(
            model=Registrant,
            pk=registrant.pk,
            expected_version=expected_version,
            values={
                **changed,
                "surname_key": registrant.surname_key,
                "names_key": registrant.names_key,
            },
        )
        audit_record(
            actor=actor,
            action="register.registrant.updated",
            reason=reason,
            subject=registrant,
            payload={
                "fields": sorted(changed),
                "public_values": {f: v for f, v in changed.items() if not REGISTRANT_EDITABLE[f]},
            },
        )
    registrant.refresh_from_db()
    return registrant


def register_status_change(
    *,
    registrant: Registrant,
    to_status: str,
    reason: str,
    actor,
    effective_on: dt.date | None = None,
) -> StatusChange:
    """Change register status, keeping the dated history. The only way status changes."""
    _require_reason(reason)
    if to_status not in RegisterStatus.values:
        raise ValidationError({"to_status": "Choose a register status from the list."})
    effective_on = effective_on or clock.today()
    with transaction.atomic():
        locked = Registrant.objects.select_for_update().get(pk=registrant.pk)
        if locked.merged_into_id is not None:
            raise ValidationError("This record was merged into another; change that one.")
        if locked.status == to_status:
            raise ValidationError(
                {"to_status": f"The status is already {locked.get_status_display().lower()}."}
            )
        change = StatusChange.objects.create(
            registrant=locked,
            from_status=locked.status,
            to_status=to_status,
            effective_on=effective_on,
            reason=reason,
            actor=actor_user(actor),
            actor_label=str(actor or "system"),
        )
        Registrant.objects.filter(pk=locked.pk).update(
            status=to_status,
            status_since=effective_on,
            version=F("version") + 1,
            updated_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="register.status.changed",
            reason=reason,
            subject=locked,
            payload={
                "from": change.from_status,
                "to": to_status,
                "effective_on": effective_on,
            },
        )
    registrant.refresh_from_db()
    return change


def _validate_role_dates(start_date, end_date) -> None:
    if start_date is None:
        raise ValidationError({"start_date": "Enter the date they started."})
    if end_date is not None and end_date < start_date:
        raise ValidationError(
            {"end_date": "The end date must be the same as or after the start date."}
        )


def career_role_add(
    *,
    registrant: Registrant,
    organisation,
    title: str,
    category: str,
    start_date: dt.date,
    actor,
    reason: str,
    end_date: dt.date | None = None,
    is_interim: bool = False,
    reason_for_leaving: str = "",
    settlement_agreement: bool = False,
    settlement_confidentiality_terms: bool = False,
) -> CareerRole:
    _require_reason(reason)
    if not title.strip():
        raise ValidationError({"title": "Enter the role's title."})
    if category not in RoleCategory.values:
        raise ValidationError({"category": "Choose a role category from the list."})
    _validate_role_dates(start_date, end_date)
    if settlement_confidentiality_terms and not settlement_agreement:
        raise ValidationError(
            {"settlement_confidentiality_terms": "Confidentiality terms need a settlement."}
        )
    with transaction.atomic():
        role = CareerRole.objects.create(
            registrant=registrant,
            organisation=organisation,
            title=title.strip(),
            category=category,
            start_date=start_date,
            end_date=end_date,
            is_interim=is_interim,
            reason_for_leaving=reason_for_leaving.strip(),
            settlement_agreement=settlement_agreement,
            settlement_confidentiality_terms=settlement_confidentiality_terms,
        )
        audit_record(
            actor=actor,
            action="register.career_role.added",
            reason=reason,
            subject=registrant,
            payload={
                "career_role": role.pk,
                "organisation": organisation.ods_code,
                "category": category,
                "start_date": start_date,
                "end_date": end_date,
            },
        )
    return role


def career_role_update(
    *, role: CareerRole, expected_version: int, changes: dict, actor, reason: str
) -> CareerRole:
    """Change a career role (including ending it); refused if someone saved first."""
    unknown = set(changes) - set(CAREER_ROLE_EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    _require_reason(reason)
    changed = {f: v for f, v in changes.items() if v != getattr(role, f)}
    start = changed.get("start_date", role.start_date)
    end = changed.get("end_date", role.end_date)
    _validate_role_dates(start, end)
    if "category" in changed and changed["category"] not in RoleCategory.values:
        raise ValidationError({"category": "Choose a role category from the list."})
    agreement = changed.get("settlement_agreement", role.settlement_agreement)
    terms = changed.get("settlement_confidentiality_terms", role.settlement_confidentiality_terms)
    if terms and not agreement:
        raise ValidationError(
            {"settlement_confidentiality_terms": "Confidentiality terms need a settlement."}
        )
    with transaction.atomic():
        if not changed:
            if CareerRole.objects.filter(pk=role.pk, version=expected_version).exists():
                return role
            raise StaleEdit()
        _apply_versioned_update(
            model=CareerRole, pk=role.pk, expected_version=expected_version, values=changed
        )
        audit_record(
            actor=actor,
            action="register.career_role.updated",
            reason=reason,
            subject=role.registrant,
            payload={
                "career_role": role.pk,
                "fields": sorted(changed),
                "public_values": {f: v for f, v in changed.items() if not CAREER_ROLE_EDITABLE[f]},
            },
        )
    role.refresh_from_db()
    return role


def previous_name_add(*, registrant: Registrant, forenames: str, surname: str, actor, reason: str):
    _require_reason(reason)
    if not surname.strip():
        raise ValidationError({"surname": "Enter the previous surname."})
    with transaction.atomic():
        name, created = PreviousName.objects.get_or_create(
            registrant=registrant, forenames=forenames.strip(), surname=surname.strip()
        )
        if created:
            audit_record(
                actor=actor,
                action="register.previous_name.added",
                reason=reason,
                subject=registrant,
                payload={"previous_name": name.pk},
            )
    return name


def staff_number_set(*, registrant: Registrant, organisation, employee_number: str, actor):
    """Record the employer's staff number for the person (restricted)."""
    employee_number = employee_number.strip()
    if not employee_number:
        raise ValidationError({"employee_number": "Enter the staff number."})
    with transaction.atomic():
        clash = (
            StaffNumber.objects.filter(organisation=organisation, employee_number=employee_number)
            .exclude(registrant=registrant)
            .exists()
        )
        if clash:
            raise ValidationError(
                {"employee_number": "Another person already has this staff number here."}
            )
        staff, created = StaffNumber.objects.get_or_create(
            registrant=registrant,
            organisation=organisation,
            defaults={"employee_number": employee_number},
        )
        if not created and staff.employee_number != employee_number:
            staff.employee_number = employee_number
            staff.save(update_fields=["employee_number"])
            created = True
        if created:
            audit_record(
                actor=actor,
                action="register.staff_number.set",
                reason="staff number recorded",
                subject=registrant,
                payload={"organisation": organisation.ods_code},
            )
    return staff


def qualification_add(
    *,
    registrant: Registrant,
    title: str,
    awarding_body: str,
    actor,
    awarded_on: dt.date | None = None,
    evidence_reference: str = "",
) -> Qualification:
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the qualification's title."
    if not awarding_body.strip():
        errors["awarding_body"] = "Enter who awarded it."
    if awarded_on and awarded_on > clock.today():
        errors["awarded_on"] = "The date awarded must be in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        qualification = Qualification.objects.create(
            registrant=registrant,
            title=title.strip(),
            awarding_body=awarding_body.strip(),
            awarded_on=awarded_on,
            evidence_reference=evidence_reference.strip(),
        )
        audit_record(
            actor=actor,
            action="register.qualification.added",
            reason="qualification added for verification",
            subject=registrant,
            payload={"qualification": qualification.pk, "title": qualification.title},
        )
    return qualification


def qualification_decide(
    *, qualification: Qualification, verified: bool, note: str, actor
) -> Qualification:
    """A registrar verifies a qualification (it becomes public) or says it is not verified."""
    if not verified and not note.strip():
        raise ValidationError({"note": "Say why the qualification could not be verified."})
    with transaction.atomic():
        locked = Qualification.objects.select_for_update().get(pk=qualification.pk)
        if locked.status != QualificationStatus.PENDING:
            raise ValidationError("This qualification has already been decided.")
        locked.status = QualificationStatus.VERIFIED if verified else QualificationStatus.REJECTED
        locked.decided_at = clock.now()
        locked.decided_by = actor_user(actor)
        locked.decision_note = note.strip()
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor,
            action="register.qualification.decided",
            reason=note or "verified",
            subject=locked.registrant,
            payload={"qualification": locked.pk, "status": locked.status},
        )
    return locked
