import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from steward.organisations.models import Organisation, OrganisationType, Region, Succession
from steward.organisations.services import (
    ReferenceDataError,
    organisations_load_reference_data,
    succession_record,
)
from steward.organisations.tests.factories import IcbFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

REGIONS = {
    "Y56": "London",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}


def snapshot():
    """Everything the loader writes, to compare before and after."""
    return (
        list(Region.objects.order_by("code").values_list("code", "name", "slug")),
        list(
            Organisation.objects.order_by("ods_code").values_list(
                "ods_code", "name", "search_name", "org_type", "region__code",
                "parent_icb__ods_code", "opened_on", "closed_on",
            )
        ),
        list(
            Succession.objects.order_by("predecessor__ods_code", "successor__ods_code").values_list(
                "predecessor__ods_code", "successor__ods_code", "kind", "effective_on", "note"
            )
        ),
    )  # fmt: skip


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Loading the real data --------------------------------------------------------


def test_load_creates_the_regions_organisations_and_successions(audit_events):
    result = organisations_load_reference_data(actor="steward demo")

    assert dict(Region.objects.values_list("code", "name")) == REGIONS
    assert Region.objects.get(code="Y63").slug == "north-east-and-yorkshire"
    assert Organisation.objects.count() == 245 + 6
    assert Organisation.objects.filter(org_type=OrganisationType.ICB).count() == 42 + 6
    assert Organisation.objects.filter(org_type=OrganisationType.FOUNDATION_TRUST).count() == 141
    assert Organisation.objects.filter(org_type=OrganisationType.NHS_TRUST).count() == 61
    assert Succession.objects.count() == 15
    assert (result.regions_created, result.organisations_created, result.successions_created) == (
        7,
        251,
        15,
    )
    assert result.updated == 0
    assert result.organisations_in_files == 251


def test_load_links_trusts_to_icbs_and_regions(reference_data):
    guys = Organisation.objects.select_related("parent_icb", "region").get(ods_code="RJ1")
    assert guys.name == "Guy's and St Thomas' NHS Foundation Trust"
    assert guys.search_name == "guys and st thomas nhs foundation trust"
    assert guys.parent_icb.ods_code == "QKK"
    assert guys.region.code == "Y56"
    england = Organisation.objects.get(ods_code="X24")
    assert (england.org_type, england.region, england.parent_icb) == ("national_body", None, None)
    # Every trust has a parent ICB; no ICB has one.
    assert not Organisation.objects.trusts().filter(parent_icb__isnull=True).exists()
    assert not Organisation.objects.filter(org_type="icb", parent_icb__isnull=False).exists()


def test_load_records_the_april_2026_mergers(reference_data):
    new = Organisation.objects.get(ods_code="Z9B2Z")
    assert new.name == "NHS West and North London Integrated Care Board"
    assert (new.org_type, new.region.code, new.opened_on, new.closed_on) == (
        "icb",
        "Y56",
        dt.date(2026, 4, 1),
        None,
    )
    for code, region in {"S1Y5D": "Y61", "D7T5G": "Y61", "T6Y0W": "Y61", "S0E4D": "Y59",
                         "S9B9J": "Y59"}.items():  # fmt: skip
        assert Organisation.objects.get(ods_code=code).region.code == region

    closed = set(
        Organisation.objects.filter(closed_on=dt.date(2026, 3, 31)).values_list(
            "ods_code", flat=True
        )
    )
    assert closed == {"QMJ", "QRV", "QHG", "QUE", "QM7", "QH8", "QJG", "QMM", "QU9", "QNQ",
                      "QXU", "QNX"}  # fmt: skip
    links = set(
        Succession.objects.values_list("predecessor__ods_code", "successor__ods_code", "kind")
    )
    assert ("QMJ", "Z9B2Z", "merger") in links
    assert ("QM7", "S1Y5D", "part_transfer") in links
    assert ("QM7", "D7T5G", "part_transfer") in links
    assert ("QJG", "T6Y0W", "part_transfer") in links
    assert ("QNQ", "S9B9J", "part_transfer") in links
    assert set(Succession.objects.values_list("effective_on", flat=True)) == {dt.date(2026, 4, 1)}


def test_second_load_changes_nothing(reference_data, audit_events):
    before = snapshot()

    result = organisations_load_reference_data(actor="steward demo")

    assert (result.created, result.updated, result.changed) == (0, 0, False)
    assert snapshot() == before
    assert audit_events() == []  # nothing changed, so nothing to audit


def test_load_writes_one_audit_event_with_the_counts(audit_events):
    organisations_load_reference_data(actor="steward demo", reason="First load")

    events = audit_events()
    assert len(events) == 1
    event = events[0]
    assert event["actor"] == "system: steward demo"
    assert event["action"] == "organisations.reference_data.loaded"
    assert event["reason"] == "First load"
    assert event["payload"]["organisations_created"] == 251
    assert event["payload"]["successions_created"] == 15
    assert set(event["payload"]["files_sha256"]) == {
        "regions.csv",
        "nhs_organisations.csv",
        "reorganisations.csv",
    }


