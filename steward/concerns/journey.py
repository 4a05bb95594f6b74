"""Raising a concern: the questions, their order, and answers carried between pages.

There is no server-side session for this journey (ADR 005): a session row would
record an expiry time to the second. The answers so far travel from page to page
in one hidden field, signed (``django.core.signing`` with a salt used only here)
so they cannot be changed on the way, and limited in size. The signature carries
the time the page was shown (only there: it is never stored), and answers older
than ``CONCERNS_JOURNEY_MAX_AGE_SECONDS`` (six hours) are refused. A state that
has been changed, is too large or too old cannot be read: the reporter is asked
to start again.

Each question is a step with a slug (``/concerns/new/<slug>/``). Which steps apply
depends on earlier answers (a manager's details only when the concern is about a
manager; contact details only when not anonymous). "Change" on the check page
comes back to the check page once nothing the change made necessary is missing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from steward.concerns import forms_report as forms
from steward.concerns import ratelimit, services
from steward.concerns.models import Anonymity, DailyCount
from steward.core import clock
from steward.organisations.models import Organisation
from steward.organisations.selectors import ODS_CODE_SHAPE, organisation_search
from steward.register import public

SALT = "steward.concerns.journey.answers.v2"
MAX_STATE_CHARS = 300_000
FIRST = "about"
CHECK = "check"
SEARCH_RESULTS = 10
# Marks a journey's answers as sent, for the day, so sending the same page twice
# (a browser asked to resend it) does not raise the concern twice.
SENT_BUCKET = ratelimit.JOURNEY_SENT


class BadState(Exception):
    """The answers carried between pages were missing, changed or too large."""


class AlreadySent(Exception):
    """These answers were sent already."""


class StepNeeded(Exception):
    """An answer is missing or no longer holds: ask the question again."""

    def __init__(self, slug: str, message: str = ""):
        super().__init__(slug)
        self.slug = slug
        self.message = message


# --- The steps ----------------------------------------------------------------------


def _always(answers: dict) -> bool:
    return True


def _about_manager(answers: dict) -> bool:
    return answers.get("about") == "manager"


def _describing_manager(answers: dict) -> bool:
    return _about_manager(answers) and answers.get("manager_mode") == "describe"


def _named(answers: dict) -> bool:
    return answers.get("anonymity") in (Anonymity.OPEN, Anonymity.CONFIDENTIAL)


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    # What the check page calls the answer.
    label: str
    applies: Callable[[dict], bool] = _always
    template: str = "concerns/report/question.jinja"


STEPS: tuple[Step, ...] = (
    Step("about", forms.AboutForm, "Who it is about"),
    Step(
        "manager",
        forms.ManagerSearchForm,
        "Manager",
        _about_manager,
        "concerns/report/search.jinja",
    ),
    Step(
        "manager-description",
        forms.ManagerDescribeForm,
        "Manager (not found on the register)",
        _describing_manager,
    ),
    Step(
        "organisation",
        forms.OrganisationSearchForm,
        "Organisation",
        template="concerns/report/search.jinja",
    ),
    Step("what-happened", forms.WhatHappenedForm, "What happened"),
    Step("when", forms.WhenForm, "When it happened"),
    Step("who-was-affected", forms.WhoAffectedForm, "Who was affected"),
    Step(
        "patient-harm",
        forms.PatientHarmForm,
        "Patients harmed or put at risk",
        template="concerns/report/patient_harm.jinja",
    ),
    Step(
        "raised-locally",
        forms.RaisedLocallyForm,
        "Raised where you work first",
        template="concerns/report/raised_locally.jinja",
    ),
    Step("speaking-up", forms.DetrimentForm, "About someone treated badly for speaking up"),
    Step("how", forms.AnonymityForm, "How you want to speak up"),
    Step(
        "contact",
        forms.ContactForm,
        "Your name and contact details",
        _named,
        "concerns/report/contact.jinja",
    ),
    Step("employer", forms.EmployerForm, "Share what you wrote with the employer"),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = (*STEPS_BY_SLUG, CHECK)

YES_NO_TEXT = {"yes": "Yes", "no": "No"}
HARM_TEXT = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
ANONYMITY_TEXT = {
    Anonymity.OPEN: "Openly: your name is known to everyone handling your concern",
    Anonymity.CONFIDENTIAL: "Confidentially: only the regulator knows your name",
    Anonymity.ANONYMOUS: "Anonymously: nobody knows who you are",
}


# --- Carrying the answers -----------------------------------------------------------


def new_state() -> dict:
    return {"v": 1, "nonce": secrets.token_urlsafe(16), "done": [], "changing": False, "a": {}}


class _Signer(signing.TimestampSigner):
    """Django's timestamped signer, telling the time by ``clock`` (so tests can move it)."""

    @staticmethod
    def _now() -> int:
        return int(clock.now().timestamp())

    def timestamp(self) -> str:
        return signing.b62_encode(self._now())

    def unsign(self, value: str, max_age: float | None = None) -> str:
        result = signing.Signer.unsign(self, value)
        value, timestamp = result.rsplit(self.sep, 1)
        signed_at = signing.b62_decode(timestamp)
        if max_age is not None and self._now() - signed_at > max_age:
            raise signing.SignatureExpired("The answers are too old")
        return value


