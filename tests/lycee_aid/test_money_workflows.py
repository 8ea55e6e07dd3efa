"""Money right in every ARE workflow (seed 003): exact scholarship rates (ARE-5), CPGE aid capped at
three competitions with one request per pupil and a reason for every 0 € (ARE-10), no duplicate
supplementary request (ARE-8), a campaign whose status follows notification and payment, a vote
that shows what is voted, and computed figures that cannot be voted once their inputs changed.

Every expected amount is computed by hand in a comment from the seed-003 forfaits (151 / 54 / 308).
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from lycee_aid import services
from lycee_aid.enums import CampaignStatus, CpgeRefusal, DotationStatus, RequestStatus
from lycee_aid.models import CarryOver, CpgeAidRequest, Dotation, DotationLine, SchoolSituation, SupplementaryRequest
from tests.utils import html

from .conftest import enrol

pytestmark = pytest.mark.django_db


def situation(officer, school, year, *, count=None, enrolments=None, survey=True, carry_pre="0", carry_post="0"):
    return services.situation_set(
        actor=officer,
        school=school,
        school_year=year,
        scholarship_count=count,
        school_enrolments=enrolments,
        survey_answered=survey,
        carryover_pre_bac=D(carry_pre),
        carryover_post_bac=D(carry_post),
    )


def year_status(year) -> str:
    year.refresh_from_db()
    return year.campaign_status


# -- ARE-5: the scholarship rate is exact ------------------------------------------------------


def test_the_rate_is_the_academys_count_over_the_enrolments_not_a_typed_decimal(
    client_for, are_officer, year, formations, lycee_a
):
    """The officer used to type 0,0833: 30 × 0,0833 = 2,499 → 2 holders, 2 × 151 = 302 €.
    Exactly: 30 × 5 / 60 = 2,5 → 3 holders (half up), 3 × 151 = 453,00 €."""
    enrol(lycee_a, formations["bts"], 30)
    situation(are_officer, lycee_a, year, count=5, enrolments=60)
    services.campaign_run(actor=are_officer, school_year=year)
    d = Dotation.objects.get(school=lycee_a)
    assert (d.scholarship_count, d.school_enrolments) == (5, 60)  # frozen with the dotation
    assert (d.scholarship_holders, d.post_bac_gross_amount, d.total_due_amount) == (3, D("453.00"), D("453.00"))
    page = html(client_for(are_officer).get(reverse("lycee_aid:dotation_detail", args=[d.pk])))
    # the rate is shown as what it is, and its decimal only rounded for display
    assert "5 boursiers / 60 élèves" in page and "0,0833" in page and "arrondi = 3" in page


@pytest.mark.parametrize(
    ("count", "enrolments", "field", "message"),
    [
        (61, 60, "scholarship_count", "L'effectif boursier (61) dépasse les effectifs n-1 de l'établissement (60)."),
        (5, 0, "school_enrolments", "Les effectifs n-1 de l'établissement doivent être positifs."),
        (5, None, "school_enrolments", "Indiquez les effectifs n-1 de l'établissement."),
        (None, 60, "scholarship_count", "Indiquez l'effectif boursier communiqué par l'académie."),
    ],
)
def test_impossible_scholarship_counts_are_refused_at_the_field(
    are_officer, year, lycee_a, count, enrolments, field, message
):
    with pytest.raises(ValidationError) as exc:
        situation(are_officer, lycee_a, year, count=count, enrolments=enrolments, carry_pre="100")
    assert exc.value.message_dict[field] == [message]
    assert not SchoolSituation.objects.exists() and not CarryOver.objects.exists()


def test_the_situation_form_takes_the_count_and_the_enrolments(client_for, are_officer, year, lycee_a):
    client = client_for(are_officer)
    url = reverse("lycee_aid:situation_edit", args=[year.pk, lycee_a.pk])
    data = {"survey_answered": "on", "carryover_pre_bac": "0", "carryover_post_bac": "0"}
    page = html(client.post(url, data | {"scholarship_count": "70", "school_enrolments": "60"}))
    assert "L'effectif boursier (70) dépasse les effectifs n-1 de l'établissement (60)." in page
    assert client.post(url, data | {"scholarship_count": "5", "school_enrolments": "60"}).status_code == 302
    s = SchoolSituation.objects.get()
    assert (s.scholarship_count, s.school_enrolments, s.legacy_scholarship_rate) == (5, 60, None)
    listing = html(client.get(reverse("lycee_aid:situation_list", args=[year.pk])))
    assert "5 / 60" in listing and "0,0833" in listing


def test_a_lycee_with_post_bac_pupils_needs_its_count_before_the_campaign(are_officer, year, formations, lycee_a):
    """A situation recorded as a typed decimal (before exact rates) is kept for the record, but the
    next computation needs the académie's count and the enrolments: it is refused, naming the lycée."""
    enrol(lycee_a, formations["bts"], 30)
    SchoolSituation.objects.create(
        school=lycee_a, school_year=year, legacy_scholarship_rate=D("0.0833"), survey_answered=True
    )
    with pytest.raises(ValidationError) as exc:
        services.campaign_run(actor=are_officer, school_year=year)
    assert "Lycée A (0750001A)" in exc.value.messages[0] and "effectif boursier" in exc.value.messages[0]
    assert not Dotation.objects.exists()
    situation(are_officer, lycee_a, year, count=5, enrolments=60)
    services.campaign_run(actor=are_officer, school_year=year)
    assert Dotation.objects.get().post_bac_gross_amount == D("453.00")


