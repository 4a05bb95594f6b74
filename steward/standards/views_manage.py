"""The administrator's pages for editing the standards: start a draft, change what is
in it, then publish it with the date it takes effect (or discard it).

Views stay thin: every rule is in ``services``; a refusal is shown on the form
with the service's own message. An item of a published version is never
editable: its pages say so and change nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from steward.core import clock
from steward.core.formatting import uk_date
from steward.core.nhsuk_forms import add_service_errors
from steward.core.permissions import permission_required
from steward.standards import presenters, selectors, services
from steward.standards.forms import (
    ConfirmForm,
    DomainForm,
    GuidanceForm,
    NeverEventForm,
    PublishForm,
    StandardForm,
    lines,
)
from steward.standards.models import CompetencyDomain, NeverEvent, Standard

MANAGE = "standards.manage"
NO_DRAFT = "There is no draft of the standards at the moment. Start one to make changes."
EDIT_REASON = "Edited the draft of the standards"
SAVE = "Save and return"


def _posted(request):
    """The form data of a POST (even an empty one, so a form can say what is missing)."""
    return request.POST if request.method == "POST" else None


def _item_or_404(model, pk: int):
    item = selectors.item_get(model, pk=pk)
    if item is None:
        raise Http404("There is nothing with that number in the standards.")
    return item


def _refused(request, item, *, heading: str):
    """The page for an item of a published version: the service's refusal, nothing else."""
    return render(
        request,
        "standards/manage/refused.jinja",
        {
            "heading": heading,
            "message": services.draft_required_problem(version=item.version),
        },
    )


def _saved(item) -> str:
    return f"{item.ref} saved."


def _no_draft(request):
    messages.info(request, NO_DRAFT)
    return redirect("standards:manage")


