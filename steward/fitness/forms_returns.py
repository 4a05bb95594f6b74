"""Forms for the annual return: the chair's submission and the regional director's comments."""

from django import forms

from steward.core.nhsuk_forms import NhsukForm, text_field, version_field
from steward.fitness.returns import MAX_COMMENTS_LENGTH, MAX_STATEMENT_LENGTH


class ReturnSubmitForm(NhsukForm):
    chair_statement = text_field(
        "Your statement as chair",
        max_length=MAX_STATEMENT_LENGTH,
        required_message="Enter your statement as chair",
        hint=(
            "Confirm that every board member was assessed against the fit and proper person "
            "test this year, and tell the regional director anything they should know, such as "
            "how a director found not fit and proper is being handled"
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = version_field(min_value=0)


class SendBackForm(NhsukForm):
    comments = text_field(
        "What does the chair need to change?",
        max_length=MAX_COMMENTS_LENGTH,
        required_message="Enter what the chair needs to change",
        hint="The chair sees these comments on the return and is asked to submit it again",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = version_field(min_value=0)