def test_load_updates_changed_rows_and_keeps_search_name_in_step(reference_data, data_copy):
    edit(
        data_copy / "nhs_organisations.csv",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,QKK,London",
        "RJ1,Guy’s & St Thomas’ Hospitals NHS Foundation Trust,foundation_trust,QWE,London",
    )

    result = organisations_load_reference_data(actor="test", data_dir=data_copy)

    assert (result.organisations_created, result.organisations_updated) == (0, 1)
    guys = Organisation.objects.get(ods_code="RJ1")
    assert guys.search_name == "guys st thomas hospitals nhs foundation trust"
    assert guys.parent_icb.ods_code == "QWE"


def test_load_never_clears_a_date_the_files_do_not_give(reference_data):
    Organisation.objects.filter(ods_code="RJ1").update(closed_on=dt.date(2026, 10, 1))

    result = organisations_load_reference_data(actor="test")

    assert result.updated == 0
    assert Organisation.objects.get(ods_code="RJ1").closed_on == dt.date(2026, 10, 1)


def test_search_name_strips_accents_and_punctuation(data_copy, db):
    with (data_copy / "nhs_organisations.csv").open("a", encoding="utf-8") as handle:
        handle.write("ZZ1,Hôpital  Saint-Étienne (Test) O'Brien NHS Trust,nhs_trust,QKK,London\n")

    organisations_load_reference_data(actor="test", data_dir=data_copy)

    assert (
        Organisation.objects.get(ods_code="ZZ1").search_name
        == "hopital saint etienne test obrien nhs trust"
    )


# --- Broken files are refused, naming the row, and change nothing -----------------


BROKEN = [
    pytest.param(
        "nhs_organisations.csv",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,hospital,",
        "unknown org_type 'hospital'",
        id="unknown-org-type",
    ),
    pytest.param(
        "nhs_organisations.csv",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,QKK,London",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,QZZ,London",
        "unknown ICB code 'QZZ'",
        id="unknown-icb",
    ),
    pytest.param(
        "nhs_organisations.csv",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,QKK,London",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,QKK,Londres",
        "unknown region 'Londres'",
        id="unknown-region",
    ),
    pytest.param(
        "nhs_organisations.csv",
        "RJ7,St George's",
        "RJ1,St George's",
        "duplicate ODS code",
        id="duplicate-ods-code",
    ),
    pytest.param(
        "reorganisations.csv",
        "organisation,Z9B2Z,NHS West and North London Integrated Care Board,icb,London,2026-04-01",
        "organisation,Z9B2Z,NHS West and North London Integrated Care Board,icb,London,1 April",
        "opened_on '1 April' is not a date",
        id="bad-date",
    ),
    pytest.param(
        "reorganisations.csv",
        "succession,QMJ,,,,,,Z9B2Z,merger",
        "succession,QMJ,,,,,,ZZZZZ,merger",
        "unknown ODS code 'ZZZZZ'",
        id="unknown-successor",
    ),
    pytest.param(
        "reorganisations.csv",
        "succession,QMJ,,,,,,Z9B2Z,merger",
        "succession,QMJ,,,,,,Z9B2Z,takeover",
        "unknown kind 'takeover'",
        id="unknown-kind",
    ),
    pytest.param(
        "reorganisations.csv",
        "succession,QRV,,,,,,Z9B2Z,merger",
        "succession,Z9B2Z,,,,,,QMJ,merger",
        "successions form a loop",
        id="cycle",
    ),
    pytest.param(
        "reorganisations.csv",
        "succession,QMJ,,,,,,Z9B2Z",
        "succession,QMJ,,,,,,QMJ",
        "cannot succeed itself",
        id="self-succession",
    ),
    pytest.param(
        "reorganisations.csv",
        "closure,QMJ,",
        "closure,XXXX,",
        "closure of an unknown ODS code",
        id="unknown-closure",
    ),
    pytest.param(
        "regions.csv",
        "code,name",
        "code,title",
        "missing the column(s) name",
        id="missing-column",
    ),
]


@pytest.mark.parametrize(("filename", "old", "new", "message"), BROKEN)
def test_broken_files_are_refused_and_change_nothing(
    reference_data, data_copy, audit_events, filename, old, new, message
):
    # A good change elsewhere in the same load must not be applied either.
    edit(
        data_copy / "nhs_organisations.csv",
        "R0A,Manchester University NHS Foundation Trust",
        "R0A,Renamed University NHS Foundation Trust",
    )
    edit(data_copy / filename, old, new)
    before = snapshot()

    with pytest.raises(ReferenceDataError) as caught:
        organisations_load_reference_data(actor="test", data_dir=data_copy)

    assert message in str(caught.value)
    assert snapshot() == before
    assert audit_events() == []


