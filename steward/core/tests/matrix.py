"""Deny by default, checked the same way for every app's URLs.

Each app lists its URLs as rows ``(url name or path or callable, kwargs builder,
who may see it, kind)`` and calls ``check_matrix`` once per role (and for
anonymous visitors). Everyone not allowed gets 403 (signed in) or is sent to
sign in (pages) or gets 401 (API).
"""

from django.urls import reverse

from steward.accounts.roles import ROLES

EVERYONE = "everyone"
SIGNED_IN = "signed in"
ALL_ROLES = [r.slug for r in ROLES]


def _url(name, kwargs_builder, ctx):
    if callable(name):
        return name(ctx)
    if name.startswith("/"):
        return name
    return reverse(name, kwargs=kwargs_builder(ctx) if kwargs_builder else None)


def check_matrix(client, role, rows, ctx) -> None:
    failures = []
    for name, kwargs_builder, allowed, kind in rows:
        url = _url(name, kwargs_builder, ctx)
        response = client.get(url)
        may = (
            allowed == EVERYONE
            or (allowed == SIGNED_IN and role is not None)
            or (isinstance(allowed, set | frozenset) and role in allowed)
        )
        if kind == "login-page" and role is not None:
            expected = {200, 302}  # signed-in people are sent on to their home page
        elif may:
            expected = {200, 302} if kind == "page-or-redirect" else {200}
        elif role is None:
            expected = {401} if kind == "api" else {302}
        else:
            expected = {403}
        if response.status_code not in expected:
            failures.append(f"{url}: {response.status_code}, expected {sorted(expected)}")
        if response.status_code == 302 and role is None and kind.startswith("page"):
            assert response["Location"].startswith(reverse("account_login")), url
    assert not failures, f"role {role}: " + "; ".join(failures)
