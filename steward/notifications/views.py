"""The signed-in person's notifications: newest first; opening the page marks them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.notifications import selectors, services

PAGE_SIZE = 25


@require_GET
@login_required
def notification_list(request):
    paginator = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    unread_ids = {row.pk for row in rows if row.read_at is None}
    services.notifications_mark_read(user=request.user, ids=unread_ids)
    return render(
        request,
        "notifications/list.jinja",
        {"page": page, "rows": rows, "unread_ids": unread_ids},
    )
