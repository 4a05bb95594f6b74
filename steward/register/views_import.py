"""Employers upload a workforce-system CSV file for their organisation and see the report."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from steward.core.permissions import permission_required
from steward.organisations.models import Organisation
from steward.register import importing
from steward.register.forms_import import (
    MODE_CHECK_THEN_IMPORT,
    ImportUploadForm,
    request_too_large,
)
from steward.register.models import ImportRun, ImportStatus

STATUS_TAG_COLOURS = {
    ImportStatus.VALIDATING: "blue",
    ImportStatus.IMPORTING: "blue",
    ImportStatus.INVALID: "red",
    ImportStatus.COMPLETE: "green",
    ImportStatus.FAILED: "orange",
}


def _organisation(request, ods_code, **kwargs):
    return get_object_or_404(Organisation, ods_code=ods_code.upper())


@require_GET
def import_start(request):
    """Send an employer to the upload page of their organisation (or let them choose)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = importing.import_organisations_for(user=request.user)
    if not organisations:
        raise PermissionDenied
    if len(organisations) == 1:
        return redirect("register_import:upload", ods_code=organisations[0].ods_code)
    return render(request, "register/import/start.jinja", {"organisations": organisations})


@require_http_methods(["GET", "POST"])
@permission_required("register.manage_roster", _organisation)
def import_upload(request, ods_code):
    organisation = _organisation(request, ods_code)
    status = 200
    if request.method == "POST" and request_too_large(request):
        # Refused before the body is parsed: nothing of the file is read.
        form = ImportUploadForm(data={"mode": MODE_CHECK_THEN_IMPORT}, files={}, too_large=True)
        form.is_valid()
        status = 413
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = importing.register_import(
                    source=importing.ImportSource.from_upload(upload),
                    actor=request.user,
                    organisation=organisation,
                    dry_run=form.dry_run,
                    skip_invalid=form.skip_invalid,
                )
            except importing.ImportStopped as exc:
                messages.error(request, str(exc))
                if exc.run.pk is None:  # a dry run saves no run to show
                    return redirect("register_import:upload", ods_code=organisation.ods_code)
                return redirect(
                    "register_import:run", ods_code=organisation.ods_code, pk=exc.run.pk
                )
            if run.pk is None:  # a dry run: nothing saved, so show the result here
                return render(request, "register/import/run.jinja", _run_context(run))
            return redirect("register_import:run", ods_code=organisation.ods_code, pk=run.pk)
        status = 400
    else:
        form = ImportUploadForm()
    return render(
        request,
        "register/import/upload.jinja",
        {
            "organisation": organisation,
            "form": form,
            "runs": importing.import_run_list(organisation=organisation),
            "status_colours": STATUS_TAG_COLOURS,
            "columns": importing.COLUMNS,
        },
        status=status,
    )


def _run_context(run: ImportRun) -> dict:
    return {
        "run": run,
        "organisation": run.organisation,
        "status_colour": STATUS_TAG_COLOURS.get(run.status, "grey"),
        "report_rows": importing.report_table_rows(run.report),
        "report_truncated": len(run.report) >= importing.MAX_STORED_PROBLEMS,
    }


@require_GET
@permission_required("register.manage_roster", _organisation)
def import_run(request, ods_code, pk):
    organisation = _organisation(request, ods_code)
    run = importing.import_run_get(organisation=organisation, pk=pk)
    if run is None:
        raise Http404("No import with that number for this organisation.")
    return render(request, "register/import/run.jinja", _run_context(run))


@require_GET
def import_template(request):
    """A CSV file holding just the header row, to start from."""
    response = HttpResponse(importing.HEADER_LINE + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="register-import-template.csv"'
    return response
