"""Use cases of the ARE: permissions and scoping, state transitions, bad input (nothing saved)."""

import io
import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from lycee_aid import selectors, services
from lycee_aid.enums import CampaignStatus, CarryOverOrigin, DotationStatus, EquipmentType, RequestStatus
from lycee_aid.models import (
    CarryOver,
    CpiValue,
    Dotation,
    DotationLine,
    EligibleFormation,
    Enrolment,
    SchoolSituation,
    SchoolYear,
    SupplementaryRequest,
    UsageReport,
)
from tests import utils
from tests.factories import SchoolFactory

from .conftest import SEED_ANNEX, situate

pytestmark = pytest.mark.django_db


def events(action):
    return utils.events(f"lycee_aid.{action}")


# -- formations import (ARE-1) -----------------------------------------------------------------


def test_the_seed_003_annex_imports_to_the_exact_number_of_rows(are_officer):
    year = SchoolYear.objects.create(start_year=2023)
    report = services.formations_import(actor=are_officer, school_year=year, text=SEED_ANNEX.read_text())
    assert (report.created, report.updated, report.unchanged) == (222, 0, 0)
    assert EligibleFormation.objects.filter(school_year=year).count() == 222
    assert EligibleFormation.objects.filter(school_year=year, level="infra_v").count() == 1
    assert EligibleFormation.objects.filter(school_year=year, level="pre_bac").count() == 145
    assert EligibleFormation.objects.filter(school_year=year, level="post_bac").count() == 76
    cuisine = EligibleFormation.objects.get(school_year=year, diploma_code="50022139")
    assert (cuisine.nsf_code, cuisine.title, cuisine.grouping_level) == ("221", "CUISINE (CAP)", 5)
    # the PDF's extraction artefact "V <sub>2</sub> TEMENT" is read as VÊTEMENT
    assert EligibleFormation.objects.get(diploma_code="50024240").title == "METIERS DE LA MODE-VÊTEMENT FLOU (CAP)"
    assert events("formations_import") == 1
    assert EligibleFormation.history.count() == 222

    again = services.formations_import(actor=are_officer, school_year=year, text=SEED_ANNEX.read_text())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 222)
    assert events("formations_import") == 1  # nothing changed, nothing journalled
    assert EligibleFormation.history.count() == 222


def test_a_faulty_row_is_reported_with_its_line_number_and_nothing_is_imported(are_officer):
    year = SchoolYear.objects.create(start_year=2023)
    lines = SEED_ANNEX.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("PRE BAC\t5\t221\t50022139"))
    lines[index] = "PRE BAC\t5\t221\t5002213X\tCAP\tCUISINE (CAP)"
    lines.insert(index + 1, "POST BAC\t3\t410\t32041001\tBTS\tNON ELIGIBLE (BTS)")
    with pytest.raises(ValidationError) as exc:
        services.formations_import(actor=are_officer, school_year=year, text="\n".join(lines))
    assert exc.value.messages == [
        f"Ligne {index + 1} : code diplôme « 5002213X » invalide (8 chiffres).",
        f"Ligne {index + 2} : spécialité NSF 410 non éligible à l'ARE.",
    ]
    assert EligibleFormation.objects.count() == 0


def test_duplicate_codes_and_unknown_levels_are_refused(are_officer):
    year = SchoolYear.objects.create(start_year=2023)
    text = "Niveau\tx\tx\tx\tx\tx\nPRE BAC\t5\t221\t50022139\tCAP\tCUISINE\nPRE BAC\t5\t221\t50022139\tCAP\tCUISINE\nBAC+2\t3\t221\t1\tx\tx"
    with pytest.raises(ValidationError) as exc:
        services.formations_import(actor=are_officer, school_year=year, text=text)
    assert exc.value.messages == [
        "Ligne 3 : code diplôme 50022139 déjà présent ligne 2.",
        "Ligne 4 : niveau « BAC+2 » inconnu (attendu : Infra V., PRE BAC ou POST BAC).",
    ]


def test_importing_a_new_year_never_alters_an_earlier_year(are_officer, year, formations):
    later = SchoolYear.objects.create(start_year=2024)
    services.formations_import(
        actor=are_officer, school_year=later, text="PRE BAC\t5\t221\t50022139\tCAP\tCUISINE NOUVELLE (CAP)"
    )
    assert EligibleFormation.objects.get(school_year=year, diploma_code="50022139").title == "CUISINE (CAP)"
    assert EligibleFormation.objects.filter(school_year=year).count() == 4


