from django import forms

from steward.accounts.models import PanelCategory
from steward.accounts.roles import ROLES
from steward.core.nhsuk_forms import NhsukForm
from steward.organisations.models import Organisation, Region


class PeopleSearchForm(NhsukForm):
    q = forms.CharField(label="Name or email address", required=False, max_length=200)


class RoleGrantForm(NhsukForm):
    role = forms.ChoiceField(
        label="Role", choices=[("", "Choose a role")] + [(r.slug, r.name) for r in ROLES]
    )
    organisation = forms.CharField(
        label="Organisation ODS code",
        required=False,
        max_length=10,
        help_text="For employer and data-request roles, for example RR8",
    )
    region = forms.ModelChoiceField(
        label="Region",
        required=False,
        queryset=Region.objects.all(),
        empty_label="No region",
        help_text="For regional directors and regional data-request issuers",
    )
    panel_category = forms.ChoiceField(
        label="Lay or manager member",
        required=False,
        choices=[("", "Neither"), *PanelCategory.choices],
        help_text="For panel members and case examiners only",
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean_organisation(self):
        code = self.cleaned_data["organisation"].strip().upper()
        if not code:
            return None
        organisation = Organisation.objects.filter(ods_code__iexact=code).first()
        if organisation is None:
            raise forms.ValidationError(f"No NHS organisation has the ODS code {code}.")
        return organisation


class RoleRevokeForm(NhsukForm):
    reason = forms.CharField(
        label="Why are you taking this role away?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
