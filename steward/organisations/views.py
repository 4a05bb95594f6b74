from django.http import HttpResponse


def organisation_list(request):  # replaced by the organisations work
    return HttpResponse("organisations")


def organisation_detail(request, ods_code):
    return HttpResponse(ods_code)