def test_only_are_officers_import(are_staff_a, other_officer, year):
    for user in (are_staff_a, other_officer):
        with pytest.raises(PermissionDenied):
            services.formations_import(actor=user, school_year=year, text=SEED_ANNEX.read_text())


def test_import_command_reads_the_seed_file_as_it_stands(db):
    out = io.StringIO()
    call_command("are_formations_import", "2023-2024", str(SEED_ANNEX), stdout=out)
    assert "222 formations" in out.getvalue()
    assert EligibleFormation.objects.filter(school_year__start_year=2023).count() == 222


def test_import_command_fails_with_one_line_per_problem(db, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("PRE BAC\t5\t999\t50022139\tCAP\tX\nPOST BAC\t3\t221\t123\tBTS\tY\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("are_formations_import", "2023", str(bad))
    assert "Ligne 1 : spécialité NSF 999 non éligible" in str(exc.value)
    assert "Ligne 2 : code diplôme « 123 » invalide" in str(exc.value)
    assert EligibleFormation.objects.count() == 0


# -- CPI and forfaits (ARE-3) ------------------------------------------------------------------


@pytest.fixture
def cpi(are_officer):
    services.cpi_value_record(
        actor=are_officer, series_id="001763862", base="2015", month=date(2022, 12, 1), value=D("114.18")
    )
    services.cpi_value_record(
        actor=are_officer, series_id="001763862", base="2015", month=date(2021, 12, 1), value=D("107.4")
    )


def test_forfaits_are_proposed_from_the_cpi_then_confirmed(are_officer, cpi):
    SchoolYear.objects.create(
        start_year=2022,
        forfait_amount=D("142"),
        forfait_prepa_metiers_amount=D("51"),
        forfait_cpge_amount=D("290"),
        forfaits_confirmed_at="2022-03-01T00:00Z",
    )
    year = SchoolYear.objects.create(start_year=2023)
    proposal = selectors.forfaits_propose(actor=are_officer, school_year=year)
    assert proposal.evolution_percent == D("6.31")
    assert (proposal.forfait, proposal.forfait_prepa_metiers, proposal.forfait_cpge) == (D("151"), D("54"), D("308"))
    services.forfaits_confirm(
        actor=are_officer,
        school_year=year,
        forfait_amount=proposal.forfait,
        forfait_prepa_metiers_amount=proposal.forfait_prepa_metiers,
        forfait_cpge_amount=proposal.forfait_cpge,
        order_reference="2023-087",
        order_date=date(2023, 3, 17),
        cpi_evolution_percent=proposal.evolution_percent,
    )
    year.refresh_from_db()
    assert (year.forfait_amount, year.order_reference, year.forfaits_confirmed) == (D("151.00"), "2023-087", True)
    assert events("forfaits_confirm") == 1


def test_an_evolution_is_never_computed_across_series_or_bases(are_officer, year):
    services.cpi_value_record(
        actor=are_officer, series_id="001763862", base="2015", month=date(2023, 12, 1), value=D("118.4")
    )
    services.cpi_value_record(
        actor=are_officer, series_id="001900001", base="2025", month=date(2022, 12, 1), value=D("96.2")
    )
    nxt = SchoolYear.objects.create(start_year=2024)
    with pytest.raises(ValidationError) as exc:
        selectors.forfaits_propose(actor=are_officer, school_year=nxt)
    assert "série 001900001 base 2025" in exc.value.messages[0]
    assert "même série et de la même base" in exc.value.messages[0]


def test_a_cpi_month_is_recorded_once(are_officer, cpi):
    with pytest.raises(ValidationError):
        services.cpi_value_record(
            actor=are_officer, series_id="001763862", base="2015", month=date(2022, 12, 1), value=D("1")
        )
    assert CpiValue.objects.count() == 2


# -- situation (ARE-5..7) ----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "enrolments"), [(-1, 60), (2.5, 60), (True, 60)])
def test_a_scholarship_count_that_is_not_a_whole_number_is_refused_and_nothing_is_saved(
    are_officer, year, lycee_a, count, enrolments
):
    with pytest.raises(ValidationError) as exc:
        services.situation_set(
            actor=are_officer,
            school=lycee_a,
            school_year=year,
            scholarship_count=count,
            school_enrolments=enrolments,
            survey_answered=True,
            carryover_pre_bac=D("100"),
            carryover_post_bac=D("0"),
        )
    assert "nombres entiers positifs" in exc.value.message_dict["scholarship_count"][0]
    assert not SchoolSituation.objects.exists() and not CarryOver.objects.exists()


def test_situation_records_counts_survey_and_carryovers(are_officer, year, lycee_a):
    services.situation_set(
        actor=are_officer,
        school=lycee_a,
        school_year=year,
        scholarship_count=240,
        school_enrolments=600,
        survey_answered=True,
        carryover_pre_bac=D("250.50"),
        carryover_post_bac=D("0"),
    )
    assert CarryOver.objects.get().amount == D("250.50")
    situation = SchoolSituation.objects.get()
    assert (situation.scholarship_count, situation.school_enrolments) == (240, 600)  # 2/5 exactly
    assert events("situation_set") == 1


# -- enrolments --------------------------------------------------------------------------------


def test_staff_record_the_enrolments_of_their_lycee_only(are_staff_a, year, formations, lycee_a, lycee_b):
    changed = services.enrolments_save(
        actor=are_staff_a, school=lycee_a, school_year=year, counts={formations["cap"].pk: 24, formations["bts"].pk: 0}
    )
    assert changed == 1
    assert Enrolment.objects.get().first_year_count == 24
    with pytest.raises(Http404):
        services.enrolments_save(actor=are_staff_a, school=lycee_b, school_year=year, counts={formations["cap"].pk: 1})


@pytest.mark.parametrize("bad", [-1, 2.5, "12"])
def test_negative_or_non_integer_enrolments_are_refused(are_staff_a, year, formations, lycee_a, bad):
    with pytest.raises(ValidationError):
        services.enrolments_save(
            actor=are_staff_a, school=lycee_a, school_year=year, counts={formations["cap"].pk: bad}
        )
    assert not Enrolment.objects.exists()


def test_a_formation_of_another_year_is_refused(are_staff_a, year, formations, lycee_a):
    other = SchoolYear.objects.create(start_year=2024)
    foreign = EligibleFormation.objects.create(
        school_year=other,
        level="pre_bac",
        grouping_level=5,
        nsf_code="221",
        diploma_code="50022139",
        diploma_type="CAP",
        title="X",
    )
    with pytest.raises(ValidationError) as exc:
        services.enrolments_save(actor=are_staff_a, school=lycee_a, school_year=year, counts={foreign.pk: 3})
    assert "n'est pas éligible pour l'année 2023-2024" in exc.value.messages[0]


def test_a_concurrent_edit_is_detected_not_lost(are_staff_a, year, formations, lycee_a):
    seen = selectors.enrolments_fingerprint(lycee_a, year)
    services.enrolments_save(
        actor=are_staff_a, school=lycee_a, school_year=year, counts={formations["cap"].pk: 10}, fingerprint=seen
    )
    with pytest.raises(ValidationError) as exc:
        services.enrolments_save(
            actor=are_staff_a, school=lycee_a, school_year=year, counts={formations["cap"].pk: 12}, fingerprint=seen
        )
    assert "modifiés par une autre personne" in exc.value.messages[0]
    assert Enrolment.objects.get().first_year_count == 10


def upload(user, school, year, text, name="effectifs.csv"):
    return services.enrolments_upload(actor=user, school=school, school_year=year, name=name, content=text.encode())


def test_upload_csv(are_staff_a, year, formations, lycee_a):
    n = upload(are_staff_a, lycee_a, year, "uai;code_diplome;effectif\n0750001A;50022139;24\n0750001a;32025520;35\n")
    assert n == 2
    assert dict(Enrolment.objects.values_list("formation__diploma_code", "first_year_count")) == {
        "50022139": 24,
        "32025520": 35,
    }


def test_upload_xlsx(are_staff_a, year, formations, lycee_a):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["UAI", "Code diplôme", "Effectif"])
    wb.active.append(["0750001A", "67010031", 18])
    buffer = io.BytesIO()
    wb.save(buffer)
    services.enrolments_upload(
        actor=are_staff_a, school=lycee_a, school_year=year, name="e.xlsx", content=buffer.getvalue()
    )
    assert Enrolment.objects.get().first_year_count == 18


def test_a_faulty_upload_saves_nothing_and_names_every_faulty_row(are_staff_a, year, formations, lycee_a):
    text = (
        "uai;code_diplome;effectif\n"
        "0750001A;50022139;24\n"
        "0750001A;99999999;3\n"
        "0930003C;40033404;5\n"
        "0750001A;50022139;7\n"
        "0750001A;32025520;-2\n"
        "0750001A;67010031;2,5\n"
    )
    with pytest.raises(ValidationError) as exc:
        upload(are_staff_a, lycee_a, year, text)
    assert exc.value.messages == [
        "Ligne 3 : le code diplôme « 99999999 » ne figure pas dans la liste des formations éligibles 2023-2024.",
        "Ligne 4 : l'UAI 0930003C n'est pas celle de votre lycée (0750001A).",
        "Ligne 5 : le code diplôme 50022139 figure déjà ligne 2.",
        "Ligne 6 : l'effectif « -2 » n'est pas un nombre entier positif ou nul.",
        "Ligne 7 : l'effectif « 2,5 » n'est pas un nombre entier positif ou nul.",
    ]
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("e.csv", b"code;nombre\n50022139;3\n", "L'en-tête attendu est « uai;code_diplome;effectif »"),
        ("e.csv", b"", "Le fichier est vide."),
        ("e.pdf", b"%PDF-1.4", "Format non pris en charge"),
        ("e.xlsx", b"not a zip", "illisible"),
        ("e.csv", b"x" * (50 * 1024 * 1024), "taille maximale de 2 Mo"),
    ],
)
def test_bad_files_are_refused_with_a_french_message(are_staff_a, year, formations, lycee_a, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.enrolments_upload(actor=are_staff_a, school=lycee_a, school_year=year, name=name, content=content)
    assert message in exc.value.messages[0]
    assert not Enrolment.objects.exists()


# -- campaign (ARE-4..7) -----------------------------------------------------------------------


def enrol(school, formation, count):
    Enrolment.objects.create(school=school, formation=formation, first_year_count=count)


@pytest.fixture
def campaign(year, formations, lycee_a, lycee_b):
    enrol(lycee_a, formations["prepa"], 24)
    enrol(lycee_a, formations["cap"], 36)
    enrol(lycee_a, formations["bacpro"], 84)
    enrol(lycee_a, formations["bts"], 35)
    situate(lycee_a, year, rate="0.4")
    CarryOver.objects.create(school=lycee_a, school_year=year, envelope="post_bac", amount=D("500"), origin="entered")
    enrol(lycee_b, formations["cap"], 12)
    situate(lycee_b, year, rate="0", survey=False)  # did not answer the survey
    return year


def test_campaign_run_computes_every_french_lycee_per_envelope(are_officer, campaign, lycee_a, lycee_b):
    SchoolFactory(code="LU-X", country="LU", sector="lu_public", academy="")
    result = services.campaign_run(actor=are_officer, school_year=campaign)
    assert result.dotations == 2
    a = Dotation.objects.get(school=lycee_a)
    # pré-bac: (36 + 84) × 151 + 24 × 54 = 18 120 + 1 296 = 19 416
    # post-bac: round(35 × 0,4) = 14 × 151 = 2 114 − 500 carried over = 1 614
    assert (a.pre_bac_gross_amount, a.pre_bac_due_amount) == (D("19416.00"), D("19416.00"))
    assert (a.scholarship_holders, a.post_bac_gross_amount, a.post_bac_due_amount) == (14, D("2114.00"), D("1614.00"))
    assert a.total_due_amount == D("21030.00")
    assert not DotationLine.objects.exists()  # nothing written per formation before the vote
    lines = {line.diploma_code: line for line in selectors.dotation_line_list(a)}  # read from the enrolments
    assert lines["67010031"].gross_amount == D("1296.00") and lines["67010031"].forfait_amount == D("54.00")
    assert lines["50022139"].gross_amount == D("5436.00")
    assert lines["32025520"].gross_amount is None and lines["32025520"].enrolments == 35
    b = Dotation.objects.get(school=lycee_b)
    assert (b.pre_bac_gross_amount, b.total_due_amount, b.survey_answered) == (D("1812.00"), D("0.00"), False)
    assert result.total_due == D("21030.00")
    assert campaign.__class__.objects.get(pk=campaign.pk).campaign_status == CampaignStatus.COMPUTED
    assert events("campaign_run") == 1
    assert Dotation.history.count() == 2  # bulk_create_with_history


def test_a_rerun_replaces_the_figures_and_lines(are_officer, are_staff_a, campaign, formations, lycee_a):
    services.campaign_run(actor=are_officer, school_year=campaign)
    services.enrolments_save(actor=are_staff_a, school=lycee_a, school_year=campaign, counts={formations["cap"].pk: 0})
    services.campaign_run(actor=are_officer, school_year=campaign)
    a = Dotation.objects.get(school=lycee_a)
    assert a.pre_bac_gross_amount == D("13980.00")  # 84 × 151 + 24 × 54
    assert len(selectors.dotation_line_list(a)) == 3
    assert Dotation.objects.count() == 2 and Dotation.history.count() == 4
    services.campaign_vote(actor=are_officer, school_year=campaign, reference="CP 1", voted_on=date(2023, 7, 5))
    assert DotationLine.objects.filter(dotation=a).count() == 3  # written once, by the vote


def year_with_lycees(start_year, n):
    from .conftest import make_formation

    year = SchoolYear.objects.create(
        start_year=start_year,
        forfait_amount=D("151"),
        forfait_prepa_metiers_amount=D("54"),
        forfaits_confirmed_at="2023-01-01T00:00Z",
    )
    formations = [
        make_formation(year, f"5002{start_year % 100:02d}{i:02d}", "post_bac" if i % 3 == 0 else "pre_bac")
        for i in range(5)
    ]
    for i in range(n):
        school = SchoolFactory(code=f"{start_year}{i:04d}Z", name=f"L{start_year}-{i}")
        situate(school, year, rate="0.5")
        for f in formations:
            enrol(school, f, 10 + i)
    return year


def test_campaign_queries_do_not_grow_with_the_number_of_lycees(are_officer):
    small_year = year_with_lycees(2030, 3)
    with CaptureQueriesContext(connection) as small:
        services.campaign_run(actor=are_officer, school_year=small_year)
    big_year = year_with_lycees(2031, 30)
    with CaptureQueriesContext(connection) as big:
        services.campaign_run(actor=are_officer, school_year=big_year)
    assert Dotation.objects.filter(school_year=big_year).count() == 33
    assert not DotationLine.objects.filter(dotation__school_year=big_year).exists()  # lines: at the vote
    assert without_line_batches(big) == without_line_batches(small)
    services.campaign_run(actor=are_officer, school_year=small_year)  # creates the 30 new lycées' rows
    with CaptureQueriesContext(connection) as small_rerun:
        services.campaign_run(actor=are_officer, school_year=small_year)
    with CaptureQueriesContext(connection) as big_rerun:
        services.campaign_run(actor=are_officer, school_year=big_year)
    assert without_line_batches(big_rerun) == without_line_batches(small_rerun)
    if connection.vendor == "postgresql":  # no bound-parameter limit: one INSERT per 10 000 lines
        assert len(big.captured_queries) == len(small.captured_queries)


def without_line_batches(context) -> int:
    """Queries other than the batched INSERTs of lines. SQLite caps bound parameters per query
    (999 here), so Django splits a bulk INSERT every ~90 lines there; PostgreSQL does not."""
    return len([q for q in context.captured_queries if 'INSERT INTO "lycee_aid_dotationline"' not in q["sql"]])


def test_vote_freezes_the_campaign_and_a_second_vote_is_refused(
    are_officer, campaign, formations, lycee_a, are_staff_a
):
    with pytest.raises(ValidationError):
        services.campaign_vote(
            actor=are_officer, school_year=campaign, reference="CP 2023-300", voted_on=date(2023, 7, 5)
        )
    services.campaign_run(actor=are_officer, school_year=campaign)
    services.campaign_vote(actor=are_officer, school_year=campaign, reference="CP 2023-300", voted_on=date(2023, 7, 5))
    assert set(Dotation.objects.values_list("status", "standing_committee_reference")) == {("voted", "CP 2023-300")}
    with pytest.raises(ValidationError) as exc:
        services.campaign_vote(
            actor=are_officer, school_year=campaign, reference="CP 2023-301", voted_on=date(2023, 7, 6)
        )
    assert "déjà été votée (délibération CP 2023-300)" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.campaign_run(actor=are_officer, school_year=campaign)
    with pytest.raises(ValidationError):
        services.enrolments_save(
            actor=are_staff_a, school=lycee_a, school_year=campaign, counts={formations["cap"].pk: 1}
        )
    assert events("campaign_vote") == 1
    assert services.campaign_notify(actor=are_officer, school_year=campaign) == 2
    assert set(Dotation.objects.values_list("status", flat=True)) == {DotationStatus.NOTIFIED}


def test_only_are_officers_run_and_vote(are_staff_a, other_officer, campaign):
    for user in (are_staff_a, other_officer):
        with pytest.raises(PermissionDenied):
            services.campaign_run(actor=user, school_year=campaign)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_voting_at_once_vote_once(campaign):
    from tests.factories import UserFactory

    officers = [UserFactory(username=f"o{i}", role="officer", schemes=["lycee_aid"]) for i in range(2)]
    services.campaign_run(actor=officers[0], school_year=campaign)
    barrier, outcomes = threading.Barrier(2), []

    def vote(officer, ref):
        from django.db import connections

        try:
            barrier.wait()
            services.campaign_vote(actor=officer, school_year=campaign, reference=ref, voted_on=date(2023, 7, 5))
            outcomes.append("voted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(o, f"CP-{i}")) for i, o in enumerate(officers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "voted"]
    assert AuditEvent.objects.filter(action="lycee_aid.campaign_vote").count() == 1
    assert Dotation.history.filter(history_change_reason="campaign_vote").count() == 2  # one per dotation, once


# -- supplementary requests (ARE-8) ------------------------------------------------------------


@pytest.fixture
def voted(are_officer, campaign):
    services.campaign_run(actor=are_officer, school_year=campaign)
    services.campaign_vote(actor=are_officer, school_year=campaign, reference="CP 2023-300", voted_on=date(2023, 7, 5))
    campaign.refresh_from_db()
    return campaign


def test_supplementary_request_accepted_per_envelope(are_officer, are_staff_a, voted, formations, lycee_a):
    req = services.supplementary_request_submit(
        actor=are_staff_a,
        school=lycee_a,
        school_year=voted,
        justification="Ouverture d'une seconde classe de CAP cuisine.",
        lines=[(formations["cap"].pk, 6), (formations["prepa"].pk, 3), (formations["bts"].pk, 2)],
    )
    req = services.supplementary_request_decide(actor=are_officer, request=req, accept=True)
    # pré-bac 6 × 151 + 3 × 54 = 906 + 162 = 1 068; post-bac 2 × 151 = 302
    assert (req.status, req.pre_bac_amount, req.post_bac_amount, req.total_amount) == (
        RequestStatus.ACCEPTED,
        D("1068.00"),
        D("302.00"),
        D("1370.00"),
    )
    with pytest.raises(ValidationError):
        services.supplementary_request_decide(actor=are_officer, request=req, accept=False, reason="x")
    assert events("supplementary_request_decide") == 1


def test_rejection_needs_a_reason(are_officer, are_staff_a, voted, formations, lycee_a):
    req = services.supplementary_request_submit(
        actor=are_staff_a, school=lycee_a, school_year=voted, justification="x", lines=[(formations["cap"].pk, 1)]
    )
    with pytest.raises(ValidationError):
        services.supplementary_request_decide(actor=are_officer, request=req, accept=False, reason=" ")
    req = services.supplementary_request_decide(
        actor=are_officer, request=req, accept=False, reason="Effectifs non justifiés."
    )
    assert req.status == RequestStatus.REJECTED and req.total_amount is None


def test_supplementary_request_bad_input(are_staff_a, voted, formations, lycee_a, lycee_b):
    with pytest.raises(Http404):
        services.supplementary_request_submit(
            actor=are_staff_a, school=lycee_b, school_year=voted, justification="x", lines=[(formations["cap"].pk, 1)]
        )
    for lines in (
        [],
        [(formations["cap"].pk, 0)],
        [(formations["cap"].pk, 1), (formations["cap"].pk, 2)],
        [(999999, 1)],
    ):
        with pytest.raises(ValidationError):
            services.supplementary_request_submit(
                actor=are_staff_a, school=lycee_a, school_year=voted, justification="x", lines=lines
            )
    assert not SupplementaryRequest.objects.exists()


# -- usage reports (ARE-9) ---------------------------------------------------------------------


def test_usage_report_carries_what_remains_to_next_year(are_staff_a, voted, formations, lycee_a):
    # received: pré-bac 19 416, post-bac 1 614; post-bac carry-over held: 500
    report = services.usage_report_submit(
        actor=are_staff_a,
        school=lycee_a,
        school_year=voted,
        lines=[
            services.UsageLineInput(
                formations["cap"].pk, 36, D("5000.50"), (EquipmentType.PROTECTION, EquipmentType.TOOLS)
            ),
            services.UsageLineInput(formations["bacpro"].pk, 80, D("12000"), (EquipmentType.REPRESENTATION,)),
            services.UsageLineInput(
                formations["bts"].pk, 15, D("2000"), (EquipmentType.IT_DOCUMENTS,), non_scholarship_equipped=1
            ),
        ],
    )
    assert (report.received_pre_bac_amount, report.spent_pre_bac_amount, report.remaining_pre_bac_amount) == (
        D("19416.00"),
        D("17000.50"),
        D("2415.50"),
    )
    assert (report.carryover_post_bac_amount, report.remaining_post_bac_amount) == (D("500.00"), D("114.00"))
    carried = {c.envelope: c for c in CarryOver.objects.filter(school_year__start_year=2024)}
    assert carried["pre_bac"].amount == D("2415.50") and carried["post_bac"].amount == D("114.00")
    assert carried["pre_bac"].origin == CarryOverOrigin.USAGE_REPORT
    with pytest.raises(ValidationError):
        services.usage_report_submit(actor=are_staff_a, school=lycee_a, school_year=voted, lines=[])


def test_usage_report_bad_input_saves_nothing(are_staff_a, voted, formations, lycee_a):
    cases = [
        [services.UsageLineInput(formations["bts"].pk, 1, D("3000"), (EquipmentType.TOOLS,))],  # > 2 114 available
        [services.UsageLineInput(formations["cap"].pk, 1, D("10"), ())],  # no equipment type
        [services.UsageLineInput(formations["cap"].pk, 3, D("10"), ("tools",), non_scholarship_equipped=1)],  # pré-bac
        [services.UsageLineInput(formations["cap"].pk, 1, D("10"), ("jewels",))],
    ]
    for lines in cases:
        with pytest.raises(ValidationError):
            services.usage_report_submit(actor=are_staff_a, school=lycee_a, school_year=voted, lines=lines)
    assert not UsageReport.objects.exists() and not CarryOver.objects.filter(school_year__start_year=2024).exists()


# -- CPGE (ARE-10) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second_year", "quotient", "competitions", "expected"),
    [
        (True, "9800", 4, D("924.00")),
        (True, "10140.01", 2, D("0.00")),
        (False, "5000", 2, D("0.00")),
        (True, "10140", 1, D("308.00")),
    ],
)
def test_cpge_aid(are_staff_a, year, lycee_a, second_year, quotient, competitions, expected):
    req = services.cpge_aid_request_submit(
        actor=are_staff_a,
        school=lycee_a,
        school_year=year,
        pupil_last_name="Martin",
        pupil_first_name="Léa",
        pupil_birth_date=date(2004, 5, 12),
        second_year=second_year,
        family_quotient=D(quotient),
        competitions=competitions,
    )
    assert req.aid_amount == expected


def test_cpge_bad_input(are_staff_a, year, lycee_a, lycee_b):
    with pytest.raises(ValidationError):
        services.cpge_aid_request_submit(
            actor=are_staff_a,
            school=lycee_a,
            school_year=year,
            pupil_last_name="M",
            pupil_first_name="L",
            pupil_birth_date=date(2004, 5, 12),
            second_year=True,
            family_quotient=D("-1"),
            competitions=0,
        )
    with pytest.raises(Http404):
        services.cpge_aid_request_submit(
            actor=are_staff_a,
            school=lycee_b,
            school_year=year,
            pupil_last_name="M",
            pupil_first_name="L",
            pupil_birth_date=date(2004, 5, 12),
            second_year=True,
            family_quotient=D("1"),
            competitions=1,
        )