def state_dump(state: dict) -> str:
    return _Signer(salt=SALT).sign_object(state, compress=True)


def state_load(token: str | None) -> dict:
    """The answers from the hidden field; :class:`BadState` when they cannot be trusted
    (changed, too large, or signed more than ``CONCERNS_JOURNEY_MAX_AGE_SECONDS`` ago)."""
    if not isinstance(token, str) or not token or len(token) > MAX_STATE_CHARS:
        raise BadState
    try:
        state = _Signer(salt=SALT).unsign_object(
            token, max_age=settings.CONCERNS_JOURNEY_MAX_AGE_SECONDS
        )
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadState from exc
    if (
        not isinstance(state, dict)
        or state.get("v") != 1
        or not isinstance(state.get("a"), dict)
        or not isinstance(state.get("done"), list)
        or not isinstance(state.get("nonce"), str)
    ):
        raise BadState
    return state


def answers(state: dict) -> dict:
    return state["a"]


# --- Order of the questions ---------------------------------------------------------


def offer_account(state: dict, user) -> bool:
    """An open reporter who is signed in may be contacted through their account."""
    return answers(state).get("anonymity") == Anonymity.OPEN and bool(
        user is not None and user.is_authenticated
    )


def applicable(state: dict) -> list[str]:
    return [step.slug for step in STEPS if step.applies(answers(state))]


def is_complete(state: dict, slug: str, user) -> bool:
    a = answers(state)
    if slug not in state["done"]:
        return False
    if slug == "manager":
        return bool(a.get("manager_number")) or a.get("manager_mode") == "describe"
    if slug == "manager-description":
        return bool(a.get("manager_description"))
    if slug == "organisation":
        return bool(a.get("organisation_code")) or _about_manager(a)
    if slug == "contact":
        if a.get("use_account") == "yes":
            return offer_account(state, user)
        return bool(a.get("name"))
    return True


def first_incomplete(state: dict, user) -> str | None:
    return next((s for s in applicable(state) if not is_complete(state, s, user)), None)


def next_step(state: dict, after: str, user) -> str:
    """Where to go once ``after`` is answered: the next question, or when changing an
    answer from the check page, the first question the change left unanswered."""
    order = applicable(state)
    rest = order[order.index(after) + 1 :] if after in order else order
    if state.get("changing"):
        return next((s for s in rest if not is_complete(state, s, user)), CHECK)
    return rest[0] if rest else CHECK


