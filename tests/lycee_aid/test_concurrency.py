"""Concurrency on PostgreSQL (real threads, separate connections): each transition happens once,
with one audit event, and no update is lost. Skipped on SQLite (select_for_update is ignored)."""

import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from lycee_aid import selectors, services
from lycee_aid.enums import DotationStatus, EquipmentType, RequestStatus
from lycee_aid.models import CarryOver, Dotation, Enrolment, SupplementaryRequest, UsageReport
from tests import utils
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is ignored by SQLite: run with DATABASE_URL=postgres://…")


def race(*calls):
    """Run the calls at the same moment in threads; return "ok" or "refused" for each."""
    barrier, outcomes = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except ValidationError:
            outcomes[i] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def events(action):
    return utils.events(f"lycee_aid.{action}")


def officers(n=2):
    return [UserFactory(username=f"are.o{i}", role="officer", schemes=["lycee_aid"]) for i in range(n)]


def test_two_officers_notifying_at_once_notify_once(voted):
    a, b = officers()
    assert race(
        lambda: services.campaign_notify(actor=a, school_year=voted),
        lambda: services.campaign_notify(actor=b, school_year=voted),
    ) == ["ok", "refused"]
    assert events("campaign_notify") == 1
    assert set(Dotation.objects.values_list("status", flat=True)) == {DotationStatus.NOTIFIED}
    assert Dotation.history.filter(history_change_reason="notify").count() == Dotation.objects.count()


def test_two_officers_marking_paid_at_once_pay_once(voted, lycee_a):
    a, b = officers()
    services.campaign_notify(actor=a, school_year=voted)
    dotation = Dotation.objects.get(school=lycee_a)
    assert race(
        lambda: services.dotation_mark_paid(actor=a, dotation=dotation),
        lambda: services.dotation_mark_paid(actor=b, dotation=dotation),
    ) == ["ok", "refused"]
    assert events("dotation_mark_paid") == 1
    assert Dotation.objects.get(pk=dotation.pk).status == DotationStatus.PAID


def test_two_officers_deciding_one_request_decide_once(voted, formations, lycee_a, are_staff_a):
    a, b = officers()
    req = services.supplementary_request_submit(
        actor=are_staff_a, school=lycee_a, school_year=voted, justification="x", lines=[(formations["cap"].pk, 6)]
    )
    assert race(
        lambda: services.supplementary_request_decide(actor=a, request=req, accept=True),
        lambda: services.supplementary_request_decide(actor=b, request=req, accept=False, reason="non"),
    ) == ["ok", "refused"]
    assert events("supplementary_request_decide") == 1
    req = SupplementaryRequest.objects.get(pk=req.pk)
    assert req.status in (RequestStatus.ACCEPTED, RequestStatus.REJECTED)
    if req.status == RequestStatus.ACCEPTED:
        assert req.total_amount == D("906.00")  # 6 × 151
    assert req.history.count() == 2  # submitted, then one decision


def test_two_staff_filing_the_usage_report_at_once_file_it_once(voted, formations, lycee_a, are_staff_a):
    colleague = UserFactory(username="are.staff.a2", role="lycee_staff", schools=[lycee_a])
    line = services.UsageLineInput(formations["cap"].pk, 30, D("4000.50"), (EquipmentType.TOOLS,))
    assert race(
        lambda: services.usage_report_submit(actor=are_staff_a, school=lycee_a, school_year=voted, lines=[line]),
        lambda: services.usage_report_submit(actor=colleague, school=lycee_a, school_year=voted, lines=[line]),
    ) == ["ok", "refused"]
    assert UsageReport.objects.count() == 1 and events("usage_report_submit") == 1
    # pré-bac received 6 732 (36 × 151 + 24 × 54) − 4 000,50 spent = 2 731,50 carried to 2024-2025, once
    carried = CarryOver.objects.get(school=lycee_a, school_year__start_year=2024, envelope="pre_bac")
    assert carried.amount == D("2731.50") and carried.history.count() == 1


def test_two_staff_saving_enrolments_at_once_lose_no_update(year, formations, lycee_a, are_staff_a):
    colleague = UserFactory(username="are.staff.a2", role="lycee_staff", schools=[lycee_a])
    cap = formations["cap"].pk
    services.enrolments_save(actor=are_staff_a, school=lycee_a, school_year=year, counts={cap: 10})
    seen = selectors.enrolments_fingerprint(lycee_a, year)  # both opened the form on the same figures
    outcome = race(
        lambda: services.enrolments_save(
            actor=are_staff_a, school=lycee_a, school_year=year, counts={cap: 11}, fingerprint=seen
        ),
        lambda: services.enrolments_save(
            actor=colleague, school=lycee_a, school_year=year, counts={cap: 12}, fingerprint=seen
        ),
    )
    assert outcome == ["ok", "refused"]  # the second is told to reload: its edit is not silently lost
    enrolment = Enrolment.objects.get(school=lycee_a, formation_id=cap)
    assert enrolment.first_year_count in (11, 12)
    assert enrolment.history.count() == 2  # created at 10, then one change
    assert events("enrolments_save") == 2


