"""The set-based campaign (one aggregate + rules in Python; the lines by one INSERT … SELECT at the
vote) gives exactly the pure rules' figures, to the cent, on SQLite and on PostgreSQL; the lines
shown before the vote (read from the enrolments) are the lines the vote writes."""

import random
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.rules import round_cent
from lycee_aid import rules, selectors, services
from lycee_aid.enums import Envelope, FormationLevel
from lycee_aid.models import CarryOver, Dotation, DotationLine, Enrolment, SchoolSituation, SchoolYear
from tests.factories import SchoolFactory, UserFactory

from .conftest import make_formation, situate

pytestmark = pytest.mark.django_db


def school_year_with_forfaits(start, forfait, prepa):
    return SchoolYear.objects.create(
        start_year=start,
        forfait_amount=D(forfait),
        forfait_prepa_metiers_amount=D(prepa),
        order_reference="T",
        forfaits_confirmed_at=timezone.now(),
    )


def populate(year, n_lycees, n_formations, seed=7):
    """Lycées with random enrolments, survey answers, carry-overs and exact scholarship rates
    (ARE-5: a count over the lycée's enrolments, any denominator: 37 / 451 and the like)."""
    rng = random.Random(seed)
    levels = [FormationLevel.INFRA_V] + [
        FormationLevel.PRE_BAC if i % 3 else FormationLevel.POST_BAC for i in range(1, n_formations)
    ]
    formations = [make_formation(year, f"7{year.start_year % 100:02d}{i:05d}", level) for i, level in enumerate(levels)]
    schools = []
    for i in range(n_lycees):
        school = SchoolFactory(code=f"X{year.start_year}{i:03d}", name=f"L{i}", country="FR", academy="paris")
        enrolments = rng.randint(1, 2500)
        situate(school, year, count=rng.randint(0, enrolments), enrolments=enrolments, survey=i % 5 != 3)
        if i % 2:
            CarryOver.objects.create(
                school=school,
                school_year=year,
                envelope=Envelope.PRE_BAC if i % 4 == 1 else Envelope.POST_BAC,
                amount=D(rng.randint(0, 900000)) / 100,
                origin="entered",
            )
        for f in formations:
            Enrolment.objects.create(school=school, formation=f, first_year_count=rng.choice([0, 1, 7, 13, 35, 99]))
        schools.append(school)
    return schools


def _expected(year, school):
    counts = dict.fromkeys(FormationLevel.values, 0)
    lines = {}
    for e in Enrolment.objects.filter(
        school=school, formation__school_year=year, first_year_count__gt=0
    ).select_related("formation"):
        counts[e.formation.level] += e.first_year_count
        unit = year.forfait_prepa_metiers_amount if e.formation.level == FormationLevel.INFRA_V else year.forfait_amount
        gross = None if e.formation.level == FormationLevel.POST_BAC else round_cent(e.first_year_count * unit)
        lines[e.formation.diploma_code] = (e.first_year_count, round_cent(unit), gross, e.formation.envelope)
    s = SchoolSituation.objects.get(school=school, school_year=year)
    carry = dict(CarryOver.objects.filter(school=school, school_year=year).values_list("envelope", "amount"))
    dotation = rules.initial_dotation(
        prepa_metiers=counts[FormationLevel.INFRA_V],
        pre_bac=counts[FormationLevel.PRE_BAC],
        post_bac=counts[FormationLevel.POST_BAC],
        scholarship_rate=s.scholarship_rate,
        forfait=year.forfait_amount,
        forfait_prepa_metiers=year.forfait_prepa_metiers_amount,
        carryover_pre_bac=carry.get(Envelope.PRE_BAC, D("0")),
        carryover_post_bac=carry.get(Envelope.POST_BAC, D("0")),
        survey_answered=s.survey_answered,
    )
    return dotation, lines


