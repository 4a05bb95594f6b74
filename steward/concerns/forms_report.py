"""Forms for raising a concern (one question a page) and for the reporter's inbox.

Each question form knows how to fill itself from the journey's answers
(``initial_from``) and which answers it gives (``answers``); the journey
(``concerns/journey.py``) decides the order of the questions.
"""

from __future__ import annotations

from django import forms

from steward.concerns.models import Anonymity
from steward.concerns.services import MAX_MESSAGE, MAX_TEXT, contact_errors
from steward.core.nhsuk_forms import NhsukForm, field_params, text_field

YES_NO = [("yes", "Yes"), ("no", "No")]
SEARCH_MAX = 200

ANONYMITY_HINTS = {
    Anonymity.OPEN: (
        "You give your name and contact details, and everyone handling your concern may "
        "know it was you, including the manager and their employer."
    ),
    Anonymity.CONFIDENTIAL: (
        "You give your name and contact details, but only the regulator knows them. We will "
        "never tell the manager or their employer who you are without your consent."
    ),
    Anonymity.ANONYMOUS: (
        "You do not tell us who you are, and nobody will know, including us. You get a "
        "receipt code to read our replies. We cannot contact you any other way, which can "
        "make a concern harder to look into."
    ),
}


def choice_field(label: str, choices, *, required_message: str, hint: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def long_text(
    label: str, *, max_length: int, required_message: str | None = None, hint="", rows: int = 8
):
    return text_field(
        label,
        max_length=max_length,
        required_message=required_message,
        hint=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def radio_params(bound: forms.BoundField, *, hints: dict | None = None, heading: bool = True):
    """NHS radios parameters for a question, the question as the page heading, with a
    hint under each choice that has one."""
    params = field_params(bound, is_page_heading=heading)["params"]
    for item in params["items"]:
        hint = (hints or {}).get(item["value"])
        if hint:
            item["hint"] = {"text": hint}
    return params


class QuestionForm(NhsukForm):
    """A question in the journey. ``answer_keys`` are the answers it fills."""

    answer_keys: tuple[str, ...] = ()

    def __init__(self, data=None, *, answers: dict | None = None, user=None, **kwargs):
        self.user = user
        self.answers_so_far = answers or {}
        if data is None:
            kwargs.setdefault("initial", self.initial_from(self.answers_so_far))
        super().__init__(data, **kwargs)

    @classmethod
    def initial_from(cls, answers: dict) -> dict:
        return {key: answers.get(key, "") for key in cls.answer_keys}

    def answers(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in self.answer_keys}


class AboutForm(QuestionForm):
    answer_keys = ("about",)
    about = choice_field(
        "Who is your concern about?",
        [
            ("manager", "A particular manager"),
            ("organisation", "An NHS organisation, not a particular manager"),
        ],
        required_message="Select who your concern is about",
    )
    hints = {
        "manager": "Someone who leads or manages NHS services. You can also tell us where "
        "they work.",
        "organisation": "For example, a hospital trust, or an integrated care board.",
    }


class SearchForm(QuestionForm):
    """Search (``q``) and choose from the results (``choice``: a registration number or
    ODS code, or ``none``). The view searches, shows the results as radios and checks
    the choice still names someone or somewhere."""

    search_required = "Enter a name to search for"
    choose_required = "Select one of the results"
    not_found = "Search again, and select one of the results"
    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX,
        error_messages={
            "max_length": f"Search must be {SEARCH_MAX} characters or fewer",
            "null_characters_not_allowed": "Search must not include unusual characters",
        },
    )
    choice = forms.CharField(
        required=False,
        max_length=20,
        error_messages={
            "max_length": "Select one of the results",
            "null_characters_not_allowed": "Select one of the results",
        },
    )

    @property
    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_bound else ""


class ManagerSearchForm(SearchForm):
    search_required = "Enter the manager's name or registration number"
    choose_required = "Select the manager your concern is about, or 'None of these'"
    not_found = "No one on the register has that registration number: search again"


class OrganisationSearchForm(SearchForm):
    search_required = "Enter the organisation's name or ODS code"
    choose_required = "Select the organisation your concern is about"
    not_found = "No NHS organisation has that ODS code: search again"


class ManagerDescribeForm(QuestionForm):
    answer_keys = ("manager_description",)
    manager_description = long_text(
        "Describe the manager",
        max_length=2_000,
        required_message="Describe the manager your concern is about",
        hint="Their name, their job and where they work, as far as you know.",
    )


class WhatHappenedForm(QuestionForm):
    answer_keys = ("what_happened",)
    what_happened = long_text(
        "What happened?",
        max_length=MAX_TEXT,
        required_message="Enter what happened",
        hint="Tell us what you saw or know, in your own words. Include what was said or "
        "done, and where. Leave out anything that would identify you if you want to stay "
        "anonymous.",
    )


class WhenForm(QuestionForm):
    answer_keys = ("when",)
    when = text_field(
        "When did it happen?",
        max_length=500,
        required_message="Enter when it happened. If you are not sure, give your best "
        "idea, like 'early 2026'",
        hint="For example, '3 March 2026', 'last winter' or 'since 2024 and still happening'.",
    )


class WhoAffectedForm(QuestionForm):
    answer_keys = ("who_was_affected",)
    who_was_affected = long_text(
        "Who was affected? (optional)",
        max_length=5_000,
        hint="For example, patients on a ward, a team of staff, or people waiting for "
        "treatment. You do not need to give names.",
    )


class PatientHarmForm(QuestionForm):
    answer_keys = ("patient_harm", "patient_harm_detail")
    patient_harm = choice_field(
        "Were patients harmed or put at risk?",
        [("yes", "Yes"), ("no", "No"), ("not_sure", "I'm not sure")],
        required_message="Select whether patients were harmed or put at risk",
    )
    patient_harm_detail = long_text(
        "Tell us what happened to patients, or what the risk was (optional)",
        max_length=5_000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("patient_harm") == "no":
            cleaned["patient_harm_detail"] = ""
        return cleaned


class RaisedLocallyForm(QuestionForm):
    answer_keys = ("raised_locally", "local_outcome")
    raised_locally = choice_field(
        "Did you raise this where you work first?",
        YES_NO,
        required_message="Select yes if you raised this where you work first",
        hint="For example, with your manager, a Freedom to Speak Up guardian, or through "
        "your employer's complaints or incident process. You do not have to have done so.",
    )
    local_outcome = long_text("What happened when you raised it?", max_length=5_000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("raised_locally") == "yes":
            if not (cleaned.get("local_outcome") or "").strip() and "local_outcome" not in (
                self.errors
            ):
                self.add_error("local_outcome", "Tell us what happened when you raised it")
        else:
            cleaned["local_outcome"] = ""
        return cleaned


class DetrimentForm(QuestionForm):
    answer_keys = ("is_detriment",)
    is_detriment = choice_field(
        "Is your concern about someone being treated badly for speaking up?",
        YES_NO,
        required_message="Select yes if your concern is about someone being treated badly "
        "for speaking up",
        hint="For example, someone was bullied, moved, disciplined or dismissed after they "
        "raised a concern. This can be you or someone else.",
    )


class AnonymityForm(QuestionForm):
    answer_keys = ("anonymity",)
    anonymity = choice_field(
        "How do you want to speak up?",
        [
            (Anonymity.OPEN.value, "Openly"),
            (Anonymity.CONFIDENTIAL.value, "Confidentially"),
            (Anonymity.ANONYMOUS.value, "Anonymously"),
        ],
        required_message="Select how you want to speak up",
    )
    hints = ANONYMITY_HINTS


class ContactForm(QuestionForm):
    """Name and contact details (open and confidential). An open reporter who is signed
    in may use their account instead (``use_account``)."""

    answer_keys = ("use_account", "name", "email", "phone")
    use_account = choice_field(
        "How should we contact you?",
        [("yes", "Use my Steward account"), ("no", "Give a name and contact details")],
        required_message="Select how we should contact you",
    )
    name = text_field(
        "Full name",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = text_field(
        "Email address",
        max_length=300,
        hint="We will only use this to contact you about your concern.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = text_field(
        "Phone number",
        max_length=40,
        hint="For example, 0113 496 0000 or +44 113 496 0000.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, offer_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_account = offer_account
        if not offer_account:
            del self.fields["use_account"]
        else:
            account = getattr(self.user, "email", "")
            self.fields["use_account"].choices = [
                ("yes", f"Use my Steward account ({account})"),
                ("no", "Give a name and contact details"),
            ]

    def clean(self):
        cleaned = super().clean()
        if self.offer_account and cleaned.get("use_account") == "yes":
            cleaned.update({"name": "", "email": "", "phone": ""})
            return cleaned
        if self.offer_account and not cleaned.get("use_account"):
            return cleaned
        cleaned["use_account"] = "no"
        name = (cleaned.get("name") or "").strip()
        email = (cleaned.get("email") or "").strip()
        phone = (cleaned.get("phone") or "").strip()
        if not name and "name" not in self.errors:
            self.add_error("name", "Enter your full name")
        problems = contact_errors(
            email="" if "email" in self.errors else email,
            phone="" if "phone" in self.errors else phone,
        )
        for field, message in problems.items():
            self.add_error(field, message)
        if not email and not phone and not ({"email", "phone"} & set(self.errors)):
            self.add_error("email", "Enter an email address or a phone number")
        return cleaned


class EmployerForm(QuestionForm):
    answer_keys = ("employer_may_see",)
    employer_may_see = choice_field(
        "May we share what you wrote with the employer?",
        [
            ("yes", "Yes, the employer may see what I wrote"),
            ("no", "No, only the regulator may see what I wrote"),
        ],
        required_message="Select whether we may share what you wrote with the employer",
        hint="If we ask the employer to look into your concern, it can help them to see "
        "what you wrote. We will never tell them your name. If you say no, we will only "
        "give them a summary in our own words.",
    )


# --- Inbox --------------------------------------------------------------------------


class ReceiptCodeForm(NhsukForm):
    code = text_field(
        "Receipt code",
        max_length=100,
        required_message="Enter your receipt code",
        hint="The code you were given when you raised your concern, like "
        "7KQ2-M9XD-P4TR-WB3H-6NCA. Capital letters, spaces and dashes do not matter.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class ReplyForm(NhsukForm):
    body = text_field(
        "Your message",
        max_length=MAX_MESSAGE,
        required_message="Enter your message",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
