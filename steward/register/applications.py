"""Applications to join the register: someone signed in applies, a registrar decides.

Approving creates the person's register record (linked to their sign-in, so
they can keep it up to date) and gives them the registrant role if they lack
it. Refusing needs reasons, which the applicant sees. Both are audited; the
audit trail never holds the applicant's restricted details (date of birth,
contact details, previous names), only that an application exists.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from steward.audit.services import audit_record
from steward.core import clock
from steward.register.models import ApplicationStatus, Registrant, RegistrationApplication

MAX_PREVIOUS_NAMES = 10
MAX_NAME_LENGTH = 200
MIN_AGE = 16


def previous_names_parse(text: str) -> list[tuple[str, str]]:
    """Previous names written one per line, as ``(forenames, surname)`` pairs.

    "Jane Smith" is forename Jane, surname Smith; "Smith" alone is a previous
    surname only; a comma makes the split explicit for surnames of more than one
    word: "de la Cruz, Maria" is forename Maria, surname de la Cruz.
    """
    names: list[tuple[str, str]] = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if "," in line:
            surname, _, forenames = line.partition(",")
            surname, forenames = surname.strip(), forenames.strip()
        else:
            *first, surname = line.split(" ")
            forenames = " ".join(first)
        if surname and (forenames, surname) not in names:
            names.append((forenames, surname))
    return names


def previous_name_line(forenames: str, surname: str) -> str:
    """One name as a line that :func:`previous_names_parse` reads back the same."""
    if " " in surname:
        return f"{surname}, {forenames}" if forenames else f"{surname},"
    return f"{forenames} {surname}".strip()


def _validate_previous_names(text: str) -> None:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_PREVIOUS_NAMES:
        raise ValidationError(
            {"previous_names": f"Enter up to {MAX_PREVIOUS_NAMES} previous names."}
        )
    for forenames, surname in previous_names_parse(text):
        if not surname:
            raise ValidationError(
                {"previous_names": "Each previous name needs a surname, like Jane Smith."}
            )
        if len(forenames) > MAX_NAME_LENGTH or len(surname) > MAX_NAME_LENGTH:
            raise ValidationError(
                {
                    "previous_names": (
                        f"Each part of a name must be {MAX_NAME_LENGTH} characters or fewer."
                    )
                }
            )


def application_validate(
    *,
    legal_forenames: str,
    legal_surname: str,
    date_of_birth,
    email: str,
    previous_names: str = "",
    **_ignored,
) -> None:
    """Check an application's answers without saving (for the check-your-answers step)."""
    _validate_application(
        legal_forenames=legal_forenames,
        legal_surname=legal_surname,
        date_of_birth=date_of_birth,
        email=email,
    )
    _validate_previous_names(previous_names)


def _validate_application(
    *, legal_forenames: str, legal_surname: str, date_of_birth, email: str
) -> None:
    errors: dict[str, str] = {}
    if not legal_forenames.strip():
        errors["legal_forenames"] = "Enter your legal forename or forenames."
    if not legal_surname.strip():
        errors["legal_surname"] = "Enter your legal surname."
    for name, value in (("legal_forenames", legal_forenames), ("legal_surname", legal_surname)):
        if len(value.strip()) > MAX_NAME_LENGTH:
            errors[name] = f"Names must be {MAX_NAME_LENGTH} characters or fewer."
    today = clock.today()
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter your date of birth."
    elif date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be in the past."
    elif date_of_birth.year < today.year - 110:
        errors["date_of_birth"] = "Check the year of your date of birth."
    elif date_of_birth > _years_before(today, MIN_AGE):
        errors["date_of_birth"] = f"You must be at least {MIN_AGE} to join the register."
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = "Enter an email address in the right format, like name@example.com."
    if errors:
        raise ValidationError(errors)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def application_submit(
    *,
    applicant,
    legal_forenames: str,
    legal_surname: str,
    date_of_birth: dt.date,
    email: str,
    known_as: str = "",
    previous_names: str = "",
    phone: str = "",
) -> RegistrationApplication:
    """Apply to join the register. One open application at a time; none once on it."""
    application_validate(
        legal_forenames=legal_forenames,
        legal_surname=legal_surname,
        date_of_birth=date_of_birth,
        email=email,
        previous_names=previous_names,
    )
    with transaction.atomic():
        if Registrant.objects.filter(user=applicant).exists():
            raise ValidationError("You are already on the register.")
        if RegistrationApplication.objects.filter(
            applicant=applicant, status=ApplicationStatus.SUBMITTED
        ).exists():
            raise ValidationError(
                "You have already applied. You can apply again if the registrar refuses it."
            )
        application = RegistrationApplication.objects.create(
            applicant=applicant,
            legal_forenames=" ".join(legal_forenames.split()),
            legal_surname=" ".join(legal_surname.split()),
            known_as=" ".join(known_as.split()),
            previous_names="\n".join(
                previous_name_line(forenames, surname)
                for forenames, surname in previous_names_parse(previous_names)
            ),
            date_of_birth=date_of_birth,
            email=email.strip().lower(),
            phone=phone.strip(),
        )
        audit_record(
            actor=applicant,
            action="register.application.submitted",
            reason="applied to join the register",
            subject=application,
            payload={"application": application.pk},
        )
    return application


def application_decide(
    *, application: RegistrationApplication, approve: bool, reason: str, actor
) -> RegistrationApplication:
    """Approve (creating the register record) or refuse (with reasons) an application."""
    from steward.accounts.models import RoleAssignment
    from steward.accounts.services import role_grant
    from steward.register.services import registrant_create

    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": "Give the reasons for refusing the application."})
    with transaction.atomic():
        locked = (
            RegistrationApplication.objects.select_for_update()
            .select_related("applicant")
            .get(pk=application.pk)
        )
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(
                f"This application was already decided: {locked.get_status_display().lower()}."
            )
        if locked.applicant_id == getattr(actor, "pk", None):
            raise ValidationError("You cannot decide your own application.")
        registrant = None
        if approve:
            if Registrant.objects.filter(user_id=locked.applicant_id).exists():
                raise ValidationError(
                    "The applicant is already on the register. Refuse this application "
                    "and say so, or merge the records."
                )
            registrant = registrant_create(
                legal_forenames=locked.legal_forenames,
                legal_surname=locked.legal_surname,
                known_as=locked.known_as,
                date_of_birth=locked.date_of_birth,
                email=locked.email,
                phone=locked.phone,
                previous_names=previous_names_parse(locked.previous_names),
                user=locked.applicant,
                actor=actor,
                reason=reason or f"Application {locked.pk} approved.",
            )
            has_role = (
                RoleAssignment.objects.current()
                .filter(user_id=locked.applicant_id, role="registrant")
                .exists()
            )
            if not has_role:
                role_grant(
                    user=locked.applicant,
                    role="registrant",
                    actor=actor,
                    reason=f"Joined the register as {registrant.registration_number}.",
                )
        locked.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REFUSED
        locked.decided_at = clock.now()
        locked.decided_by = actor
        locked.decision_reason = reason
        locked.registrant = registrant
        locked.save(
            update_fields=["status", "decided_at", "decided_by", "decision_reason", "registrant"]
        )
        audit_record(
            actor=actor,
            action="register.application.decided",
            reason=reason or "approved",
            subject=locked,
            payload={
                "application": locked.pk,
                "outcome": locked.status,
                "registration_number": registrant.registration_number if registrant else None,
            },
        )
    return locked