@pytest.mark.parametrize(
    ("forfait", "prepa"),
    [("157", "56"), ("151.35", "54.55"), ("0.01", "99999.99")],
    ids=["whole-euros", "cents", "extremes"],
)
def test_stored_lines_and_totals_equal_the_rules_to_the_cent(are_officer, forfait, prepa):
    year = school_year_with_forfaits(2040, forfait, prepa)
    schools = populate(year, 6, 12)
    result = services.campaign_run(actor=are_officer, school_year=year)
    shown = {
        d.school_id: {
            line.diploma_code: (line.enrolments, line.forfait_amount, line.gross_amount, line.envelope)
            for line in selectors.dotation_line_list(d)
        }
        for d in Dotation.objects.filter(school_year=year)
    }
    assert not DotationLine.objects.exists()
    services.campaign_vote(actor=are_officer, school_year=year, reference="CP", voted_on=date(2024, 7, 5))
    grand_total = D("0")
    for school in schools:
        expected, expected_lines = _expected(year, school)
        d = Dotation.objects.get(school=school, school_year=year)
        assert (
            d.scholarship_holders,
            d.pre_bac_gross_amount,
            d.post_bac_gross_amount,
            d.pre_bac_due_amount,
            d.post_bac_due_amount,
            d.total_due_amount,
        ) == (
            expected.scholarship_holders,
            expected.pre_bac_gross,
            expected.post_bac_gross,
            expected.pre_bac_due,
            expected.post_bac_due,
            expected.total_due,
        )
        stored = {
            line.diploma_code: (line.enrolments, line.forfait_amount, line.gross_amount, line.envelope)
            for line in DotationLine.objects.filter(dotation=d)
        }
        assert stored == expected_lines
        assert shown[school.pk] == expected_lines  # what the detail showed before the vote
        # the frozen pré-bac lines add up to the pré-bac gross of the dotation, to the cent
        assert sum(v[2] for v in stored.values() if v[2] is not None) == d.pre_bac_gross_amount
        for line in DotationLine.objects.filter(dotation=d):
            assert line.title == f"FORMATION {line.diploma_code}" and len(line.nsf_code) == 3
        grand_total += expected.total_due
    assert result.total_due == grand_total


def test_a_rerun_recomputes_and_the_history_dates_each_computation_and_the_vote(are_officer):
    year = school_year_with_forfaits(2041, "157", "56")
    schools = populate(year, 3, 6)
    services.campaign_run(actor=are_officer, school_year=year)
    enrolment = Enrolment.objects.filter(school=schools[0], first_year_count__gt=0).first()
    staff = UserFactory(username="staff.x", role="lycee_staff", schools=[schools[0]])
    services.enrolments_save(
        actor=staff,
        school=schools[0],
        school_year=year,
        counts={enrolment.formation_id: enrolment.first_year_count + 10},
    )
    services.campaign_run(actor=are_officer, school_year=year)
    services.campaign_vote(actor=are_officer, school_year=year, reference="CP", voted_on=date(2024, 7, 5))
    expected, lines = _expected(year, schools[0])
    d = Dotation.objects.get(school=schools[0], school_year=year)
    assert d.total_due_amount == expected.total_due
    assert {line.diploma_code: line.enrolments for line in d.lines.all()} == {k: v[0] for k, v in lines.items()}
    history = list(
        d.history.order_by("history_date").values_list(
            "history_change_reason", "history_type", "history_user", "total_due_amount", "status"
        )
    )
    assert [row[:3] for row in history] == [
        ("campaign_run", "+", are_officer.pk),
        ("campaign_run", "~", are_officer.pk),
        ("campaign_vote", "~", are_officer.pk),
    ]
    assert history[1][3] == history[2][3] == expected.total_due and history[2][4] == "voted"
    # one history row per dotation and run, and one for the vote, each a copy of the dotation then
    assert Dotation.history.filter(school_year=year).count() == 3 * len(schools)


def test_campaign_queries_are_constant_and_lines_are_one_statement_of_the_vote(are_officer):
    def run(year):
        """Queries of one run, less the batches of new dotations' INSERT (Django caps a bulk
        INSERT at 999 parameters on SQLite, 41 dotations; PostgreSQL takes them in one)."""
        with CaptureQueriesContext(connection) as ctx:
            services.campaign_run(actor=are_officer, school_year=year)
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert not any("lycee_aid_dotationline" in q for q in sqls)  # nothing per formation
        assert sum('INSERT INTO "lycee_aid_historicaldotation"' in q for q in sqls) == 1
        creations = sum(q.startswith('INSERT INTO "lycee_aid_dotation" ') for q in sqls)
        if connection.vendor == "postgresql":
            assert creations <= 1
        return len(sqls) - max(creations - 1, 0)

    # The campaign covers every French lycée: measure 2 lycées before the 80 others exist.
    small = school_year_with_forfaits(2042, "157", "56")
    populate(small, 2, 4)
    small_first, small_rerun = run(small), run(small)
    big = school_year_with_forfaits(2043, "157", "56")
    populate(big, 80, 3, seed=9)  # more lycées than one batch of simple-history's bulk INSERT on SQLite
    big_first, big_rerun = run(big), run(big)
    assert Dotation.objects.filter(school_year=big).count() == 82
    assert Dotation.history.filter(school_year=big).count() == 2 * 82
    assert (big_first, big_rerun) == (small_first, small_rerun)

    def vote(year):
        with CaptureQueriesContext(connection) as ctx:
            services.campaign_vote(actor=are_officer, school_year=year, reference="CP", voted_on=date(2024, 7, 5))
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert sum("INSERT INTO lycee_aid_dotationline" in q for q in sqls) == 1  # every line, one statement
        return len(sqls)

    assert vote(small) == vote(big)
    assert (
        DotationLine.objects.filter(dotation__school_year=big).count()
        == Enrolment.objects.filter(formation__school_year=big, first_year_count__gt=0).count()
    )
