"""Pages for auditors: browse and filter the trail, see one event with its proof, verify.

Deny by default: every view needs an audit permission (auditors only, see
rules.py). Reading the trail is not itself recorded (it holds no restricted
data); asking for a verification is.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit import forms, presenters, selectors, services, signing
from steward.core.permissions import permission_required

VIEW = "audit.view_auditevent"


@require_GET
@permission_required(VIEW)
def event_list(request):
    form = forms.EventFilterForm(request.GET)
    page = None
    if form.is_valid():
        page = selectors.event_page(
            filters=form.filters(),
            before=forms.parse_cursor(request.GET.get("before")),
            after=forms.parse_cursor(request.GET.get("after")),
        )
    context = {
        "form": form,
        "page": page,
        "rows": presenters.event_table_rows(page.events) if page else [],
        "date_range": presenters.date_range_text(
            form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
        )
        if page
        else "",
    }
    return render(request, "audit/list.jinja", context)


@require_GET
@permission_required(VIEW)
def event_detail(request, seq: int):
    event = selectors.event_get(seq=seq)
    if event is None:
        raise Http404("No audit event has that number.")
    checkpoint = selectors.checkpoint_latest()
    try:
        proof = selectors.inclusion_proof(event=event, checkpoint=checkpoint)
        proof_problem = False
    except selectors.ProofUnavailable:
        proof, proof_problem = None, True
    previous_seq, next_seq = selectors.event_neighbours(seq=event.seq)
    context = {
        "event": event,
        "summary_rows": presenters.event_summary_rows(
            event, hash_matches=event.computed_hash() == event.entry_hash
        ),
        "checkpoint": checkpoint,
        "proof": proof,
        "proof_problem": proof_problem,
        "previous_seq": previous_seq,
        "next_seq": next_seq,
    }
    return render(request, "audit/detail.jinja", context)


@require_http_methods(["GET", "POST"])
@permission_required(VIEW)
def verify(request):
    if request.method == "POST":
        if not request.user.has_perm("audit.verify_trail"):
            raise PermissionDenied
        run = services.verification_request(actor=request.user)
        if run.is_finished:
            messages.success(request, "The audit trail has been checked.")
        else:
            messages.success(
                request,
                "The check has started. It can take a few minutes for a "
                "long trail: refresh this page to see how far it has got.",
            )
        return redirect("audit:verify")
    run = selectors.verification_run_latest()
    key = signing.verify_key()
    context = {
        "run": run,
        "run_rows": presenters.run_summary_rows(
            run,
            link_bad_event=bool(run.first_bad_seq and selectors.event_get(seq=run.first_bad_seq)),
        )
        if run
        else [],
        "trail_size": selectors.trail_size(),
        "checkpoint_rows": presenters.checkpoint_table_rows(selectors.checkpoints_recent()),
        "key_rows": presenters.public_key_rows(
            key_id=signing.key_id(bytes(key)),
            public_key_hex=bytes(key).hex(),
            verifier_key=signing.verifier_key(bytes(key)),
        ),
    }
    return render(request, "audit/verify.jinja", context)