def previous_step(state: dict, slug: str) -> str | None:
    order = applicable(state)
    if slug == CHECK:
        return order[-1]
    if slug not in order:
        return None
    index = order.index(slug)
    return order[index - 1] if index else None


def _forget(state: dict, keys: tuple[str, ...], steps: tuple[str, ...]) -> None:
    for key in keys:
        state["a"].pop(key, None)
    state["done"] = [s for s in state["done"] if s not in steps]


def record(state: dict, slug: str, given: dict) -> None:
    """Keep a step's answers, and forget answers it makes irrelevant."""
    state["a"].update(given)
    if slug not in state["done"]:
        state["done"].append(slug)
    a = state["a"]
    if slug == "about" and a.get("about") == "organisation":
        _forget(
            state,
            ("manager_mode", "manager_number", "manager_label", "manager_q", "manager_description"),
            ("manager", "manager-description"),
        )
    if slug == "manager" and a.get("manager_mode") == "register":
        _forget(state, ("manager_description",), ("manager-description",))
    if slug == "manager" and a.get("manager_mode") == "describe":
        _forget(state, ("manager_number", "manager_label"), ())
    if slug == "how" and a.get("anonymity") == Anonymity.ANONYMOUS:
        _forget(state, ("use_account", "name", "email", "phone"), ("contact",))


# --- Searching the register and the organisations ------------------------------------


@dataclass(frozen=True)
class Result:
    value: str
    text: str
    hint: str


def manager_results(q: str) -> list[Result]:
    """The first few people on the public register matching a name or number."""
    found = public.public_search(q=q, page=1, page_size=SEARCH_RESULTS)
    results = []
    for registrant in found.registrants:
        roles = "; ".join(
            f"{role.title}, {role.organisation.name}" for role in registrant.current_roles
        )
        results.append(
            Result(
                value=registrant.registration_number,
                text=f"{public.display_name(registrant)} ({registrant.registration_number})",
                hint=roles or "No current role recorded",
            )
        )
    return results


def manager_chosen(value: str) -> Result | None:
    try:
        lookup = public.public_registrant_lookup(registration_number=value or "")
    except public.NotOnRegister:
        return None
    registrant = lookup.registrant
    return Result(
        value=registrant.registration_number,
        text=f"{public.display_name(registrant)} ({registrant.registration_number})",
        hint="",
    )


def _organisation_result(organisation: Organisation) -> Result:
    hint = organisation.get_org_type_display()
    if organisation.closed_on and organisation.closed_on <= clock.today():
        hint += " (closed)"
    return Result(
        value=organisation.ods_code,
        text=f"{organisation.name} ({organisation.ods_code})",
        hint=hint,
    )


def organisation_results(q: str) -> list[Result]:
    return [_organisation_result(o) for o in organisation_search(q=q)[:SEARCH_RESULTS]]


def organisation_chosen(value: str) -> Result | None:
    value = (value or "").strip()
    if not ODS_CODE_SHAPE.match(value):
        return None
    organisation = Organisation.objects.filter(ods_code=value.upper()).first()
    return _organisation_result(organisation) if organisation else None


# --- The check page and sending ------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()] or ["Not given"]