def test_two_uploads_at_once_are_applied_one_after_the_other(year, formations, lycee_a, are_staff_a):
    colleague = UserFactory(username="are.staff.a2", role="lycee_staff", schools=[lycee_a])

    def upload(user, cap, bts):
        content = f"uai;code_diplome;effectif\n{lycee_a.code};50022139;{cap}\n{lycee_a.code};32025520;{bts}\n"
        return lambda: services.enrolments_upload(
            actor=user, school=lycee_a, school_year=year, name="e.csv", content=content.encode()
        )

    assert race(upload(are_staff_a, 5, 6), upload(colleague, 7, 8)) == ["ok", "ok"]
    counts = dict(Enrolment.objects.filter(school=lycee_a).values_list("formation__diploma_code", "first_year_count"))
    assert counts in ({"50022139": 5, "32025520": 6}, {"50022139": 7, "32025520": 8})  # one whole file, never a mix
    assert events("enrolments_save") == 2


def test_four_cpge_requests_for_one_pupil_at_once_make_one_row(year, lycee_a, are_staff_a):
    """Four concurrent posts of the same pupil made four rows; one request per pupil and year (ARE-10)."""
    from datetime import date

    from lycee_aid.models import CpgeAidRequest

    colleagues = [are_staff_a] + [
        UserFactory(username=f"are.staff.a{i}", role="lycee_staff", schools=[lycee_a]) for i in range(2, 5)
    ]

    def submit(user):
        return lambda: services.cpge_aid_request_submit(
            actor=user,
            school=lycee_a,
            school_year=year,
            pupil_last_name="Martin",
            pupil_first_name="Léa",
            pupil_birth_date=date(2004, 5, 12),
            second_year=True,
            family_quotient=D("8450"),
            competitions=3,
        )

    assert race(*(submit(u) for u in colleagues)) == ["ok", "refused", "refused", "refused"]
    assert CpgeAidRequest.objects.count() == 1 and events("cpge_aid_request_submit") == 1
    assert CpgeAidRequest.objects.get().aid_amount == D("924.00")  # 3 × 308


def test_two_identical_supplementary_requests_at_once_make_one(voted, formations, lycee_a, are_staff_a):
    colleague = UserFactory(username="are.staff.a2", role="lycee_staff", schools=[lycee_a])

    def submit(user):
        return lambda: services.supplementary_request_submit(
            actor=user, school=lycee_a, school_year=voted, justification="x", lines=[(formations["cap"].pk, 6)]
        )

    assert race(submit(are_staff_a), submit(colleague)) == ["ok", "refused"]
    assert SupplementaryRequest.objects.count() == 1 and events("supplementary_request_submit") == 1


def test_an_enrolment_edit_racing_the_vote_never_leaves_voted_lines_off_the_enrolments(
    computed, formations, lycee_a, are_staff_a
):
    """Either the vote comes first (the edit is refused: the campaign is voted) or the edit does (the
    campaign is stale: the vote is refused). The voted lines are the enrolments reviewed."""
    from datetime import date

    from lycee_aid.enums import CampaignStatus
    from lycee_aid.models import DotationLine, SchoolYear

    (officer,) = officers(1)
    outcome = race(
        lambda: services.enrolments_save(
            actor=are_staff_a, school=lycee_a, school_year=computed, counts={formations["cap"].pk: 40}
        ),
        lambda: services.campaign_vote(
            actor=officer, school_year=computed, reference="CP 1", voted_on=date(2023, 7, 5)
        ),
    )
    assert outcome == ["ok", "refused"]
    status = SchoolYear.objects.get(pk=computed.pk).campaign_status
    cap = Enrolment.objects.get(school=lycee_a, formation=formations["cap"]).first_year_count
    if status == CampaignStatus.VOTED:
        assert cap == 36  # the edit was refused
        assert DotationLine.objects.get(dotation__school=lycee_a, diploma_code="50022139").enrolments == 36
    else:
        assert (status, cap) == (CampaignStatus.STALE, 40)
        assert not DotationLine.objects.exists()


def test_paying_the_last_two_dotations_at_once_marks_the_campaign_paid(voted, lycee_a, lycee_b):
    from lycee_aid.enums import CampaignStatus
    from lycee_aid.models import SchoolYear

    a, b = officers()
    services.campaign_notify(actor=a, school_year=voted)
    da, db = Dotation.objects.get(school=lycee_a), Dotation.objects.get(school=lycee_b)
    assert race(
        lambda: services.dotation_mark_paid(actor=a, dotation=da),
        lambda: services.dotation_mark_paid(actor=b, dotation=db),
    ) == ["ok", "ok"]
    assert SchoolYear.objects.get(pk=voted.pk).campaign_status == CampaignStatus.PAID
    assert events("campaign_paid") == 1