def test_errors_name_the_file_line_and_code(db, data_copy):
    edit(
        data_copy / "nhs_organisations.csv",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,foundation_trust,",
        "RJ1,Guy's and St Thomas' NHS Foundation Trust,hospital,",
    )
    line = next(
        number
        for number, text in enumerate(
            (data_copy / "nhs_organisations.csv").read_text().splitlines(), start=1
        )
        if text.startswith("RJ1,")
    )

    with pytest.raises(ReferenceDataError) as caught:
        organisations_load_reference_data(actor="test", data_dir=data_copy)

    assert caught.value.errors == [
        f"nhs_organisations.csv line {line} (RJ1): unknown org_type 'hospital'. "
        "Use one of nhs_trust, foundation_trust, icb, national_body."
    ]
    assert Organisation.objects.count() == 0


def test_files_that_are_not_csv_text_are_refused(db, data_copy):
    (data_copy / "regions.csv").write_bytes(b"\xff\xfe\x00garbage")
    (data_copy / "reorganisations.csv").unlink()

    with pytest.raises(ReferenceDataError) as caught:
        organisations_load_reference_data(actor="test", data_dir=data_copy)

    assert "regions.csv: the file is not UTF-8 text." in caught.value.errors
    assert "reorganisations.csv: the file is missing." in caught.value.errors
    assert Region.objects.count() == 0


# --- The command ----------------------------------------------------------------------


def test_command_loads_and_prints_a_summary(db):
    out = io.StringIO()
    call_command("organisations", "load", stdout=out)
    assert Organisation.objects.count() == 251
    assert "251" in out.getvalue()

    out = io.StringIO()
    call_command("organisations", "load", stdout=out)
    assert "already up to date (0 created, 0 updated)" in out.getvalue()


def test_command_reports_a_broken_file(db, data_copy):
    edit(data_copy / "regions.csv", "Y56,London", "Y56,")
    with pytest.raises(CommandError, match="the region has no name"):
        call_command("organisations", "load", "--data-dir", str(data_copy), stdout=io.StringIO())
    assert Region.objects.count() == 0


# --- Recording a succession ------------------------------------------------------------


def test_succession_record_creates_it_and_audits(audit_events):
    old = IcbFactory(ods_code="QAA", closed_on=dt.date(2027, 3, 31))
    new = IcbFactory(ods_code="QBB", opened_on=dt.date(2027, 4, 1))

    succession = succession_record(
        predecessor=old,
        successor=new,
        kind="merger",
        effective_on=dt.date(2027, 4, 1),
        note="",
        actor="test",
        reason="Announced merger",
    )

    assert Succession.objects.get() == succession
    assert audit_events() == [
        {
            "actor": "system: test",
            "action": "organisations.succession.recorded",
            "reason": "Announced merger",
            "subject": ("organisations.succession", str(succession.pk)),
            "payload": {
                "predecessor": "QAA",
                "successor": "QBB",
                "kind": "merger",
                "effective_on": "2027-04-01",
            },
        }
    ]


def record(**overrides):
    arguments = {
        "kind": "merger",
        "effective_on": dt.date(2027, 4, 1),
        "note": "",
        "actor": "test",
        "reason": "Announced merger",
        **overrides,
    }
    return succession_record(**arguments)


def test_succession_record_refuses_itself():
    icb = IcbFactory()
    with pytest.raises(ValidationError, match="cannot succeed itself"):
        record(predecessor=icb, successor=icb)


def test_succession_record_refuses_a_loop(audit_events):
    a, b, c = IcbFactory(), IcbFactory(), IcbFactory()
    record(predecessor=a, successor=b)
    record(predecessor=b, successor=c)
    with pytest.raises(ValidationError, match="would make a loop"):
        record(predecessor=c, successor=a)
    assert Succession.objects.count() == 2
    assert len(audit_events()) == 2


def test_succession_record_refuses_a_duplicate():
    a, b = IcbFactory(), IcbFactory()
    record(predecessor=a, successor=b)
    with pytest.raises(ValidationError, match="already has"):
        record(predecessor=a, successor=b)


@pytest.mark.parametrize(
    ("effective_on", "message"),
    [
        (None, "Enter the date"),
        ("2027-04-01", "Enter the date"),
        (dt.date(2027, 3, 1), "must not be before"),  # before the successor opened
        (dt.date(2020, 1, 1), "must be after"),  # before the predecessor opened
        (dt.date(2031, 1, 1), "must not be after"),  # after the successor closed
    ],
)
def test_succession_record_checks_the_date(effective_on, message):
    old = IcbFactory(opened_on=dt.date(2022, 7, 1))
    new = IcbFactory(opened_on=dt.date(2027, 4, 1), closed_on=dt.date(2030, 3, 31))
    with pytest.raises(ValidationError, match=message):
        record(predecessor=old, successor=new, effective_on=effective_on)
    assert not Succession.objects.exists()


def test_succession_record_needs_a_reason_and_known_kind():
    a, b = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(ValidationError) as caught:
        record(predecessor=a, successor=b, kind="takeover", reason="  ")
    assert set(caught.value.message_dict) == {"kind", "reason"}