def test_a_lycee_without_post_bac_pupils_needs_no_count(are_officer, year, formations, lycee_a):
    enrol(lycee_a, formations["cap"], 10)
    situation(are_officer, lycee_a, year)  # no count, no enrolments: there is no post-bac to compute
    services.campaign_run(actor=are_officer, school_year=year)
    assert Dotation.objects.get().total_due_amount == D("1510.00")  # 10 × 151


# -- ARE-10: CPGE aid --------------------------------------------------------------------------


def cpge(staff, school, year, *, last="Martin", first="Léa", born=date(2004, 5, 12), second=True, quotient="8450", n=5):
    return services.cpge_aid_request_submit(
        actor=staff,
        school=school,
        school_year=year,
        pupil_last_name=last,
        pupil_first_name=first,
        pupil_birth_date=born,
        second_year=second,
        family_quotient=D(quotient),
        competitions=n,
    )


def test_five_competitions_are_paid_three_and_the_page_says_so(client_for, are_staff_a, year, lycee_a):
    # arrêté 2023-087, annex I, 3: 308 € per competition within the limit of three: 3 × 308 = 924,00 €
    client = client_for(are_staff_a)
    response = client.post(
        reverse("lycee_aid:cpge_create", args=[year.pk, lycee_a.pk]),
        {
            "pupil_last_name": "Martin",
            "pupil_first_name": "Léa",
            "pupil_birth_date": "12/05/2004",
            "second_year": "on",
            "family_quotient": "8450",
            "competitions": "5",
        },
        follow=True,
    )
    page = html(response)
    assert "aide de 924,00 €" in page and "3 concours pris en charge sur 5 (trois au plus par élève)" in page
    req = CpgeAidRequest.objects.get()
    assert (req.competitions, req.competitions_paid, req.aid_amount, req.refusal_reason) == (5, 3, D("924.00"), "")


@pytest.mark.parametrize(
    ("second", "quotient", "reason", "words"),
    [
        (False, "8450", CpgeRefusal.NOT_SECOND_YEAR, "l'élève n'est pas en deuxième année de CPGE"),
        (
            True,
            "12000",
            CpgeRefusal.QUOTIENT_ABOVE_CEILING,
            "le quotient familial (12 000,00 €) dépasse le plafond de 10 140,00 €",
        ),
    ],
)
def test_a_zero_aid_always_says_why(client_for, are_staff_a, year, lycee_a, second, quotient, reason, words):
    data = {
        "pupil_last_name": "Martin",
        "pupil_first_name": "Léa",
        "pupil_birth_date": "12/05/2004",
        "family_quotient": quotient,
        "competitions": "5",
    } | ({"second_year": "on"} if second else {})
    client = client_for(are_staff_a)
    page = html(client.post(reverse("lycee_aid:cpge_create", args=[year.pk, lycee_a.pk]), data, follow=True))
    assert "aucune aide n'est due" in page and words in page
    assert "aide de 0,00 €" not in page
    req = CpgeAidRequest.objects.get()
    assert (req.aid_amount, req.competitions_paid, req.refusal_reason) == (D("0.00"), 0, reason)
    listing = html(client.get(reverse("lycee_aid:lycee_year", args=[year.pk, lycee_a.pk])))
    assert str(reason.label) in listing