def _item_form(
    request, form, *, save, saved_message, heading: str, version, button: str, intro: str = ""
):
    """The form page for something in the draft. A valid POST runs ``save(cleaned_data)``
    (a service) and goes back to the draft saying ``saved_message(what it returned)``; a
    refusal from the service is shown on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved_message(saved))
            return redirect("standards:draft")
    return render(
        request,
        "standards/manage/item_form.jinja",
        {
            "form": form,
            "heading": heading,
            "version": version,
            "button_text": button,
            "intro": intro,
        },
    )


# --- Home, starting, discarding and publishing ------------------------------------


@require_GET
@permission_required(MANAGE)
def manage(request):
    return render(
        request,
        "standards/manage/home.jinja",
        {
            "draft": selectors.current_draft(),
            "entries": presenters.version_timeline(
                versions=list(selectors.published_versions().select_related("published_by")),
                today=clock.today(),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def draft_start(request):
    draft = selectors.current_draft()
    if draft is not None:
        return redirect("standards:draft")
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.standards_draft_create(
                actor=request.user, reason="Started a new draft of the standards"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Draft version {draft.number} started as a copy of the latest published "
                "version. Make your changes, then publish it.",
            )
            return redirect("standards:draft")
    return render(
        request,
        "standards/manage/start.jinja",
        {"form": form, "latest": selectors.latest_published()},
    )


@require_GET
@permission_required(MANAGE)
def draft(request):
    version = selectors.current_draft()
    if version is None:
        return _no_draft(request)
    contents = selectors.version_contents(version=version)
    return render(
        request,
        "standards/manage/draft.jinja",
        {
            "draft": contents,
            "problems": selectors.contents_problems(contents=contents),
            "standard_rows": presenters.draft_standard_rows(contents),
            "domain_rows": presenters.draft_domain_rows(contents),
            "never_event_rows": presenters.draft_never_event_rows(contents),
            "copied_from": selectors.latest_published(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def draft_discard(request):
    version = selectors.current_draft()
    if version is None:
        return _no_draft(request)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.standards_draft_discard(
                version=version, actor=request.user, reason="Discarded the draft of the standards"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Draft version {version.number} discarded.")
            return redirect("standards:manage")
    return render(
        request,
        "standards/manage/confirm.jinja",
        {
            "form": form,
            "heading": f"Discard draft version {version.number}?",
            "warning": "Every change made in this draft will be lost. This cannot be undone.",
            "button_text": "Discard the draft",
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def draft_publish(request):
    version = selectors.current_draft()
    if version is None:
        return _no_draft(request)
    form = PublishForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.standards_version_publish(
                version=version,
                effective_from=form.cleaned_data["effective_from"],
                summary=form.cleaned_data["summary"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Version {version.number} published. It takes effect on "
                f"{uk_date(version.effective_from)}.",
            )
            return redirect("standards:manage")
    return render(
        request,
        "standards/manage/publish.jinja",
        {
            "form": form,
            "draft": version,
            "latest": selectors.latest_published(),
            "problems": selectors.draft_problems(version=version),
        },
    )


# --- Standards -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def standard_add(request):
    version = selectors.current_draft()
    if version is None:
        return _no_draft(request)
    form = StandardForm(
        _posted(request),
        initial={"ref": services.next_ref(version=version, kind="standard")},
    )
    return _item_form(
        request,
        form,
        save=lambda data: services.standard_add(
            version=version, actor=request.user, reason=EDIT_REASON, **data
        ),
        saved_message=lambda standard: (
            f"{standard.ref} added. Add its sanctions guidance before you publish."
        ),
        heading="Add a standard",
        version=version,
        button="Add the standard",
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def standard_change(request, pk: int):
    standard = _item_or_404(Standard, pk)
    heading = f"Change {standard.ref}"
    if standard.version.is_published:
        return _refused(request, standard, heading=heading)
    form = StandardForm(
        _posted(request),
        with_revision=True,
        initial={
            "ref": standard.ref,
            "title": standard.title,
            "text": standard.text,
            "revision": standard.revision,
        },
    )
    return _item_form(
        request,
        form,
        save=lambda data: services.standard_update(
            standard=standard,
            expected_revision=data["revision"],
            ref=data["ref"],
            title=data["title"],
            text=data["text"],
            actor=request.user,
            reason=EDIT_REASON,
        ),
        saved_message=_saved,
        heading=heading,
        version=standard.version,
        button=SAVE,
    )


def _remove_page(request, item, *, noun: str, remove, warning: str):
    """Confirm and remove one item (a standard or a never event) from the draft."""
    heading = f"Remove {item.ref} from the draft?"
    if item.version.is_published:
        return _refused(request, item, heading=heading)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            remove(item)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{item.ref} removed from the draft.")
            return redirect("standards:draft")
    return render(
        request,
        "standards/manage/confirm.jinja",
        {
            "form": form,
            "heading": heading,
            "body": f"{item.ref}: {item.title}",
            "warning": warning,
            "button_text": f"Remove the {noun}",
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def standard_remove(request, pk: int):
    return _remove_page(
        request,
        _item_or_404(Standard, pk),
        noun="standard",
        remove=lambda item: services.standard_remove(
            standard=item, actor=request.user, reason=EDIT_REASON
        ),
        warning="Its sanctions guidance will be removed too. Never events that "
        "breach it will no longer link to it.",
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def standard_guidance(request, pk: int):
    return _guidance(request, _item_or_404(Standard, pk), kind="standard")


# --- Competency domains ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def domain_change(request, pk: int):
    domain = _item_or_404(CompetencyDomain, pk)
    heading = f"Change {domain.ref}"
    if domain.version.is_published:
        return _refused(request, domain, heading=heading)
    form = DomainForm(
        _posted(request),
        initial={
            "name": domain.name,
            "description": domain.description,
            "what_good_looks_like": "\n".join(domain.good_practice),
            "revision": domain.revision,
        },
    )
    return _item_form(
        request,
        form,
        save=lambda data: services.competency_domain_update(
            domain=domain,
            expected_revision=data["revision"],
            name=data["name"],
            description=data["description"],
            what_good_looks_like=lines(data["what_good_looks_like"]),
            actor=request.user,
            reason=EDIT_REASON,
        ),
        saved_message=_saved,
        heading=heading,
        version=domain.version,
        button=SAVE,
    )


# --- Never events ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def never_event_add(request):
    version = selectors.current_draft()
    if version is None:
        return _no_draft(request)
    form = NeverEventForm(
        _posted(request),
        standards=list(Standard.objects.filter(version=version)),
        initial={"ref": services.next_ref(version=version, kind="never_event")},
    )
    return _item_form(
        request,
        form,
        save=lambda data: services.never_event_add(
            version=version,
            ref=data["ref"],
            title=data["title"],
            description=data["description"],
            standard_refs=data["standards"],
            actor=request.user,
            reason=EDIT_REASON,
        ),
        saved_message=lambda event: (
            f"{event.ref} added. Add its sanctions guidance before you publish."
        ),
        heading="Add a never event",
        version=version,
        button="Add the never event",
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def never_event_change(request, pk: int):
    event = _item_or_404(NeverEvent, pk)
    heading = f"Change {event.ref}"
    if event.version.is_published:
        return _refused(request, event, heading=heading)
    form = NeverEventForm(
        _posted(request),
        standards=list(Standard.objects.filter(version=event.version)),
        with_revision=True,
        initial={
            "ref": event.ref,
            "title": event.title,
            "description": event.description,
            "standards": list(event.standards.values_list("ref", flat=True)),
            "revision": event.revision,
        },
    )
    return _item_form(
        request,
        form,
        save=lambda data: services.never_event_update(
            never_event=event,
            expected_revision=data["revision"],
            ref=data["ref"],
            title=data["title"],
            description=data["description"],
            standard_refs=data["standards"],
            actor=request.user,
            reason=EDIT_REASON,
        ),
        saved_message=_saved,
        heading=heading,
        version=event.version,
        button=SAVE,
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def never_event_remove(request, pk: int):
    return _remove_page(
        request,
        _item_or_404(NeverEvent, pk),
        noun="never event",
        remove=lambda item: services.never_event_remove(
            never_event=item, actor=request.user, reason=EDIT_REASON
        ),
        warning="Its sanctions guidance will be removed too.",
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def never_event_guidance(request, pk: int):
    return _guidance(request, _item_or_404(NeverEvent, pk), kind="never_event")


# --- Sanctions guidance -------------------------------------------------------------


def _guidance(request, item, *, kind: str):
    heading = f"Sanctions guidance for {item.ref}"
    if item.version.is_published:
        return _refused(request, item, heading=heading)
    guidance = selectors.guidance_of(item)
    initial = {"revision": None}
    if guidance is not None:
        initial = {
            "least_severe": guidance.least_severe,
            "most_severe": guidance.most_severe,
            "guidance": guidance.guidance,
            "aggravating_factors": "\n".join(guidance.aggravating),
            "mitigating_factors": "\n".join(guidance.mitigating),
            "revision": guidance.revision,
        }
    form = GuidanceForm(_posted(request), initial=initial)
    intro = f"{item.ref}: {item.title}."
    if kind == "never_event":
        intro += " A never event always leads to a sanction: the least severe outcome must be "
        intro += "a warning or more severe."
    return _item_form(
        request,
        form,
        save=lambda data: services.sanctions_guidance_update(
            **{kind: item},
            expected_revision=data["revision"],
            least_severe=data["least_severe"],
            most_severe=data["most_severe"],
            guidance=data["guidance"],
            aggravating_factors=lines(data["aggravating_factors"]),
            mitigating_factors=lines(data["mitigating_factors"]),
            actor=request.user,
            reason=EDIT_REASON,
        ),
        saved_message=lambda _guidance: f"Sanctions guidance for {item.ref} saved.",
        heading=heading,
        version=item.version,
        button=SAVE,
        intro=intro,
    )
