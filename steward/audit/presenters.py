"""Turn audit rows into the parameters of NHS.UK components (tables, summary lists, tags)."""

import json

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from steward.audit.models import AuditEvent, Checkpoint, VerificationRun
from steward.core.formatting import uk_date, uk_datetime

STATUS_COLOURS = {
    VerificationRun.Status.QUEUED: "grey",
    VerificationRun.Status.RUNNING: "blue",
    VerificationRun.Status.PASSED: "green",
    VerificationRun.Status.FAILED: "red",
    VerificationRun.Status.ERROR: "orange",
}


def _mono(value: str):
    return {"html": format_html('<code class="steward-mono">{}</code>', value)}


def _payload_html(payload: str):
    """One line per top-level key, its value as compact JSON: readable without a <pre>
    (the NHS summary list re-indents its HTML, which would garble preformatted text)."""
    try:
        data = json.loads(payload)
    except ValueError:  # only a tampered row holds text that is not JSON
        return format_html('<code class="steward-mono">{}</code>', payload)
    if not isinstance(data, dict) or not data:
        return "None" if data == {} else json.dumps(data, ensure_ascii=False)
    items = format_html_join(
        "",
        '<li><span class="nhsuk-u-font-weight-bold">{}</span>: '
        '<code class="steward-mono">{}</code></li>',
        (
            (key, json.dumps(value, ensure_ascii=False, sort_keys=True))
            for key, value in sorted(data.items())
        ),
    )
    return format_html('<ul class="nhsuk-list steward-payload">{}</ul>', items)


def event_table_rows(events: list[AuditEvent]) -> list[list[dict]]:
    rows = []
    for event in events:
        rows.append(
            [
                {
                    "text": str(event.seq),
                    "href": reverse("audit:detail", args=[event.seq]),
                    "visuallyHiddenText": "(view event)",
                },
                {"text": uk_datetime(event.occurred_at)},
                {"text": event.actor_display},
                {"text": event.action},
                {"text": event.subject_display or "None"},
            ]
        )
    return rows


def event_summary_rows(event: AuditEvent, *, hash_matches: bool) -> list[dict]:
    details = _payload_html(event.payload)
    return [
        {"key": {"text": "Sequence number"}, "value": {"text": str(event.seq)}},
        {"key": {"text": "When"}, "value": {"text": uk_datetime(event.occurred_at)}},
        {"key": {"text": "Done by"}, "value": {"text": event.actor_display}},
        {"key": {"text": "Action"}, "value": {"text": event.action}},
        {"key": {"text": "Subject"}, "value": {"text": event.subject_display or "None"}},
        {"key": {"text": "Reason"}, "value": {"text": event.reason or "None given"}},
        {"key": {"text": "Details"}, "value": {"html": details}},
        {"key": {"text": "Previous event's hash"}, "value": _mono(event.prev_hash)},
        {"key": {"text": "This event's hash"}, "value": _mono(event.entry_hash)},
        {
            "key": {"text": "Hash check"},
            "value": {
                "html": format_html(
                    '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>',
                    "green" if hash_matches else "red",
                    "Matches its contents" if hash_matches else "Does not match its contents",
                )
            },
        },
    ]


def checkpoint_table_rows(checkpoints: list[Checkpoint]) -> list[list[dict]]:
    return [
        [
            {"text": f"{checkpoint.tree_size:,}", "format": "numeric"},
            {"text": uk_datetime(checkpoint.created_at)},
            _mono(checkpoint.root_hash),
        ]
        for checkpoint in checkpoints
    ]


def run_summary_rows(run: VerificationRun, *, link_bad_event: bool) -> list[dict]:
    rows = [
        {
            "key": {"text": "Status"},
            "value": {
                "html": format_html(
                    '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>',
                    STATUS_COLOURS[run.status],
                    run.get_status_display(),
                )
            },
        },
        {
            "key": {"text": "Asked for"},
            "value": {
                "text": f"{uk_datetime(run.requested_at)}"
                + (f" by {run.requested_by.full_name}" if run.requested_by else "")
            },
        },
    ]
    if run.finished_at:
        rows.append({"key": {"text": "Finished"}, "value": {"text": uk_datetime(run.finished_at)}})
    rows.append(
        {
            "key": {"text": "Events checked"},
            "value": {"text": f"{run.events_checked:,} of {run.total_events:,}"},
        }
    )
    if run.is_finished:
        rows.append(
            {
                "key": {"text": "Checkpoints checked"},
                "value": {"text": f"{run.checkpoints_checked:,}"},
            }
        )
    if run.problem:
        value = {"text": run.problem}
        if run.first_bad_seq and link_bad_event:
            value = {
                "html": format_html(
                    '{} <a href="{}">See event {}</a>',
                    run.problem,
                    reverse("audit:detail", args=[run.first_bad_seq]),
                    run.first_bad_seq,
                )
            }
        rows.append({"key": {"text": "Problem"}, "value": value})
    return rows


def date_range_text(date_from, date_to) -> str:
    if date_from and date_to:
        return f"from {uk_date(date_from)} to {uk_date(date_to)}"
    if date_from:
        return f"from {uk_date(date_from)}"
    if date_to:
        return f"up to {uk_date(date_to)}"
    return ""


def public_key_rows(*, key_id: str, public_key_hex: str, verifier_key: str) -> list[dict]:
    return [
        {"key": {"text": "Key ID"}, "value": _mono(key_id)},
        {"key": {"text": "Public key (hex)"}, "value": _mono(public_key_hex)},
        {"key": {"text": "Verifier key (C2SP)"}, "value": _mono(verifier_key)},
    ]
