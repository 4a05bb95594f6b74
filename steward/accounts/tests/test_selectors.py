def test_role_holders_are_the_active_current_holders_where_asked(make_user, organisation, region):
    from steward.accounts.models import RoleAssignment
    from steward.accounts.selectors import role_holders
    from steward.core import clock

    chair = make_user("chair", organisation=organisation, full_name="Bea Chair")
    ceo = make_user("chief_executive", organisation=organisation, full_name="Al Chief")
    gone = make_user("chair", organisation=organisation, full_name="Gone Chair")
    RoleAssignment.objects.filter(user=gone).update(revoked_at=clock.now())
    inactive = make_user("chair", organisation=organisation, full_name="Off Chair")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    director = make_user("regional_director", region=region, full_name="Reg Director")
    caseworker = make_user("caseworker", full_name="Case Worker")

    assert role_holders(("chair", "chief_executive"), organisation=organisation) == [ceo, chair]
    assert role_holders("chair", organisation=organisation, exclude=chair) == []
    assert role_holders("regional_director", region=region) == [director]
    assert role_holders("caseworker") == [caseworker]


def test_organisations_where_lists_each_organisation_once_by_name(make_user, organisation):
    from steward.accounts.models import RoleAssignment
    from steward.accounts.selectors import organisations_where
    from steward.organisations.models import Organisation, OrganisationType

    other = Organisation.objects.create(
        ods_code="RAE",
        name="Bradford Teaching Hospitals NHS Foundation Trust",
        org_type=OrganisationType.NHS_TRUST,
        region=organisation.region,
        search_name="bradford teaching hospitals nhs foundation trust",
    )
    user = make_user("chair", organisation=organisation)
    RoleAssignment.objects.create(user=user, role="hr_lead", organisation=organisation)
    RoleAssignment.objects.create(user=user, role="hr_lead", organisation=other)
    RoleAssignment.objects.create(user=user, role="caseworker")
    assert organisations_where(user=user, roles={"chair", "hr_lead"}) == [other, organisation]
    assert organisations_where(user=user, roles={"chair"}) == [organisation]
    assert organisations_where(user=user, roles={"auditor"}) == []
