"""Pages for raising a concern and for the reporter's inbox. No sign-in needed.

Nothing here keeps a session, sets a cookie other than CSRF's, logs the client or
its browser, or records a time finer than the day (ADR 005). The journey's
answers travel in a signed hidden field (``journey.py``); the receipt code
travels in the body of a POST, never in an address. Pages that show a reporter's
answers, messages or receipt code are never cached (``Cache-Control: no-store``),
and the receipt code is shown once, in the response to sending the concern.

Uploads are read into memory by ``files.MemoryUploadHandler`` (never to disk), so
the views that take files are CSRF-exempt on the outside and protected inside,
which lets them choose the upload handler before the body is read.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from steward.concerns import files, journey, presenters, ratelimit, selectors, services
from steward.concerns.forms_report import (
    ANONYMITY_HINTS,
    SEARCH_MAX,
    ReceiptCodeForm,
    ReplyForm,
    radio_params,
)
from steward.concerns.models import Anonymity, Concern
from steward.core.nhsuk_forms import add_service_errors, field_params
from steward.core.permissions import permission_required

CODE_NOT_FOUND = "No concern matches that receipt code. Check the code and try again"
TOO_MANY_CODES = (
    "There have been too many attempts to open an inbox from here today. "
    "For your security, try again tomorrow."
)
TOO_MANY_SUBMISSIONS = (
    "Too many concerns have been raised from here today. "
    "For everyone's security, try again tomorrow."
)
START_AGAIN = (
    "Your answers could not be read. This can happen if the page was changed, or was "
    "open for a long time in an old browser tab. You need to start again."
)
ALREADY_SENT = (
    "This concern has already been sent. If you did not write down your receipt code, "
    "it cannot be shown again."
)

TITLES = {
    "manager": "Which manager is your concern about?",
    "organisation": "Which NHS organisation is your concern about?",
    "contact": "Your name and contact details",
}


def no_store(view):
    """Never cached: by the browser, a proxy or the back button."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


