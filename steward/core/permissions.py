"""Deny by default: views name the permission they need (``rules``).

Someone not signed in is sent to sign in; someone signed in without the
permission gets a 403 page.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, fn=None):
    """``fn(request, **view_kwargs)`` returns the object the permission is checked against."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = fn(request, **kwargs) if fn else None
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
