"""Bulk import of workforce records through the API, for employers' systems.

``POST /api/v1/register-imports`` takes the same CSV file as the upload page
and ``steward import-register`` (multipart, field ``file``) and answers with
the run and its validation report; ``GET /api/v1/register-imports/{id}``
reads a run again.
"""

import datetime as dt

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from steward.accounts.api_auth import bearer_or_session, request_user
from steward.core.api_schemas import AUTH_ERRORS, ErrorOut
from steward.register import importing
from steward.register.forms_import import MAX_UPLOAD_TEXT, request_too_large, upload_problem
from steward.register.models import ImportRun, ImportStatus

router = Router(tags=["Register imports"])


class ImportProblemOut(Schema):
    row: int | None = Field(
        description="The row in the file (the header is row 1); null for "
        "a problem with the whole file."
    )
    column: str = Field(description="The column with the problem; empty for the whole row.")
    problem: str = Field(description="What is wrong, in plain English.")
    fix: str = Field(description="How to fix it.")


class ImportRunOut(Schema):
    id: int | None = Field(description="The run's number; null for a dry run (nothing saved).")
    url: str | None = Field(description="This run in the API; null for a dry run.")
    organisation: str | None = Field(description="The organisation's ODS code.")
    filename: str
    status: str = Field(
        description="validating, invalid (nothing imported), importing, complete or failed "
        "(stopped part-way: send the same file again to finish)."
    )
    status_label: str
    dry_run: bool
    skip_invalid: bool
    rows_total: int = Field(description="Rows in the file, not counting the header.")
    rows_invalid: int = Field(description="Rows with at least one problem.")
    rows_created: int = Field(description="Rows that added someone new to the register.")
    rows_updated: int = Field(description="Rows that changed an existing record.")
    rows_unchanged: int = Field(description="Rows the register already matched.")
    rows_done: int = Field(description="Rows processed so far.")
    started_at: dt.datetime
    finished_at: dt.datetime | None
    report: list[ImportProblemOut] = Field(
        description=f"Problems found, in row order (at most {importing.MAX_STORED_PROBLEMS:,})."
    )


def _run_out(request, run: ImportRun) -> dict:
    return {
        "id": run.pk,
        "url": request.build_absolute_uri(f"/api/v1/register-imports/{run.pk}") if run.pk else None,
        "organisation": run.organisation.ods_code if run.organisation else None,
        "filename": run.filename,
        "status": run.status,
        "status_label": run.get_status_display(),
        "dry_run": run.dry_run,
        "skip_invalid": run.skip_invalid,
        "rows_total": run.rows_total,
        "rows_invalid": run.rows_invalid,
        "rows_created": run.rows_created,
        "rows_updated": run.rows_updated,
        "rows_unchanged": run.rows_unchanged,
        "rows_done": run.rows_done,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "report": run.report,
    }


@router.post(
    "/register-imports",
    response={
        200: ImportRunOut,
        201: ImportRunOut,
        422: ImportRunOut,
        400: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        503: ErrorOut,
        **AUTH_ERRORS,
    },
    auth=bearer_or_session,
    url_name="register_import_create",
    summary="Import workforce records from a CSV file",
)
def import_create(
    request,
    file: UploadedFile | None = File(None, description="The CSV file, UTF-8."),  # noqa: B008
    organisation: str = Form(  # noqa: B008
        "",
        description="The ODS code of the organisation the file is for. Needed only if you "
        "are an employer at more than one organisation.",
    ),
    dry_run: bool = Form(False, description="Check the file and count what would change."),  # noqa: B008
    skip_invalid: bool = Form(  # noqa: B008
        False, description="Import the rows without problems and report the others."
    ),
):
    """Check a workforce-system CSV file and apply it to your organisation's records.

    Header: `employee_number,organisation_ods_code,registration_number,legal_forename,
    legal_surname,known_as,previous_surnames,date_of_birth,email,role_title,role_category,
    start_date,end_date,interim`. Answers 201 with the run when the file was imported,
    200 for a dry run, and 422 with the validation report when the file has problems
    (nothing is imported unless `skip_invalid`). Sending the same file again changes
    nothing; a run that stopped part-way is finished by sending the file again.
    """
    user = request_user(request)
    if request_too_large(request):
        return Status(413, {"detail": f"The file must be smaller than {MAX_UPLOAD_TEXT}."})
    problem = upload_problem(file)
    if problem == "The selected file must be smaller than " + MAX_UPLOAD_TEXT:
        return Status(413, {"detail": f"The file must be smaller than {MAX_UPLOAD_TEXT}."})
    if problem == "The selected file must be a CSV":
        return Status(
            415, {"detail": "The file must be a CSV file (a name ending .csv, type text/csv)."}
        )
    if problem:
        return Status(
            400, {"detail": f"{problem}: send it as a multipart form field named 'file'."}
        )

    allowed = importing.import_organisations_for(user=user)
    code = organisation.strip().upper()
    if code:
        chosen = next((o for o in allowed if o.ods_code == code), None)
        if chosen is None:
            return Status(403, {"detail": f"You cannot import records for {code[:10]}."})
    elif len(allowed) == 1:
        chosen = allowed[0]
    elif not allowed:
        return Status(403, {"detail": "Only employers can import records for their organisation."})
    else:
        return Status(
            400,
            {
                "detail": "You are an employer at more than one organisation: send "
                "'organisation' with the ODS code the file is for."
            },
        )
    if not user.has_perm("register.manage_roster", chosen):
        return Status(403, {"detail": f"You cannot import records for {chosen.ods_code}."})

    try:
        run = importing.register_import(
            source=importing.ImportSource.from_upload(file),
            actor=user,
            organisation=chosen,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
        )
    except importing.ImportStopped as exc:
        return Status(503, {"detail": str(exc)})
    if run.status == ImportStatus.INVALID:
        return Status(422, _run_out(request, run))
    return Status((200 if run.dry_run else 201), _run_out(request, run))


@router.get(
    "/register-imports/{run_id}",
    response={200: ImportRunOut, 404: ErrorOut, **AUTH_ERRORS},
    auth=bearer_or_session,
    url_name="register_import_detail",
    summary="An import and its validation report",
)
def import_detail(request, run_id: int):
    run = importing.import_run_get_for(user=request_user(request), pk=run_id)
    if run is not None:
        return Status(200, _run_out(request, run))
    return Status(404, {"detail": "No import with that number for your organisation."})
