from django.http import HttpResponse


def event_list(request):  # replaced by the audit work
    return HttpResponse("audit")
