"""Forms for identity reveals and detriment reviews."""

from django import forms

from steward.concerns.reveal import MAX_REASON, MAX_RECIPIENT
from steward.core.nhsuk_forms import NhsukForm, text_field

YES_NO = [("yes", "Yes"), ("no", "No")]


class RevealRequestForm(NhsukForm):
    recipient = text_field(
        "Who would their identity be revealed to?",
        max_length=MAX_RECIPIENT,
        required_message="Enter who their identity would be revealed to",
        hint="The person or body, and their role. For example, the police officer leading "
        "an investigation",
    )
    reason = text_field(
        "Why does it need to be revealed?",
        max_length=MAX_REASON,
        required_message="Enter why their identity needs to be revealed",
        hint="A custodian reads this to decide. Do not include who raised the concern.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reporter_consented = forms.ChoiceField(
        label="Has the person who raised the concern agreed to it?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the person who raised the concern has agreed",
            "invalid_choice": "Select whether the person who raised the concern has agreed",
        },
    )


class RevealDecisionForm(NhsukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve: their identity may be revealed"),
            ("refuse", "Refuse: their identity stays confidential"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you approve or refuse the request",
            "invalid_choice": "Select whether you approve or refuse the request",
        },
    )
    decision_reason = text_field(
        "Your reasons",
        max_length=MAX_REASON,
        required_message="Enter the reasons for your decision",
        hint="The person who asked will read them.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DetrimentReviewForm(NhsukForm):
    note = text_field(
        "Your review",
        max_length=5_000,
        required_message="Enter what you found and what happens next",
        hint="What you found, and what happens next: for example, a new concern about "
        "detriment, or no further action and why.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
