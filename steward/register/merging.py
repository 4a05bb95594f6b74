"""Merging duplicate register records, keeping both histories.

The record kept (the survivor) takes over the duplicate's career roles,
qualifications and staff numbers, and learns its previous names (the
duplicate's legal name among them when it differs). The duplicate keeps its
own status history and its registration number, which is never reused and
from then on leads to the survivor (``merged_into``). Merges never chain: a
record merged into another cannot take or give a merge again, and records
merged earlier into the duplicate are pointed straight at the survivor.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from steward.audit.services import audit_record
from steward.core import clock
from steward.core.text import search_text
from steward.register.models import (
    CareerRole,
    PreviousName,
    Qualification,
    RegisterStatus,
    Registrant,
    StaffNumber,
)
from steward.register.services import StaleEdit

# Statuses that restrict practice: a merge must never hide one.
RESTRICTING_STATUSES = frozenset(
    {RegisterStatus.CONDITIONS, RegisterStatus.SUSPENDED, RegisterStatus.BARRED}
)
# Restricted details the survivor takes from the duplicate when it has none.
FILLABLE_FIELDS = ("date_of_birth", "email", "phone", "address")


def merge_problem(*, duplicate: Registrant, survivor: Registrant) -> str | None:
    """Why these two records cannot be merged, in words for people; None if they can."""
    if duplicate.pk == survivor.pk:
        return "You cannot merge a record into itself. Enter the duplicate's registration number."
    if duplicate.merged_into_id is not None:
        return (
            f"{duplicate.registration_number} was already merged into another record, "
            "so there is nothing left to merge."
        )
    if survivor.merged_into_id is not None:
        return (
            f"{survivor.registration_number} was itself merged into another record. "
            "Merge into that record instead."
        )
    if duplicate.user_id and survivor.user_id and duplicate.user_id != survivor.user_id:
        return (
            "Both records belong to different Steward accounts. Ask an administrator "
            "which account the person uses before merging."
        )
    if duplicate.status in RESTRICTING_STATUSES and duplicate.status != survivor.status:
        return (
            f"{duplicate.registration_number} is "
            f"{duplicate.get_status_display().lower()} but the record you are keeping is "
            f"{survivor.get_status_display().lower()}. Change the status of the record you "
            "are keeping first, so the merge does not hide a restriction."
        )
    return None


def registrant_merge(
    *,
    duplicate: Registrant,
    survivor: Registrant,
    actor,
    reason: str,
    duplicate_version: int | None = None,
    survivor_version: int | None = None,
) -> Registrant:
    """Merge ``duplicate`` into ``survivor``; returns the survivor, refreshed.

    Pass the versions the registrar saw on the confirmation page: if either
    record changed since, the merge is refused with ``StaleEdit``.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for merging these records."})
    if duplicate.pk == survivor.pk:
        raise ValidationError(merge_problem(duplicate=duplicate, survivor=survivor))
    with transaction.atomic():
        # Lock in primary-key order so two merges of the same pair cannot deadlock.
        locked = {
            r.pk: r
            for r in Registrant.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, survivor.pk])
            .order_by("pk")
        }
        dup, keep = locked[duplicate.pk], locked[survivor.pk]
        if (duplicate_version is not None and dup.version != duplicate_version) or (
            survivor_version is not None and keep.version != survivor_version
        ):
            raise StaleEdit()
        problem = merge_problem(duplicate=dup, survivor=keep)
        if problem:
            raise ValidationError(problem)

        moved_roles = list(CareerRole.objects.filter(registrant=dup).values_list("pk", flat=True))
        CareerRole.objects.filter(pk__in=moved_roles).update(registrant=keep)
        moved_qualifications = list(
            Qualification.objects.filter(registrant=dup).values_list("pk", flat=True)
        )
        Qualification.objects.filter(pk__in=moved_qualifications).update(registrant=keep)

        # A staff number moves unless the survivor already has one at that
        # organisation: then it stays on the duplicate, where it still leads here.
        kept_orgs = set(
            StaffNumber.objects.filter(registrant=keep).values_list("organisation_id", flat=True)
        )
        staff = list(StaffNumber.objects.filter(registrant=dup))
        moved_staff = [s.pk for s in staff if s.organisation_id not in kept_orgs]
        StaffNumber.objects.filter(pk__in=moved_staff).update(registrant=keep)

        names = [(p.forenames, p.surname) for p in PreviousName.objects.filter(registrant=dup)]
        if search_text(dup.legal_name) != search_text(keep.legal_name):
            names.append((dup.legal_forenames, dup.legal_surname))
        added_names = 0
        for forenames, surname in names:
            if search_text(f"{forenames} {surname}") == search_text(keep.legal_name):
                continue
            _, created = PreviousName.objects.get_or_create(
                registrant=keep, forenames=forenames, surname=surname
            )
            added_names += created

        filled = {
            f: getattr(dup, f) for f in FILLABLE_FIELDS if getattr(dup, f) and not getattr(keep, f)
        }
        user_moved = bool(dup.user_id and not keep.user_id)
        now = clock.now()
        earlier = list(dup.merged_records.values_list("pk", flat=True))
        Registrant.objects.filter(pk__in=earlier).update(merged_into=keep, updated_at=now)
        Registrant.objects.filter(pk=dup.pk).update(
            merged_into=keep,
            user=None,
            version=F("version") + 1,
            updated_at=now,
        )
        Registrant.objects.filter(pk=keep.pk).update(
            **filled,
            **({"user_id": dup.user_id} if user_moved else {}),
            version=F("version") + 1,
            updated_at=now,
        )
        payload = {
            "duplicate": dup.registration_number,
            "survivor": keep.registration_number,
            "career_roles_moved": len(moved_roles),
            "qualifications_moved": len(moved_qualifications),
            "staff_numbers_moved": len(moved_staff),
            "staff_numbers_left": len(staff) - len(moved_staff),
            "previous_names_added": added_names,
            "details_filled": sorted(filled),
            "sign_in_moved": user_moved,
            "earlier_merges_repointed": len(earlier),
        }
        audit_record(
            actor=actor,
            action="register.registrant.merged",
            reason=reason,
            subject=keep,
            payload=payload,
        )
        audit_record(
            actor=actor,
            action="register.registrant.merged_away",
            reason=reason,
            subject=dup,
            payload={"duplicate": dup.registration_number, "survivor": keep.registration_number},
        )
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    return survivor
