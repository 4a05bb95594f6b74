"""The roles people hold in Steward: what each is, its scope, and what it can do.

This is the single description of roles used by the role pages, the home
pages, navigation, MFA enforcement and the demo data.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Scope(StrEnum):
    NONE = "none"  # the role is held nationally (regulator staff, registrants)
    ORGANISATION = "organisation"
    REGION = "region"
    ORGANISATION_OR_REGION = "organisation_or_region"


class Group(StrEnum):
    REGISTRANT = "Registrants"
    EMPLOYER = "Employers"
    REGIONAL = "Regional oversight"
    REGULATOR = "The regulator"
    DATA_REQUESTS = "Data requests"


@dataclass(frozen=True)
class Task:
    text: str
    url_name: str | None = None  # None: part of the role, arriving in a later release
    nav_label: str | None = None  # shown in the header navigation when set


@dataclass(frozen=True)
class RoleInfo:
    slug: str
    name: str
    group: Group
    scope: Scope
    summary: str
    responsibilities: tuple[str, ...]
    tasks: tuple[Task, ...] = field(default_factory=tuple)
    requires_mfa: bool = False


FIND_ORGANISATIONS = Task("Find an NHS organisation", "organisations:list")
AUDIT_TRAIL = Task("Browse and filter the audit trail", "audit:list", "Audit trail")
MANAGE_PEOPLE = Task("Manage people and their roles", "people", "People")
ORGANISATION_PEOPLE = Task("See who holds Steward roles at your organisation", "people", "People")
ROSTER = Task("Keep the board and senior manager roster", "roster:list", "Roster")
FITNESS = Task(
    "Run the annual fit and proper person test", "fitness:organisation_start", "Fit and proper"
)
APPOINTMENTS = Task(
    "Propose board appointments and see their vetting", "references:appointments", "Appointments"
)
REFERENCES = Task("Request and give board member references", "references:requests", "References")
READ_STANDARDS = Task("Read the code of conduct and the standards", "standards:current")
SEE_CASES = Task("See fitness-to-practise cases", "cases:list", "Cases")
DECLARE_INTERESTS = Task(
    "Declare your interests so conflicts of interest can be checked", "cases:interests"
)
CASE_TIMELINESS = Task("See how long fitness-to-practise cases take", "cases:timeliness")
CONCERN_REFERRALS = Task(
    "Read concerns the regulator has referred to you", "concerns:referrals", "Referred concerns"
)

ROLES: tuple[RoleInfo, ...] = (
    RoleInfo(
        "registrant",
        "Registrant",
        Group.REGISTRANT,
        Scope.NONE,
        "An NHS manager on the register.",
        (
            "Keep your register record and career history up to date.",
            "Complete your annual self-attestation and competency self-assessment.",
            "Log development and ask for 360-degree feedback.",
            "See and answer any concern or case about you, and appeal a decision.",
        ),
        (
            Task("See and update your register record", "register_manage:my_record", "My record"),
            Task(
                "Complete your fit and proper self-assessment and attestation",
                "fitness:mine",
                "Fit and proper",
            ),
            Task("See the references given about you", "references:mine"),
            Task("See the concerns you raised and reply", "concerns:mine"),
            Task("See any fitness-to-practise case about you", "cases:mine", "My cases"),
            READ_STANDARDS,
            FIND_ORGANISATIONS,
        ),
    ),
    RoleInfo(
        "chair",
        "Chair",
        Group.EMPLOYER,
        Scope.ORGANISATION,
        "Chairs the board of one NHS organisation.",
        (
            "Conclude the annual fit and proper person test for each board member.",
            "Submit the organisation's annual fit and proper return to the regional director.",
            "Approve board appointments once references and vetting are complete.",
        ),
        (
            ROSTER,
            FITNESS,
            APPOINTMENTS,
            REFERENCES,
            CONCERN_REFERRALS,
            ORGANISATION_PEOPLE,
            FIND_ORGANISATIONS,
        ),
    ),
    RoleInfo(
        "chief_executive",
        "Chief executive",
        Group.EMPLOYER,
        Scope.ORGANISATION,
        "Leads one NHS organisation as its accountable officer.",
        (
            "Keep the board and senior manager roster accurate.",
            "Refer concerns about managers and receive alerts about restrictions.",
        ),
        (
            ROSTER,
            FITNESS,
            APPOINTMENTS,
            REFERENCES,
            CONCERN_REFERRALS,
            ORGANISATION_PEOPLE,
            FIND_ORGANISATIONS,
        ),
    ),
    RoleInfo(
        "senior_independent_director",
        "Senior independent director",
        Group.EMPLOYER,
        Scope.ORGANISATION,
        "The non-executive director who acts as a check on the chair.",
        ("Conclude the chair's own annual fit and proper person test.",),
        (ROSTER, FITNESS, ORGANISATION_PEOPLE, FIND_ORGANISATIONS),
    ),
    RoleInfo(
        "hr_lead",
        "HR lead or company secretary",
        Group.EMPLOYER,
        Scope.ORGANISATION,
        "Runs the organisation's people processes and board administration.",
        (
            "Maintain the board and senior manager roster.",
            "Request and give standardised board member references.",
            "Run the checks of the fit and proper person test.",
            "Upload workforce records in bulk.",
        ),
        (
            ROSTER,
            FITNESS,
            APPOINTMENTS,
            REFERENCES,
            CONCERN_REFERRALS,
            ORGANISATION_PEOPLE,
            FIND_ORGANISATIONS,
        ),
    ),
    RoleInfo(
        "regional_director",
        "Regional director",
        Group.REGIONAL,
        Scope.REGION,
        "NHS England's director for one of the seven regions.",
        (
            "Receive and review annual fit and proper returns from the region's organisations.",
            "See organisation risk and board experience across the region.",
            "Sign off ad hoc data requests.",
        ),
        (
            Task(
                "Review the region's annual fit and proper returns",
                "fitness:region_start",
                "FPPT returns",
            ),
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "caseworker",
        "Caseworker",
        Group.REGULATOR,
        Scope.NONE,
        "Regulator staff who triage concerns and investigate cases.",
        (
            "Triage concerns against the standards.",
            "Message people who raised concerns, including anonymous reporters.",
            "Investigate fitness-to-practise cases.",
        ),
        (
            Task("Triage concerns", "concerns:queue", "Concerns"),
            Task("Open and work on fitness-to-practise cases", "cases:list", "Cases"),
            CASE_TIMELINESS,
            Task(
                "Review detriment flags: employers' action against people who raised concerns",
                "concerns:detriment",
                "Detriment",
            ),
            Task(
                "See directors found not fit and proper, referred by their employers",
                "fitness:referrals",
                "FPPT referrals",
            ),
            READ_STANDARDS,
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "custodian",
        "Concerns custodian",
        Group.REGULATOR,
        Scope.NONE,
        "Guards the identity of people who raise concerns in confidence.",
        (
            "Approve or refuse requests to reveal a confidential reporter's identity "
            "outside the concerns team, with reasons.",
            "Never approve a request you made yourself.",
        ),
        (
            Task(
                "Decide requests to reveal a reporter's identity",
                "concerns:reveals",
                "Reveal requests",
            ),
            READ_STANDARDS,
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "case_examiner",
        "Case examiner",
        Group.REGULATOR,
        Scope.NONE,
        "Decides after investigation whether a case goes to a panel.",
        (
            "Decide cases in pairs (one lay, one manager examiner), with reasons.",
            "Offer advice, warnings or agreed undertakings, or refer to a panel.",
        ),
        (
            Task("Decide cases waiting for the case examiners", "cases:examiners", "Examiners"),
            DECLARE_INTERESTS,
            SEE_CASES,
            CASE_TIMELINESS,
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "registrar",
        "Registrar",
        Group.REGULATOR,
        Scope.NONE,
        "Keeps the register accurate.",
        (
            "Approve or refuse applications to join the register.",
            "Verify qualifications and change register status with reasons.",
            "Merge duplicate records.",
        ),
        (
            Task(
                "See directors found not fit and proper, referred by their employers",
                "fitness:referrals",
            ),
            Task("See what waits for the registrar", "register_manage:registrar_home", "Registrar"),
            Task("See concerns flagged for urgent action", "concerns:urgent", "Urgent concerns"),
            SEE_CASES,
            Task("Decide applications to join the register", "register_manage:applications"),
            Task("Verify qualifications", "register_manage:qualifications"),
            Task("Find a record to change its status or merge it", "register_manage:records"),
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "hearings_officer",
        "Hearings officer",
        Group.REGULATOR,
        Scope.NONE,
        "Arranges panels and hearings.",
        (
            "Form panels and check them for conflicts of interest.",
            "Schedule hearings and serve notice.",
            "Issue determinations.",
        ),
        (
            Task("Arrange hearings and panels, and see reviews due", "cases:hearings", "Hearings"),
            Task("Issue determinations and decide appeals", "cases:outcomes", "Outcomes"),
            SEE_CASES,
            CASE_TIMELINESS,
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "panel_member",
        "Panel member",
        Group.REGULATOR,
        Scope.NONE,
        "Sits on fitness-to-practise panels as a lay or a manager member.",
        (
            "Read the hearing bundle.",
            "Decide facts, impairment and sanction, with reasons.",
            "Declare interests so conflicts can be checked.",
        ),
        (
            Task(
                "See the hearings you sit on and read their bundles", "cases:hearings", "Hearings"
            ),
            Task("Record the findings of the hearings you sat on", "cases:outcomes", "Findings"),
            Task(
                "Declare your interests so conflicts of interest can be checked",
                "cases:interests",
                "Interests",
            ),
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "auditor",
        "Auditor",
        Group.REGULATOR,
        Scope.NONE,
        "Checks that every decision was recorded and explained.",
        (
            "Browse and filter the audit trail.",
            "Verify that the audit trail has not been tampered with.",
            "See who viewed restricted data.",
        ),
        (AUDIT_TRAIL, FIND_ORGANISATIONS),
        requires_mfa=True,
    ),
    RoleInfo(
        "administrator",
        "Administrator",
        Group.REGULATOR,
        Scope.NONE,
        "Runs Steward: the people who use it and their roles.",
        (
            "Give people roles and take them away, with reasons.",
            "Look after the service's settings and reference data.",
            "Edit and publish the standards.",
            "Open each year's fit and proper person assessments.",
        ),
        (
            MANAGE_PEOPLE,
            Task("Edit and publish the standards", "standards:manage", "Edit standards"),
            Task("Open the year's fit and proper assessments", "fitness:open_year"),
            FIND_ORGANISATIONS,
        ),
        requires_mfa=True,
    ),
    RoleInfo(
        "data_request_issuer",
        "Data-request issuer",
        Group.DATA_REQUESTS,
        Scope.ORGANISATION_OR_REGION,
        "Sends requests for information to NHS organisations for a national or regional body.",
        (
            "Log each request: purpose, legal basis, estimated time and deadline.",
            "Get sign-off for ad hoc requests and give feedback on returns.",
        ),
        (FIND_ORGANISATIONS,),
    ),
    RoleInfo(
        "data_request_responder",
        "Data-request responder",
        Group.DATA_REQUESTS,
        Scope.ORGANISATION,
        "Answers data requests for one NHS organisation.",
        ("Record the actual time each request took to answer.",),
        (FIND_ORGANISATIONS,),
    ),
)

ROLES_BY_SLUG: dict[str, RoleInfo] = {role.slug: role for role in ROLES}
EMPLOYER_ROLES = frozenset(r.slug for r in ROLES if r.group is Group.EMPLOYER)
REGULATOR_ROLES = frozenset(r.slug for r in ROLES if r.group is Group.REGULATOR)
MFA_ROLES = frozenset(r.slug for r in ROLES if r.requires_mfa)

SCOPE_DESCRIPTIONS = {
    Scope.NONE: "Nationally",
    Scope.ORGANISATION: "One NHS organisation",
    Scope.REGION: "One NHS England region",
    Scope.ORGANISATION_OR_REGION: "A national body or one NHS England region",
}
