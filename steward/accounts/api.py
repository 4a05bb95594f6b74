"""API about the signed-in person."""

from ninja import Router, Schema

from steward.accounts.api_auth import bearer_or_session
from steward.accounts.selectors import current_assignments
from steward.core.api_schemas import AUTH_ERRORS

router = Router(tags=["People"])


class RoleOut(Schema):
    role: str
    role_name: str
    organisation: str | None
    region: str | None


class MeOut(Schema):
    full_name: str
    roles: list[RoleOut]


@router.get(
    "/me",
    response={200: MeOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    summary="The signed-in person",
)
def me(request):
    """Who the token or session belongs to, and the roles they hold now."""
    user = request.auth if hasattr(request.auth, "pk") else request.user
    return {
        "full_name": user.full_name,
        "roles": [
            {
                "role": a.role,
                "role_name": a.get_role_display(),
                "organisation": a.organisation.ods_code if a.organisation else None,
                "region": a.region.code if a.region else None,
            }
            for a in current_assignments(user=user)
        ],
    }
