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
