"""What appointment vetting learns from fitness-to-practise cases.

Added to every vetting through the references extension point (see
``references/vetting.py``), from ``CasesConfig.ready``:

- an open case is a warning (the fact of it only: nothing about the allegations);
- an interim order in force is shown as prominently as any suspension or
  conditions, saying it is an interim order;
- a bar (from a case or recorded before cases existed) already blocks, through the
  register status check.

Two queries at most for a whole batch of appointments.
"""

from steward.cases.models import OPEN_STAGES, Case, Sanction, SanctionKind, SanctionStatus
from steward.core.formatting import uk_date
from steward.references.vetting import Finding, VettingContext, vetting_check_add
from steward.register.models import RegisterStatus

INTERIM_STATUS = {
    SanctionKind.SUSPENSION: (RegisterStatus.SUSPENDED, "registrant_suspended"),
    SanctionKind.CONDITIONS: (RegisterStatus.CONDITIONS, "registrant_conditions"),
}


def _open_case_finding(name: str) -> Finding:
    return Finding(
        "open_case",
        f"{name} has an open fitness-to-practise case with the regulator. No decision has "
        "been made on it: it is not a finding against them. Take it into account, and "
        "check their register entry again before they start.",
    )


def _interim_finding(name: str, kind: str, ends_on) -> Finding:
    _status, code = INTERIM_STATUS[kind]
    until = f" until {uk_date(ends_on)}" if ends_on else ""
    if kind == SanctionKind.SUSPENSION:
        message = (
            f"{name} is suspended from the register by an interim order{until}, while a "
            "fitness-to-practise case is decided. They must not work as an NHS manager while "
            "it is in force. Read their register entry before you go any further with this "
            "appointment."
        )
    else:
        message = (
            f"{name} is registered with conditions set by an interim order{until}, while a "
            "fitness-to-practise case is decided. Read the conditions on their register "
            "entry and make sure they can keep to them in this role."
        )
    return Finding(code, message)


def check_cases(contexts: list[VettingContext]) -> None:
    """Open cases (a warning) and interim orders in force (shown prominently)."""
    if not contexts:
        return
    ids = {context.registrant.pk for context in contexts}
    with_open_case = set(
        Case.objects.filter(registrant_id__in=ids, stage__in=OPEN_STAGES).values_list(
            "registrant_id", flat=True
        )
    )
    restricted = {
        c.registrant.pk
        for c in contexts
        if c.registrant.status in (RegisterStatus.SUSPENDED, RegisterStatus.CONDITIONS)
    }
    interim: dict[int, dict] = {}
    if restricted:
        for registrant_id, kind, ends_on in (
            Sanction.objects.filter(
                registrant_id__in=restricted,
                interim=True,
                status=SanctionStatus.IN_FORCE,
                kind__in=list(INTERIM_STATUS),
            )
            .order_by("effective_from", "pk")
            .values_list("registrant_id", "kind", "ends_on")
        ):
            interim.setdefault(registrant_id, {})[kind] = ends_on
    for context in contexts:
        person = context.registrant
        name = person.display_name
        vetting = context.vetting
        for kind, ends_on in interim.get(person.pk, {}).items():
            status, code = INTERIM_STATUS[SanctionKind(kind)]
            if person.status != status:
                continue
            finding = _interim_finding(name, SanctionKind(kind), ends_on)
            # Replace the plain status finding with one that says it is an interim
            # order, keeping its place among the prominent findings.
            for i, existing in enumerate(vetting.warnings):
                if existing.code == code:
                    vetting.warnings[i] = finding
                    break
            else:
                vetting.warnings.insert(0, finding)
        if person.pk in with_open_case:
            vetting.warnings.append(_open_case_finding(name))


def register() -> None:
    vetting_check_add(check_cases)
