"""Every rule of the standards services, refusals included."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import AuditEvent
from steward.standards import services
from steward.standards.models import (
    CompetencyDomain,
    NeverEvent,
    SanctionsGuidance,
    Standard,
    StandardsVersion,
)
from steward.standards.tests.conftest import TODAY, publish

pytestmark = pytest.mark.django_db

PUBLISHED = "Version 1 is published, and a published version never changes"


def events(action):
    return list(AuditEvent.objects.filter(action=action))


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def snapshot(version) -> dict:
    """Everything a version holds, to show that nothing changed."""
    return {
        "version": StandardsVersion.objects.filter(pk=version.pk).values().get(),
        "standards": list(Standard.objects.filter(version=version).values()),
        "domains": list(CompetencyDomain.objects.filter(version=version).values()),
        "events": list(NeverEvent.objects.filter(version=version).values()),
        "links": sorted(
            NeverEvent.standards.through.objects.filter(neverevent__version=version).values_list(
                "neverevent__ref", "standard__ref"
            )
        ),
        "guidance": list(SanctionsGuidance.objects.filter(version=version).values()),
    }


def guidance_values(**overrides) -> dict:
    return {
        "least_severe": "advice",
        "most_severe": "suspension",
        "guidance": "Usually advice.",
        "aggravating_factors": ["Repeated", "Harm to patients"],
        "mitigating_factors": ["Early admission"],
        **overrides,
    }


# --- Drafts -------------------------------------------------------------------


def test_a_draft_copies_the_latest_published_version(draft, version_1, admin):
    assert draft.number == 2
    assert draft.status == "draft"
    assert draft.created_by == admin
    assert Standard.objects.filter(version=draft).count() == 12
    assert CompetencyDomain.objects.filter(version=draft).count() == 6
    assert SanctionsGuidance.objects.filter(version=draft).count() == 20
    ne1 = NeverEvent.objects.get(version=draft, ref="NE1")
    # The links point at the draft's own standards, not version 1's.
    assert sorted(s.ref for s in ne1.standards.all()) == ["CC3", "CC4"]
    assert {s.version_id for s in ne1.standards.all()} == {draft.pk}
    assert ne1.guidance.least_severe == "suspension"
    cc1 = Standard.objects.get(version=draft, ref="CC1")
    assert (
        cc1.guidance.aggravating
        == Standard.objects.get(version=version_1, ref="CC1").guidance.aggravating
    )
    event = events("standards.draft.created")[0]
    assert event.actor == admin
    assert '"copied_from":1' in event.payload


def test_only_one_draft_at_a_time(draft, admin):
    with pytest.raises(ValidationError) as error:
        services.standards_draft_create(actor=admin, reason="again")
    assert "There is already a draft, version 2" in messages(error.value)
    assert StandardsVersion.objects.filter(status="draft").count() == 1


def test_a_draft_needs_a_published_version_to_copy(db, admin):
    StandardsVersion.objects.all().delete()
    with pytest.raises(ValidationError, match="no published version"):
        services.standards_draft_create(actor=admin, reason="test")


def test_discarding_a_draft_removes_it_and_everything_in_it(draft, admin):
    services.standards_draft_discard(version=draft, actor=admin, reason="Not needed")
    assert not StandardsVersion.objects.filter(pk=draft.pk).exists()
    assert not Standard.objects.filter(version_id=draft.pk).exists()
    assert events("standards.draft.discarded")[0].reason == "Not needed"


def test_a_published_version_cannot_be_discarded(version_1, admin):
    with pytest.raises(ValidationError) as error:
        services.standards_draft_discard(version=version_1, actor=admin, reason="test")
    assert PUBLISHED in messages(error.value)
    assert StandardsVersion.objects.filter(pk=version_1.pk).exists()


# --- Standards ------------------------------------------------------------------


def test_adding_a_standard_puts_it_last_and_audits_it(draft, admin):
    standard = services.standard_add(
        version=draft,
        ref=" cc 13 ",
        title="Be kind",
        text="You are kind.",
        actor=admin,
        reason="test",
    )
    assert standard.ref == "CC13"
    assert standard.position == 13
    event = events("standards.standard.added")[0]
    assert event.subject_id == str(draft.pk)
    assert '"ref":"CC13"' in event.payload


@pytest.mark.parametrize(
    ("ref", "title", "text", "field", "message"),
    [
        ("13", "Title", "Text", "ref", "Enter a reference made of CC and a number, like CC13."),
        ("NE13", "Title", "Text", "ref", "Enter a reference made of CC and a number"),
        ("", "Title", "Text", "ref", "Enter the reference, like CC13."),
        ("CC3", "Title", "Text", "ref", "The draft already has a standard CC3."),
        ("CC13", " ", "Text", "title", "Enter the title."),
        ("CC13", "Title", "", "text", "Enter the text of the standard."),
        ("CC13", "T" * 201, "Text", "title", "Title must be 200 characters or fewer."),
    ],
)
def test_adding_a_standard_is_refused_with_a_message(
    draft, admin, ref, title, text, field, message
):
    with pytest.raises(ValidationError) as error:
        services.standard_add(
            version=draft, ref=ref, title=title, text=text, actor=admin, reason="test"
        )
    assert message in " ".join(error.value.message_dict[field])
    assert Standard.objects.filter(version=draft).count() == 12


def test_changing_a_standard_saves_and_audits_it(draft, admin):
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    services.standard_update(
        standard=cc3,
        expected_revision=cc3.revision,
        ref="CC3",
        title=cc3.title,
        text="Stronger text.",
        actor=admin,
        reason="test",
    )
    cc3.refresh_from_db()
    assert cc3.text == "Stronger text."
    assert cc3.revision == 2
    assert '"fields":["text"]' in events("standards.standard.changed")[0].payload


def test_changing_a_standard_someone_else_changed_is_refused(draft, admin):
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    services.standard_update(
        standard=cc3,
        expected_revision=1,
        ref="CC3",
        title="First",
        text="First.",
        actor=admin,
        reason="test",
    )
    with pytest.raises(services.StaleEdit):
        services.standard_update(
            standard=cc3,
            expected_revision=1,
            ref="CC3",
            title="Second",
            text="Second.",
            actor=admin,
            reason="test",
        )
    cc3.refresh_from_db()
    assert cc3.title == "First"


def test_a_standard_cannot_take_another_standards_reference(draft, admin):
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    with pytest.raises(ValidationError) as error:
        services.standard_update(
            standard=cc3,
            expected_revision=1,
            ref="CC4",
            title="x",
            text="x",
            actor=admin,
            reason="test",
        )
    assert "already has a standard CC4" in messages(error.value)


def test_removing_a_standard_removes_its_guidance_and_its_links(draft, admin):
    cc4 = Standard.objects.get(version=draft, ref="CC4")
    pk = cc4.pk
    services.standard_remove(standard=cc4, actor=admin, reason="test")
    assert not Standard.objects.filter(version=draft, ref="CC4").exists()
    assert not SanctionsGuidance.objects.filter(standard_id=pk).exists()
    ne1 = NeverEvent.objects.get(version=draft, ref="NE1")
    assert [s.ref for s in ne1.standards.all()] == ["CC3"]
    assert events("standards.standard.removed")


def test_a_standard_a_never_event_breaches_alone_cannot_be_removed(draft, admin):
    ne1 = NeverEvent.objects.get(version=draft, ref="NE1")
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    ne1.standards.set([cc3])
    with pytest.raises(ValidationError) as error:
        services.standard_remove(standard=cc3, actor=admin, reason="test")
    assert "NE1 breaches only CC3" in messages(error.value)
    assert Standard.objects.filter(pk=cc3.pk).exists()


# --- Domains ----------------------------------------------------------------------


def test_changing_a_domain_saves_its_statements_one_per_line(draft, admin):
    d1 = CompetencyDomain.objects.get(version=draft, ref="D1")
    services.competency_domain_update(
        domain=d1,
        expected_revision=1,
        name=d1.name,
        description="New description.",
        what_good_looks_like=["  First  ", "", "Second"],
        actor=admin,
        reason="test",
    )
    d1.refresh_from_db()
    assert d1.description == "New description."
    assert d1.good_practice == ["First", "Second"]
    assert events("standards.domain.changed")


def test_a_domain_needs_what_good_looks_like(draft, admin):
    d1 = CompetencyDomain.objects.get(version=draft, ref="D1")
    with pytest.raises(ValidationError) as error:
        services.competency_domain_update(
            domain=d1,
            expected_revision=1,
            name=d1.name,
            description="x",
            what_good_looks_like=["", " "],
            actor=admin,
            reason="test",
        )
    assert error.value.message_dict["what_good_looks_like"] == [
        "Enter at least one statement of what good looks like."
    ]


# --- Never events ---------------------------------------------------------------


def test_adding_a_never_event_links_standards_of_the_draft(draft, admin):
    event = services.never_event_add(
        version=draft,
        ref="NE9",
        title="Gagging",
        description="",
        standard_refs=["cc3", "CC1"],
        actor=admin,
        reason="test",
    )
    assert event.position == 9
    assert sorted(s.ref for s in event.standards.all()) == ["CC1", "CC3"]
    assert {s.version_id for s in event.standards.all()} == {draft.pk}
    assert '"standards":["CC1","CC3"]' in events("standards.never_event.added")[0].payload


@pytest.mark.parametrize(
    ("refs", "ref", "field", "message"),
    [
        ([], "NE9", "standards", "Select at least one standard this never event breaches."),
        (["CC99"], "NE9", "standards", "The draft has no standard CC99."),
        (["CC1"], "NE1", "ref", "The draft already has a never event NE1."),
        (["CC1"], "CC9", "ref", "Enter a reference made of NE and a number, like NE9."),
    ],
)
def test_adding_a_never_event_is_refused_with_a_message(draft, admin, refs, ref, field, message):
    with pytest.raises(ValidationError) as error:
        services.never_event_add(
            version=draft,
            ref=ref,
            title="Title",
            description="",
            standard_refs=refs,
            actor=admin,
            reason="test",
        )
    assert message in " ".join(error.value.message_dict[field])
    assert NeverEvent.objects.filter(version=draft).count() == 8


def test_changing_the_standards_a_never_event_breaches(draft, admin):
    ne2 = NeverEvent.objects.get(version=draft, ref="NE2")
    services.never_event_update(
        never_event=ne2,
        expected_revision=1,
        ref="NE2",
        title=ne2.title,
        description=ne2.description,
        standard_refs=["CC10"],
        actor=admin,
        reason="test",
    )
    ne2.refresh_from_db()
    assert [s.ref for s in ne2.standards.all()] == ["CC10"]
    assert ne2.revision == 2
    with pytest.raises(services.StaleEdit):
        services.never_event_update(
            never_event=ne2,
            expected_revision=1,
            ref="NE2",
            title="Other",
            description="",
            standard_refs=["CC1"],
            actor=admin,
            reason="test",
        )


def test_removing_a_never_event_removes_its_guidance(draft, admin):
    ne8 = NeverEvent.objects.get(version=draft, ref="NE8")
    pk = ne8.pk
    services.never_event_remove(never_event=ne8, actor=admin, reason="test")
    assert not NeverEvent.objects.filter(pk=pk).exists()
    assert not SanctionsGuidance.objects.filter(never_event_id=pk).exists()
    assert events("standards.never_event.removed")


# --- Sanctions guidance --------------------------------------------------------------


def test_guidance_for_a_new_standard_is_created_then_changed(draft, admin):
    standard = services.standard_add(
        version=draft, ref="CC13", title="New", text="New.", actor=admin, reason="test"
    )
    guidance = services.sanctions_guidance_update(
        standard=standard,
        expected_revision=None,
        actor=admin,
        reason="test",
        **guidance_values(),
    )
    assert guidance.version_id == draft.pk
    assert guidance.aggravating == ["Repeated", "Harm to patients"]
    services.sanctions_guidance_update(
        standard=standard,
        expected_revision=guidance.revision,
        actor=admin,
        reason="test",
        **guidance_values(most_severe="barring"),
    )
    guidance.refresh_from_db()
    assert guidance.most_severe == "barring"
    assert len(events("standards.guidance.changed")) == 2
    with pytest.raises(services.StaleEdit):
        services.sanctions_guidance_update(
            standard=standard,
            expected_revision=1,
            actor=admin,
            reason="test",
            **guidance_values(),
        )


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "message"),
    [
        (
            "standard",
            {"least_severe": "barring", "most_severe": "advice"},
            "least_severe",
            "The least severe outcome (barring) is more severe than the most severe outcome",
        ),
        (
            "never_event",
            {"least_severe": "advice", "most_severe": "barring"},
            "least_severe",
            "must be a warning or a more severe outcome",
        ),
        (
            "standard",
            {"least_severe": "caution"},
            "least_severe",
            "Select the least severe outcome from the list.",
        ),
        (
            "standard",
            {"aggravating_factors": []},
            "aggravating_factors",
            "Enter at least one aggravating factor.",
        ),
        (
            "standard",
            {"mitigating_factors": "\n \n"},
            "mitigating_factors",
            "Enter at least one mitigating factor.",
        ),
        ("standard", {"guidance": ""}, "guidance", "Enter the guidance."),
    ],
)
def test_guidance_is_refused_with_a_message(draft, admin, kind, overrides, field, message):
    model = Standard if kind == "standard" else NeverEvent
    item = model.objects.get(version=draft, ref="CC2" if kind == "standard" else "NE2")
    before = snapshot(draft)
    with pytest.raises(ValidationError) as error:
        services.sanctions_guidance_update(
            **{kind: item},
            expected_revision=item.guidance.revision,
            actor=admin,
            reason="test",
            **guidance_values(**overrides),
        )
    assert message in " ".join(error.value.message_dict[field])
    assert snapshot(draft) == before


def test_a_never_event_may_range_from_a_warning(draft, admin):
    ne4 = NeverEvent.objects.get(version=draft, ref="NE4")
    services.sanctions_guidance_update(
        never_event=ne4,
        expected_revision=1,
        actor=admin,
        reason="test",
        **guidance_values(least_severe="warning", most_severe="warning"),
    )
    ne4.guidance.refresh_from_db()
    assert ne4.guidance.most_severe == "warning"


# --- A published version never changes --------------------------------------------


def test_every_edit_to_a_published_version_is_refused(version_1, admin):
    before = snapshot(version_1)
    cc3 = Standard.objects.get(version=version_1, ref="CC3")
    d1 = CompetencyDomain.objects.get(version=version_1, ref="D1")
    ne1 = NeverEvent.objects.get(version=version_1, ref="NE1")
    attempts = [
        lambda: services.standard_add(
            version=version_1, ref="CC13", title="x", text="x", actor=admin, reason="t"
        ),
        lambda: services.standard_update(
            standard=cc3,
            expected_revision=1,
            ref="CC3",
            title="x",
            text="x",
            actor=admin,
            reason="t",
        ),
        lambda: services.standard_remove(standard=cc3, actor=admin, reason="t"),
        lambda: services.competency_domain_update(
            domain=d1,
            expected_revision=1,
            name="x",
            description="x",
            what_good_looks_like=["x"],
            actor=admin,
            reason="t",
        ),
        lambda: services.never_event_add(
            version=version_1,
            ref="NE9",
            title="x",
            description="",
            standard_refs=["CC1"],
            actor=admin,
            reason="t",
        ),
        lambda: services.never_event_update(
            never_event=ne1,
            expected_revision=1,
            ref="NE1",
            title="x",
            description="",
            standard_refs=["CC1"],
            actor=admin,
            reason="t",
        ),
        lambda: services.never_event_remove(never_event=ne1, actor=admin, reason="t"),
        lambda: services.sanctions_guidance_update(
            standard=cc3, expected_revision=1, actor=admin, reason="t", **guidance_values()
        ),
        lambda: services.standards_version_publish(
            version=version_1, effective_from=TODAY, summary="x", actor=admin
        ),
        lambda: services.standards_draft_discard(version=version_1, actor=admin, reason="t"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert PUBLISHED in messages(error.value)
    assert snapshot(version_1) == before
    assert not AuditEvent.objects.filter(action__startswith="standards.").exists()


def test_editing_the_draft_leaves_the_published_version_alone(draft, version_1, admin):
    before = snapshot(version_1)
    cc3 = Standard.objects.get(version=draft, ref="CC3")
    services.standard_update(
        standard=cc3,
        expected_revision=1,
        ref="CC3",
        title="New",
        text="New.",
        actor=admin,
        reason="t",
    )
    services.never_event_remove(
        never_event=NeverEvent.objects.get(version=draft, ref="NE1"), actor=admin, reason="t"
    )
    assert snapshot(version_1) == before


# --- Publishing -----------------------------------------------------------------------


def test_publishing_makes_the_draft_a_published_version(draft, admin):
    version = publish(
        draft,
        effective_from=TODAY + dt.timedelta(days=30),
        actor=admin,
        summary="Stronger speaking up",
    )
    assert version.status == "published"
    assert version.effective_from == TODAY + dt.timedelta(days=30)
    assert version.summary == "Stronger speaking up"
    assert version.published_by == admin
    assert version.published_at is not None
    event = events("standards.version.published")[0]
    assert event.reason == "Stronger speaking up"
    assert '"backdated":false' in event.payload


def test_a_version_may_take_effect_today(draft):
    assert publish(draft, effective_from=TODAY).effective_from == TODAY


def test_a_published_draft_never_changes_afterwards(draft, admin):
    publish(draft, effective_from=TODAY)
    cc1 = Standard.objects.get(version=draft, ref="CC1")
    with pytest.raises(ValidationError, match="Version 2 is published"):
        services.standard_update(
            standard=cc1,
            expected_revision=1,
            ref="CC1",
            title="x",
            text="x",
            actor=admin,
            reason="t",
        )


@pytest.mark.parametrize(
    ("effective_from", "message"),
    [
        (TODAY - dt.timedelta(days=1), "must be today or in the future"),
        (None, "Enter the date this version takes effect."),
    ],
)
def test_publishing_is_refused_for_a_bad_date(draft, effective_from, message):
    with pytest.raises(ValidationError) as error:
        publish(draft, effective_from=effective_from)
    assert message in " ".join(error.value.message_dict["effective_from"])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_version_must_take_effect_after_the_latest_published_one(draft, admin):
    publish(draft, effective_from=TODAY + dt.timedelta(days=100))
    third = services.standards_draft_create(actor=admin, reason="t")
    with pytest.raises(ValidationError) as error:
        publish(third, effective_from=TODAY + dt.timedelta(days=100))
    assert error.value.message_dict["effective_from"] == [
        f"The date this version takes effect must be after "
        f"{(TODAY + dt.timedelta(days=100)).day} March 2027, when version 2 takes effect."
    ]


def test_publishing_needs_a_summary(draft):
    with pytest.raises(ValidationError) as error:
        publish(draft, effective_from=TODAY, summary="  ")
    assert error.value.message_dict["summary"] == [
        "Enter a summary of what changed from the version before."
    ]


def test_publishing_needs_guidance_for_every_standard_and_never_event(draft, admin):
    services.standard_add(
        version=draft, ref="CC13", title="New", text="New.", actor=admin, reason="t"
    )
    services.never_event_add(
        version=draft,
        ref="NE9",
        title="Gagging",
        description="",
        standard_refs=["CC3"],
        actor=admin,
        reason="t",
    )
    with pytest.raises(ValidationError) as error:
        publish(draft, effective_from=TODAY)
    problems = error.value.message_dict["__all__"]
    assert "Add sanctions guidance for CC13 New." in problems
    assert "Add sanctions guidance for NE9 Gagging." in problems
    assert StandardsVersion.objects.get(pk=draft.pk).status == "draft"


def test_publishing_needs_every_never_event_to_breach_a_standard(draft):
    NeverEvent.objects.get(version=draft, ref="NE5").standards.clear()
    with pytest.raises(ValidationError) as error:
        publish(draft, effective_from=TODAY)
    assert error.value.message_dict["__all__"] == [
        "Choose at least one standard that NE5 Dishonesty to a regulator breaches."
    ]


def test_publishing_needs_at_least_one_standard(draft):
    Standard.objects.filter(version=draft).delete()
    NeverEvent.objects.filter(version=draft).delete()
    with pytest.raises(ValidationError) as error:
        publish(draft, effective_from=TODAY)
    assert error.value.message_dict["__all__"] == [
        "Add at least one standard to the code of conduct."
    ]


def test_a_backdated_publication_is_only_for_loading_history(draft, admin):
    version = services.standards_version_publish(
        version=draft,
        effective_from=dt.date(2026, 4, 1),
        summary="History",
        actor="demo",
        allow_past_date=True,
    )
    assert version.effective_from == dt.date(2026, 4, 1)
    assert '"backdated":true' in events("standards.version.published")[0].payload