def test_one_request_per_pupil_and_school_year(are_staff_a, are_staff_b, year, lycee_a, lycee_b):
    """The same pupil filed three requests of 957 € (3 × 319): the second one is now refused,
    whatever the spelling of the name and whichever lycée files it."""
    cpge(are_staff_a, lycee_a, year)
    for staff, school, last, first in (
        (are_staff_a, lycee_a, "MARTIN", "Lea"),
        (are_staff_a, lycee_a, " martin ", "LÉA"),
        (are_staff_b, lycee_b, "Martin", "Léa"),
    ):
        with pytest.raises(ValidationError) as exc:
            cpge(staff, school, year, last=last, first=first)
        assert exc.value.messages == [
            f"Une demande d'aide aux frais de concours a déjà été enregistrée pour cet élève ({last.strip()} {first}, "
            "né(e) le 12/05/2004) en 2023-2024 : une seule demande par élève et par année scolaire."
        ]
    assert CpgeAidRequest.objects.count() == 1
    cpge(are_staff_a, lycee_a, year, born=date(2004, 5, 13))  # a namesake born another day is another pupil
    assert CpgeAidRequest.objects.count() == 2


def test_a_birth_date_must_be_plausible(are_staff_a, year, lycee_a):
    for born in (date(2015, 1, 1), date(1950, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            cpge(are_staff_a, lycee_a, year, born=born)
        assert "pupil_birth_date" in exc.value.message_dict
    assert not CpgeAidRequest.objects.exists()


# -- ARE-8: duplicate supplementary requests ---------------------------------------------------


def supplementary(staff, school, year, lines, justification="Ouverture d'une seconde division."):
    return services.supplementary_request_submit(
        actor=staff, school=school, school_year=year, justification=justification, lines=lines
    )


def test_a_formation_already_asked_for_is_refused_until_its_request_is_rejected(
    are_officer, are_staff_a, voted, formations, lycee_a
):
    cap, bts = formations["cap"].pk, formations["bts"].pk
    first = supplementary(are_staff_a, lycee_a, voted, [(cap, 6)])
    with pytest.raises(ValidationError) as exc:
        supplementary(are_staff_a, lycee_a, voted, [(bts, 1), (cap, 6)])  # the same again, with another line
    assert exc.value.messages == [
        f"La formation 50022139 CUISINE (CAP) figure déjà dans la demande {first.reference} (déposée) : "
        "une formation ne fait l'objet que d'une demande par lycée et par année scolaire, sauf si la "
        "précédente a été rejetée."
    ]
    assert SupplementaryRequest.objects.count() == 1
    services.supplementary_request_decide(actor=are_officer, request=first, accept=True)
    with pytest.raises(ValidationError) as exc:
        supplementary(are_staff_a, lycee_a, voted, [(cap, 2)])
    assert "(acceptée)" in exc.value.messages[0]
    second = supplementary(are_staff_a, lycee_a, voted, [(bts, 2)])  # another formation: not a duplicate
    services.supplementary_request_decide(actor=are_officer, request=second, accept=False, reason="Non justifié.")
    third = supplementary(are_staff_a, lycee_a, voted, [(bts, 1)])  # the rejected one no longer counts
    assert third.status == RequestStatus.SUBMITTED and SupplementaryRequest.objects.count() == 3


def test_another_lycee_may_ask_for_the_same_formation(are_staff_a, are_staff_b, voted, formations, lycee_a, lycee_b):
    supplementary(are_staff_a, lycee_a, voted, [(formations["cap"].pk, 6)])
    supplementary(are_staff_b, lycee_b, voted, [(formations["cap"].pk, 6)])
    assert SupplementaryRequest.objects.count() == 2


# -- campaign status: notified, then paid ------------------------------------------------------


def test_the_campaign_is_notified_then_paid(client_for, are_officer, voted, lycee_a, lycee_b):
    # conftest "computed": A 6 732 + 2 114 = 8 846,00 €; B 12 × 151 = 1 812,00 €
    services.campaign_notify(actor=are_officer, school_year=voted)
    assert year_status(voted) == CampaignStatus.NOTIFIED
    assert "notifiée" in html(client_for(are_officer).get(reverse("lycee_aid:year_detail", args=[voted.pk])))
    services.dotation_mark_paid(actor=are_officer, dotation=Dotation.objects.get(school=lycee_a))
    assert year_status(voted) == CampaignStatus.NOTIFIED  # B is not paid yet
    services.dotation_mark_paid(actor=are_officer, dotation=Dotation.objects.get(school=lycee_b))
    assert year_status(voted) == CampaignStatus.PAID
    assert AuditEvent.objects.filter(action="lycee_aid.campaign_paid").count() == 1
    # still voted for everything that depends on the vote
    assert voted.is_voted
    with pytest.raises(ValidationError):
        services.campaign_run(actor=are_officer, school_year=voted)


def test_a_zero_dotation_has_nothing_to_pay(are_officer, year, formations, lycee_a, lycee_b):
    enrol(lycee_a, formations["cap"], 10)
    situation(are_officer, lycee_a, year)
    enrol(lycee_b, formations["cap"], 10)
    situation(are_officer, lycee_b, year, survey=False)  # ARE-7: no dotation
    services.campaign_run(actor=are_officer, school_year=year)
    services.campaign_vote(actor=are_officer, school_year=year, reference="CP 1", voted_on=date(2023, 7, 5))
    services.campaign_notify(actor=are_officer, school_year=year)
    services.dotation_mark_paid(actor=are_officer, dotation=Dotation.objects.get(school=lycee_a))
    assert year_status(year) == CampaignStatus.PAID
    assert Dotation.objects.get(school=lycee_b).status == DotationStatus.NOTIFIED


def test_the_notifications_stay_downloadable_once_notified(
    client_for, are_officer, voted, django_capture_on_commit_callbacks
):
    services.campaign_notify(actor=are_officer, school_year=voted)
    response = client_for(are_officer).post(reverse("lycee_aid:notifications_zip", args=[voted.pk]))
    assert response.status_code == 302 and "/are/" not in response["Location"]  # to the job, not back with an error


# -- the vote shows what is voted --------------------------------------------------------------


def test_the_vote_page_shows_the_totals_being_voted(client_for, are_officer, computed):
    # A (Paris): pré-bac 36 × 151 + 24 × 54 = 6 732; post-bac round(35 × 2/5 = 14) × 151 = 2 114.
    # B (Créteil): pré-bac 12 × 151 = 1 812, post-bac 0. Pré-bac 8 544 + post-bac 2 114 = 10 658,00 €.
    page = html(client_for(are_officer).get(reverse("lycee_aid:campaign_vote", args=[computed.pk])))
    for figure in ("6 732,00 €", "2 114,00 €", "8 846,00 €", "1 812,00 €", "8 544,00 €", "10 658,00 €"):
        assert figure in page, figure
    assert "Paris" in page and "Créteil" in page
    assert "2 dotations pour un total de 10 658,00 €" in page


def test_a_vote_on_figures_recomputed_since_the_page_was_shown_is_refused(are_officer, computed, formations, lycee_b):
    computed.refresh_from_db()
    shown = computed.campaign_computed_at  # the page showed the totals of this computation
    assert shown is not None
    enrol(lycee_b, formations["bts"], 10)
    services.campaign_run(actor=are_officer, school_year=computed)  # a colleague recomputes meanwhile
    with pytest.raises(ValidationError) as exc:
        services.campaign_vote(
            actor=are_officer, school_year=computed, reference="CP 1", voted_on=date(2023, 7, 5), computed_at=shown
        )
    assert "recalculée depuis l'affichage" in exc.value.messages[0]
    assert year_status(computed) == CampaignStatus.COMPUTED


# -- stale figures: edited inputs must be recomputed before the vote --------------------------


def test_enrolments_edited_after_computation_must_be_recomputed_before_the_vote(
    are_officer, are_staff_a, computed, formations, lycee_a
):
    services.enrolments_save(actor=are_staff_a, school=lycee_a, school_year=computed, counts={formations["cap"].pk: 40})
    assert year_status(computed) == CampaignStatus.STALE
    with pytest.raises(ValidationError) as exc:
        services.campaign_vote(actor=are_officer, school_year=computed, reference="CP 1", voted_on=date(2023, 7, 5))
    assert "recalculez la campagne" in exc.value.messages[0]
    services.campaign_run(actor=are_officer, school_year=computed)
    services.campaign_vote(actor=are_officer, school_year=computed, reference="CP 1", voted_on=date(2023, 7, 5))
    # voted lines are those of the recomputation: CAP 40 × 151 = 6 040,00 €
    line = DotationLine.objects.get(dotation__school=lycee_a, diploma_code="50022139")
    assert (line.enrolments, line.gross_amount) == (40, D("6040.00"))
    assert Dotation.objects.get(school=lycee_a).pre_bac_gross_amount == D("7336.00")  # 6 040 + 24 × 54


def test_a_situation_or_forfait_change_after_computation_makes_the_campaign_stale(are_officer, computed, lycee_a):
    situation(are_officer, lycee_a, computed, count=1, enrolments=2)
    assert year_status(computed) == CampaignStatus.STALE
    services.campaign_run(actor=are_officer, school_year=computed)
    assert year_status(computed) == CampaignStatus.COMPUTED
    services.forfaits_confirm(
        actor=are_officer,
        school_year=computed,
        forfait_amount=D("152"),
        forfait_prepa_metiers_amount=D("54"),
        forfait_cpge_amount=D("308"),
        order_reference="2023-087",
        order_date=date(2023, 3, 17),
    )
    assert year_status(computed) == CampaignStatus.STALE
    assert AuditEvent.objects.filter(action="lycee_aid.campaign_stale").count() == 2


def test_an_unchanged_save_leaves_the_campaign_computed(are_officer, are_staff_a, computed, formations, lycee_a):
    services.enrolments_save(actor=are_staff_a, school=lycee_a, school_year=computed, counts={formations["cap"].pk: 36})
    assert year_status(computed) == CampaignStatus.COMPUTED


def test_a_usage_report_carrying_over_into_a_computed_year_makes_it_stale(
    are_officer, are_staff_a, voted, formations, lycee_a
):
    from lycee_aid.models import SchoolYear

    from .conftest import make_formation

    nxt = SchoolYear.objects.create(
        start_year=2024,
        forfait_amount=D("157"),
        forfait_prepa_metiers_amount=D("56"),
        order_reference="2024",
        forfaits_confirmed_at=voted.forfaits_confirmed_at,
    )
    enrol(lycee_a, make_formation(nxt, "50022140", "pre_bac"), 10)
    situation(are_officer, lycee_a, nxt)
    services.campaign_run(actor=are_officer, school_year=nxt)
    line = services.UsageLineInput(formations["cap"].pk, 30, D("4000"), ("tools",))
    services.usage_report_submit(actor=are_staff_a, school=lycee_a, school_year=voted, lines=[line])
    assert year_status(nxt) == CampaignStatus.STALE


def test_a_vote_on_counts_the_enrolments_no_longer_give_is_refused_and_writes_nothing(
    are_officer, computed, formations, lycee_a
):
    """An enrolment written around the services (an import script, a fix in the database) does not
    make the campaign « à recalculer »: the vote still checks the counts against the enrolments."""
    from lycee_aid.models import Enrolment

    Enrolment.objects.filter(school=lycee_a, formation=formations["cap"]).update(first_year_count=40)
    with pytest.raises(ValidationError) as exc:
        services.campaign_vote(actor=are_officer, school_year=computed, reference="CP 1", voted_on=date(2023, 7, 5))
    assert exc.value.messages == [
        "Les effectifs d'une dotation ne correspondent plus à son calcul : recalculez la campagne avant "
        "d'enregistrer le vote."
    ]
    assert year_status(computed) == CampaignStatus.COMPUTED and not DotationLine.objects.exists()
    assert set(Dotation.objects.values_list("status", flat=True)) == {DotationStatus.COMPUTED}