def memory_uploads(view):
    """Read uploads into memory (bounded), never to a temporary file; CSRF checked
    after the handler is chosen."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers = [files.MemoryUploadHandler(request)]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _too_many(request, message: str):
    return render(request, "concerns/report/too_many.jinja", {"message": message}, status=429)


# --- Start page ---------------------------------------------------------------------


@require_GET
def start(request):
    return render(
        request,
        "concerns/report/start.jinja",
        {
            "acknowledge_days": settings.CONCERNS_ACKNOWLEDGE_DAYS,
            "feedback_months": settings.CONCERNS_FEEDBACK_MONTHS,
            "hints": ANONYMITY_HINTS,
        },
    )


# --- The journey --------------------------------------------------------------------


def _step_url(slug: str) -> str:
    if slug == journey.FIRST:
        return reverse("concerns:new")
    return reverse("concerns:new", kwargs={"step": slug})


def _start_again(request):
    return render(
        request, "concerns/report/start_again.jinja", {"message": START_AGAIN}, status=400
    )


def _results(slug: str, q: str) -> list[journey.Result]:
    if not q or len(q) > SEARCH_MAX or "\x00" in q:
        return []
    return journey.manager_results(q) if slug == "manager" else journey.organisation_results(q)


def _organisation_optional(state: dict) -> bool:
    return journey.answers(state).get("about") == "manager"


def _search_context(state: dict, slug: str, form, results, searched: bool) -> dict:
    a = journey.answers(state)
    optional = slug == "manager" or _organisation_optional(state)
    if form.is_bound:
        selected = form.data.get("choice", "")
    elif slug == "manager":
        selected = a.get("manager_number") or (
            "none" if a.get("manager_mode") == "describe" else ""
        )
    else:
        selected = a.get("organisation_code") or ("none" if "organisation" in state["done"] else "")
    none_label = None
    if optional:
        none_label = (
            "None of these: describe them instead"
            if slug == "manager"
            else "None of these: continue without an organisation"
        )
    items = [
        {
            "value": r.value,
            "text": r.text,
            "hint": {"text": r.hint} if r.hint else None,
            "checked": selected == r.value,
        }
        for r in results
    ]
    if items and none_label:
        items += [
            {"divider": "or"},
            {"value": "none", "text": none_label, "checked": selected == "none"},
        ]
    choice_error = form.errors.get("choice") if form.is_bound else None
    choices = None
    if items:
        choices = {
            "idPrefix": "id_choice",
            "name": "choice",
            "fieldset": {
                "legend": {
                    "text": "Choose the manager"
                    if slug == "manager"
                    else "Choose the organisation",
                    "size": "m",
                }
            },
            "items": items,
        }
        if choice_error:
            choices["errorMessage"] = {"text": " ".join(choice_error)}
    search = field_params(
        form["q"],
        label="Name or registration number" if slug == "manager" else "Name or ODS code",
        hint="For example, Siobhán O'Connor, or M1234567"
        if slug == "manager"
        else "For example, Leeds Teaching Hospitals, or RR8",
    )["params"]
    search["type"] = "search"
    search["spellcheck"] = False
    search["autocomplete"] = "off"
    return {
        "search": search,
        "choices": choices,
        "searched": searched,
        "no_results": searched and not results,
        "query": form.data.get("q", "") if form.is_bound else "",
        "optional": optional,
    }


def _question(form) -> dict:
    """The NHS component and its parameters for a one-question page."""
    name = next(iter(form.fields))
    bound = form[name]
    spec = field_params(bound, is_page_heading=True)
    if spec["kind"] == "radios":
        return {"kind": "radios", "params": radio_params(bound, hints=getattr(form, "hints", {}))}
    return spec


def _render(
    request, state: dict, slug: str, *, form=None, results=None, searched=False, status=200
):
    if slug == journey.CHECK:
        return _render_check(request, state, status=status)
    step = journey.STEPS_BY_SLUG[slug]
    a = journey.answers(state)
    kwargs = {"answers": a, "user": request.user}
    if slug == "contact":
        kwargs["offer_account"] = journey.offer_account(state, request.user)
    if form is None:
        form = step.form(**kwargs)
    previous = journey.previous_step(state, slug)
    context = {
        "form": form,
        "slug": slug,
        "title": TITLES.get(slug) or str(form[next(iter(form.fields))].label),
        "confidential": a.get("anonymity") == Anonymity.CONFIDENTIAL,
        "state": journey.state_dump(state),
        "action": _step_url(slug),
        "back_url": _step_url(previous) if previous else None,
        "start_url": reverse("concerns:start"),
    }
    if step.template == "concerns/report/search.jinja":
        if results is None:
            q = a.get(f"{slug}_q", "")
            results = _results(slug, q)
            searched = bool(q)
            form = step.form(initial={"q": q}, **kwargs)
            context["form"] = form
        context.update(_search_context(state, slug, form, results, searched))
    elif step.template == "concerns/report/question.jinja":
        context["question"] = _question(form)
    elif slug == "contact":
        if "use_account" in form.fields:
            context["question"] = radio_params(form["use_account"], heading=False)
    else:
        first = next(iter(form.fields))
        context["question"] = radio_params(form[first], hints=getattr(form, "hints", {}))
    return render(request, step.template, context, status=status)


def _render_check(request, state: dict, *, file_errors=(), errors=(), status=200):
    missing = journey.first_incomplete(state, request.user)
    if missing:
        return _render(request, state, missing)
    rows = [
        {**row, "change_url": _step_url(row["slug"])}
        for row in journey.check_rows(state, request.user)
    ]
    summary = [{"text": e} for e in errors] + [{"text": e, "href": "#files"} for e in file_errors]
    return render(
        request,
        "concerns/report/check.jinja",
        {
            "rows": rows,
            "state": journey.state_dump(state),
            "action": _step_url(journey.CHECK),
            "back_url": _step_url(journey.previous_step(state, journey.CHECK)),
            "errors": summary,
            "file_error": " ".join(file_errors),
            "files_hint": files.allowed_hint(),
            "anonymous": journey.answers(state).get("anonymity") == Anonymity.ANONYMOUS,
        },
        status=status,
    )


def _advance(request, state: dict, slug: str, given: dict):
    journey.record(state, slug, given)
    following = journey.next_step(state, slug, request.user)
    if following == journey.CHECK:
        state["changing"] = False
    return _render(request, state, following)


def _search_post(request, state: dict, slug: str):
    step = journey.STEPS_BY_SLUG[slug]
    form = step.form(request.POST, answers=journey.answers(state), user=request.user)
    valid = form.is_valid()
    q = form.query if valid else ""
    results = _results(slug, q)
    action = request.POST.get("action", "continue")
    optional = slug == "manager" or _organisation_optional(state)

    def again(message: str | None = None, field: str = "q"):
        if message:
            form.add_error(field, message)
        return _render(request, state, slug, form=form, results=results, searched=bool(q))

    if not valid:
        return again()
    if action == "search":
        return again(None if q else form.search_required)
    choice = form.cleaned_data["choice"].strip()
    if action in ("describe", "skip") or (choice == "none" and optional):
        if not optional:
            return again(form.choose_required, "choice" if results else "q")
        if slug == "manager":
            return _advance(request, state, slug, {"manager_mode": "describe", "manager_q": q})
        return _advance(
            request,
            state,
            slug,
            {"organisation_code": "", "organisation_label": "", "organisation_q": q},
        )
    if not choice:
        return again(
            form.choose_required if results else form.search_required, "choice" if results else "q"
        )
    chosen = (
        journey.manager_chosen(choice) if slug == "manager" else journey.organisation_chosen(choice)
    )
    if chosen is None:
        return again(form.not_found, "choice" if results else "q")
    if slug == "manager":
        given = {
            "manager_mode": "register",
            "manager_number": chosen.value,
            "manager_label": chosen.text,
            "manager_q": q,
        }
    else:
        given = {
            "organisation_code": chosen.value,
            "organisation_label": chosen.text,
            "organisation_q": q,
        }
    return _advance(request, state, slug, given)


def _send(request, state: dict):
    if ratelimit.exceeded(request, ratelimit.SUBMISSIONS):
        return _too_many(request, TOO_MANY_SUBMISSIONS)
    uploads = request.FILES.getlist("files")
    try:
        received = journey.send(state, user=request.user, uploads=uploads)
    except journey.StepNeeded as needed:
        state["done"] = [s for s in state["done"] if s != needed.slug]
        return _render(request, state, needed.slug)
    except journey.AlreadySent:
        return render(
            request, "concerns/report/already_sent.jinja", {"message": ALREADY_SENT}, status=409
        )
    except ValidationError as error:
        file_errors, others = [], []
        for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
            (file_errors if field == "files" else others).extend(messages)
        if not (file_errors or others):
            others = list(error.messages)
        return _render_check(request, state, file_errors=file_errors, errors=others, status=400)
    ratelimit.spend(request, ratelimit.SUBMISSIONS)
    concern = received.concern
    code = received.receipt_code
    return render(
        request,
        "concerns/report/sent.jinja",
        {
            "reference": concern.reference,
            "code_groups": code.split("-") if code else [],
            "anonymity": concern.anonymity,
            "uses_account": concern.reporter_user_id is not None,
            "acknowledge_by": concern.acknowledge_by,
            "feedback_by": concern.feedback_by,
            "files_count": concern.files.count(),
        },
    )


@require_http_methods(["GET", "POST"])
@no_store
@memory_uploads
def journey_step(request, step: str = journey.FIRST):
    if step not in journey.SLUGS:
        raise Http404("There is no such question.")
    if request.method == "GET":
        if step != journey.FIRST or request.resolver_match.kwargs.get("step"):
            return redirect("concerns:new")
        return _render(request, journey.new_state(), journey.FIRST)
    try:
        state = journey.state_load(request.POST.get("state"))
    except journey.BadState:
        return _start_again(request)
    shown = request.POST.get("_show")
    if shown in ("back", "change"):
        if shown == "change":
            state["changing"] = True
        if step != journey.CHECK and step not in journey.applicable(state):
            step = journey.first_incomplete(state, request.user) or journey.CHECK
        return _render(request, state, step)
    if step == journey.CHECK:
        missing = journey.first_incomplete(state, request.user)
        if missing:
            return _render(request, state, missing)
        return _send(request, state)
    if step not in journey.applicable(state):
        return _render(
            request, state, journey.first_incomplete(state, request.user) or journey.CHECK
        )
    step_info = journey.STEPS_BY_SLUG[step]
    if step_info.template == "concerns/report/search.jinja":
        return _search_post(request, state, step)
    kwargs = {"answers": journey.answers(state), "user": request.user}
    if step == "contact":
        kwargs["offer_account"] = journey.offer_account(state, request.user)
    form = step_info.form(request.POST, **kwargs)
    if not form.is_valid():
        return _render(request, state, step, form=form)
    return _advance(request, state, step, form.answers())


# --- The inbox ----------------------------------------------------------------------


def _inbox_context(concern: Concern, *, reply_form=None, file_error="", sent=False) -> dict:
    sent_files = services.files_for_reporter(concern=concern)
    by_message: dict = {}
    for item in sent_files:
        by_message.setdefault(item["message_number"], []).append(item)
    thread = [
        {
            "who": "You" if m["author"] == "reporter" else "Steward",
            "sent_on": m["sent_on"],
            "paragraphs": [p for p in m["body"].splitlines() if p.strip()],
            "files": by_message.get(m["number"], []),
        }
        for m in services.messages_for_reporter(concern=concern)
    ]
    form = reply_form or ReplyForm()
    errors = [{"text": str(e), "href": "#id_body"} for e in (form.errors.get("body") or [])] + (
        [{"text": file_error, "href": "#files"}] if file_error else []
    )
    errors += [{"text": str(e)} for e in form.non_field_errors()]
    return {
        "concern": concern,
        "status_tag": presenters.reporter_status_tag(concern.status),
        "status_text": presenters.reporter_status_text(concern.status),
        "thread": thread,
        "report_files": by_message.get(None, []),
        "reply_form": form,
        "errors": errors,
        "file_error": file_error,
        "files_hint": files.allowed_hint(),
        "sent": sent,
    }


def _reply(request, concern: Concern, *, code: str | None):
    """A reply (and files) from the inbox; the inbox again, with what happened."""
    form = ReplyForm(request.POST)
    file_error = ""
    sent = False
    if form.is_valid():
        try:
            services.reporter_message_add(
                concern=concern,
                body=form.cleaned_data["body"],
                uploads=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            file_error = " ".join(getattr(error, "message_dict", {}).get("files", []))
            if not file_error:
                add_service_errors(form, error)
        else:
            sent = True
            form = ReplyForm()
            concern.refresh_from_db()
    context = _inbox_context(concern, reply_form=form, file_error=file_error, sent=sent)
    context.update({"code": code, "reply_url": _reply_url(concern, code)})
    return render(
        request,
        "concerns/inbox/inbox.jinja",
        context,
        status=200 if sent or not context["errors"] else 400,
    )


def _reply_url(concern: Concern, code: str | None) -> str:
    if code is not None:
        return reverse("concerns:inbox_reply")
    return reverse("concerns:mine_detail", kwargs={"reference": concern.reference})


def _code_page(request, form, *, status=200):
    return render(request, "concerns/inbox/code.jinja", {"form": form}, status=status)


def _concern_for_code(request, code_form):
    """(concern, None) for a right code, or (None, response) to answer with. Wrong,
    unknown and malformed codes get the same answer, and count against the limit."""
    if not code_form.is_valid():
        return None, _code_page(request, code_form)
    if ratelimit.exceeded(request, ratelimit.CODE_FAILURES):
        return None, _too_many(request, TOO_MANY_CODES)
    concern = services.concern_by_receipt(code=code_form.cleaned_data["code"])
    if concern is None:
        ratelimit.spend(request, ratelimit.CODE_FAILURES)
        # The same page whatever was typed: nothing of the code is shown back.
        form = ReceiptCodeForm({"code": ""})
        form.is_valid()
        form.errors["code"] = form.error_class([CODE_NOT_FOUND])
        return None, _code_page(request, form)
    return concern, None


@require_http_methods(["GET", "POST"])
@no_store
def inbox(request):
    """Enter a receipt code (POST only: never in the address) to open the inbox."""
    if request.method == "GET":
        return _code_page(request, ReceiptCodeForm())
    code_form = ReceiptCodeForm(request.POST)
    concern, refusal = _concern_for_code(request, code_form)
    if refusal is not None:
        return refusal
    context = _inbox_context(concern)
    code = code_form.cleaned_data["code"]
    context.update({"code": code, "reply_url": _reply_url(concern, code)})
    return render(request, "concerns/inbox/inbox.jinja", context)


@require_http_methods(["GET", "POST"])
@no_store
@memory_uploads
def inbox_reply(request):
    """A reply from the inbox: the code comes again in a hidden field, so no session."""
    if request.method == "GET":
        return redirect("concerns:inbox")
    code_form = ReceiptCodeForm(request.POST)
    concern, refusal = _concern_for_code(request, code_form)
    if refusal is not None:
        return refusal
    return _reply(request, concern, code=code_form.cleaned_data["code"])


# --- Open reporters who used their account -----------------------------------------


@require_GET
@permission_required("concerns.see_own_concerns")
@no_store
def mine(request):
    rows = presenters.own_concern_rows(selectors.concerns_raised_by_user(user=request.user))
    return render(request, "concerns/inbox/mine.jinja", {"rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("concerns.see_own_concerns")
@no_store
@memory_uploads
def mine_detail(request, reference: str):
    concern = get_object_or_404(Concern, reporter_user=request.user, reference=reference[:20])
    if request.method == "POST":
        return _reply(request, concern, code=None)
    context = _inbox_context(concern)
    context.update({"code": None, "reply_url": _reply_url(concern, None)})
    return render(request, "concerns/inbox/inbox.jinja", context)
