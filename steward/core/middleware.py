"""Security headers Django does not set by itself."""

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages for signed-in people can hold restricted data: never cache them.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class NullCharacterMiddleware:
    """A path with the null character names nothing: 404 before any view runs.

    PostgreSQL text cannot hold the character (SQLite can), so one rule for both.
    Forms refuse it field by field; the API's JSON parser refuses it in bodies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" not in request.path_info:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": "Not found: the address contains a null character."}, status=404
            )
        from steward.core.views import error_404

        return error_404(request)
