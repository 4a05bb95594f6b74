"""Pages that belong to the service as a whole."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def start(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "core/start.jinja")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.jinja")


@require_GET
def privacy(request):
    return render(request, "core/privacy.jinja")


@never_cache
@require_GET
def healthz(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "database": database},
        status=200 if healthy else 503,
    )


def error_400(request, exception=None):
    return render(request, "core/errors/400.jinja", status=400)


def error_403(request, exception=None):
    return render(request, "core/errors/403.jinja", status=403)


def error_404(request, exception=None):
    return render(request, "core/errors/404.jinja", status=404)


def error_500(request):
    # Rendered without the request context: whatever broke may be in it.
    return render(None, "core/errors/500.jinja", status=500)


def csrf_failure(request, reason=""):
    return render(request, "core/errors/csrf.jinja", status=403)