def check_rows(state: dict, user) -> list[dict]:
    """The summary list: each answer, and the step that changes it."""
    a = answers(state)
    rows = []

    def row(slug: str, lines: list[str]) -> None:
        rows.append({"label": STEPS_BY_SLUG[slug].label, "lines": lines, "slug": slug})

    row("about", ["A particular manager" if _about_manager(a) else "An NHS organisation"])
    if _about_manager(a):
        if a.get("manager_mode") == "describe":
            row("manager-description", _lines(a.get("manager_description", "")))
        else:
            row("manager", [a.get("manager_label", "")])
    row("organisation", [a.get("organisation_label") or "Not given"])
    row("what-happened", _lines(a.get("what_happened", "")))
    row("when", _lines(a.get("when", "")))
    row("who-was-affected", _lines(a.get("who_was_affected", "")))
    harm = [HARM_TEXT.get(a.get("patient_harm"), "Not given")]
    if a.get("patient_harm_detail"):
        harm += _lines(a["patient_harm_detail"])
    row("patient-harm", harm)
    local = [YES_NO_TEXT.get(a.get("raised_locally"), "Not given")]
    if a.get("local_outcome"):
        local += _lines(a["local_outcome"])
    row("raised-locally", local)
    row("speaking-up", [YES_NO_TEXT.get(a.get("is_detriment"), "Not given")])
    row("how", [ANONYMITY_TEXT.get(a.get("anonymity"), "Not given")])
    if _named(a):
        if a.get("use_account") == "yes" and offer_account(state, user):
            contact = [f"Your Steward account ({user.email})"]
        else:
            contact = [v for v in (a.get("name"), a.get("email"), a.get("phone")) if v]
        row("contact", contact)
    row("employer", [YES_NO_TEXT.get(a.get("employer_may_see"), "Not given")])
    return rows


def _composed(choice: str | None, labels: dict, detail: str | None) -> str:
    text = labels.get(choice or "", "")
    detail = (detail or "").strip()
    return f"{text}: {detail}" if text and detail else text


def submission(state: dict, user) -> dict:
    """Arguments for ``services.concern_submit``. The manager and organisation are
    found again now (:class:`StepNeeded` if one has gone from the register)."""
    missing = first_incomplete(state, user)
    if missing:
        raise StepNeeded(missing)
    a = answers(state)
    registrant = None
    if _about_manager(a) and a.get("manager_mode") == "register":
        try:
            registrant = public.public_registrant_lookup(
                registration_number=a.get("manager_number", "")
            ).registrant
        except public.NotOnRegister as exc:
            raise StepNeeded(
                "manager", "That manager cannot be found on the register now: search again"
            ) from exc
    organisation = None
    if a.get("organisation_code"):
        organisation = Organisation.objects.filter(ods_code=a["organisation_code"]).first()
        if organisation is None:
            raise StepNeeded("organisation", "That organisation cannot be found now: search again")
    use_account = a.get("use_account") == "yes" and offer_account(state, user)
    return {
        "anonymity": a["anonymity"],
        "answers": {
            "what_happened": a.get("what_happened", ""),
            "when": a.get("when", ""),
            "who_was_affected": a.get("who_was_affected", ""),
            "patient_harm": _composed(
                a.get("patient_harm"), HARM_TEXT, a.get("patient_harm_detail")
            ),
            "raised_locally": YES_NO_TEXT.get(a.get("raised_locally", ""), ""),
            "local_outcome": a.get("local_outcome", ""),
        },
        "subject_registrant": registrant,
        "subject_description": a.get("manager_description", "") if _describing_manager(a) else "",
        "organisation": organisation,
        "reporter_identity": None
        if a["anonymity"] == Anonymity.ANONYMOUS or use_account
        else {"name": a.get("name", ""), "email": a.get("email", ""), "phone": a.get("phone", "")},
        "reporter_user": user if use_account else None,
        "employer_may_see": a.get("employer_may_see") == "yes",
        "is_detriment": a.get("is_detriment") == "yes",
    }


def _sent_key(state: dict) -> str:
    return hashlib.sha256(f"{SALT}:{state['nonce']}".encode()).hexdigest()


def send(state: dict, *, user, uploads=()) -> services.Received:
    """Raise the concern these answers describe, with its files. Sending the same
    answers twice on one day raises :class:`AlreadySent` (only a keyed hash of the
    journey's random number and the day are kept, to tell)."""
    details = submission(state, user)
    with transaction.atomic():
        try:
            with transaction.atomic():
                DailyCount.objects.create(
                    day=clock.today(), bucket=SENT_BUCKET, client=_sent_key(state), count=1
                )
        except IntegrityError as exc:
            raise AlreadySent from exc
        return services.concern_submit(**details, uploads=uploads)
