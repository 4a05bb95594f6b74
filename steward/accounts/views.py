from django.http import HttpResponse


def home(request):
    return HttpResponse("home")


def role_list(request):
    return HttpResponse("roles")


def role_detail(request, slug):
    return HttpResponse(slug)


def people_list(request):
    return HttpResponse("people")
