"""Effective-dated reference data (CORE-2 with end dates): one mechanism for every consumer.

A period of a series (an index, an SSM, a rate of a trade and training year, a BTS act rate) is
fitted into its series when an officer enters it; no two periods of a series overlap; a date that
no period contains has no value in force, and every consumer (schedule, calculator, arrears, BTS
pricing and rate table) says so instead of reusing an ended value.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from apprenticeship import selectors as app_selectors
from apprenticeship.models import Trade, TradeRate
from bts_fees import selectors as bts_selectors
from bts_fees.models import Act
from core import selectors
from core.models import AuditEvent, LuxIndex
from core.services import effective_dated_save
from tests.apprenticeship.conftest import app_reference  # noqa: F401 (fixture)
from tests.apprenticeship.factories import ContractFactory
from tests.factories import add_period


def periods(queryset):
    return list(queryset.order_by("valid_from").values_list("valid_from", "valid_until"))


def test_reference_fixtures_hold_explicit_end_dates(reference):
    # Each index period ends the day before the next application date (rule CORE-2, docs/rules.md).
    assert periods(LuxIndex.objects.all())[-3:] == [
        (date(2023, 9, 1), date(2025, 4, 30)),
        (date(2025, 5, 1), date(2026, 5, 31)),
        (date(2026, 6, 1), None),
    ]


def test_a_new_index_ends_the_open_period_the_day_before(reference):
    notes = effective_dated_save(
        actor=None, instance=LuxIndex(valid_from=date(2027, 1, 1), value=D("1017.05"), source="test")
    )
    assert periods(LuxIndex.objects.all())[-2:] == [(date(2026, 6, 1), date(2026, 12, 31)), (date(2027, 1, 1), None)]
    assert notes == ["La période commencée le 01/06/2026 prend fin le 31/12/2026."]
    assert selectors.index_in_force(date(2026, 12, 31)).value == D("992.24")
    assert selectors.index_in_force(date(2027, 1, 1)).value == D("1017.05")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert sorted(actions) == ["core.reference_period_end", "core.reference_period_save"]


def test_a_period_entered_between_two_others_is_fitted_on_both_sides(reference):
    # 980,00 from 1 January 2026, between 968,04 (1 May 2025) and 992,24 (1 June 2026).
    add_period(LuxIndex(valid_from=date(2026, 1, 1), value=D("980.00"), source="test"))
    assert periods(LuxIndex.objects.filter(valid_from__gte=date(2025, 5, 1))) == [
        (date(2025, 5, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 5, 31)),
        (date(2026, 6, 1), None),
    ]


def test_an_overlap_that_cannot_be_fitted_is_refused_with_the_other_period(reference):
    # An explicit end after the next application date would overlap 992,24's period.
    index = LuxIndex(valid_from=date(2026, 1, 1), valid_until=date(2026, 8, 31), value=D("980.00"), source="t")
    with pytest.raises(ValidationError) as caught:
        effective_dated_save(actor=None, instance=index)
    assert caught.value.message_dict["valid_from"] == [
        "Cette période chevauche celle qui s'applique du 01/06/2026 au (sans fin) ; modifiez l'une des deux dates."
    ]
    assert not LuxIndex.objects.filter(value=D("980.00")).exists()
    assert LuxIndex.objects.get(value=D("968.04")).valid_until == date(2026, 5, 31)  # untouched


def test_an_end_before_the_start_is_refused(reference):
    index = LuxIndex(valid_from=date(2027, 1, 1), valid_until=date(2026, 12, 1), value=D("1017.05"), source="t")
    with pytest.raises(ValidationError) as caught:
        effective_dated_save(actor=None, instance=index)
    assert "La date de fin précède la date de début." in caught.value.message_dict["valid_until"]


def test_the_database_refuses_an_end_before_the_start(reference):
    with pytest.raises(IntegrityError), transaction.atomic():
        LuxIndex.objects.create(valid_from=date(2027, 1, 1), valid_until=date(2026, 1, 1), value="1000", source="t")


@pytest.mark.postgres
def test_postgresql_refuses_two_overlapping_periods_of_a_series(reference):
    assert connection.vendor == "postgresql"
    with pytest.raises(IntegrityError), transaction.atomic():
        # Written past the service: 2026-01-01 lies inside 968,04's period (to 31/05/2026).
        LuxIndex.objects.create(valid_from=date(2026, 1, 1), value="980.00", source="t")


# -- apprenticeship: the schedule and the calculator agree ------------------------------------


@pytest.fixture
def ccp_rate_ended(app_reference):  # noqa: F811 (the fixture imported above)
    """CCP boulanger 1st year: a 50 % rate applicable in 2025 only, entered by an officer.

    Fitting ends the 27 % period (since 2023) on 31/12/2024; from 2026 no rate is in force."""
    trade = Trade.objects.get(code="CCP-BOUL")
    add_period(
        TradeRate(
            trade=trade,
            training_year=1,
            rate_before_pii=D("50"),
            rate_after_pii=D("50"),
            valid_from=date(2025, 1, 1),
            valid_until=date(2025, 12, 31),
            source="test",
        )
    )
    return trade


def test_an_ended_rate_is_not_applied_by_the_schedule_nor_the_calculator(ccp_rate_ended):
    contract = ContractFactory(start_date=date(2025, 12, 1), end_date=date(2026, 2, 28), first_training_year=1)
    schedule = app_selectors.schedule_compute(contract=contract)
    # Before: the schedule took the latest rate whatever its end (50 % in February 2026) while
    # the calculator showed the other one; now both say no rate is in force in January 2026.
    assert schedule.lines == []
    assert schedule.error.startswith("Calcul impossible pour janvier 2026 : aucun taux n'est en vigueur")
    with pytest.raises(ValidationError) as caught:
        app_selectors.calculator_compute(month=date(2026, 2, 1), training_year=1, trade=ccp_rate_ended)
    assert "Aucun taux n'est en vigueur pour ce métier et cette année le 01/02/2026." in str(caught.value)


def test_once_a_rate_follows_the_schedule_and_the_calculator_give_the_same_amount(ccp_rate_ended):
    add_period(
        TradeRate(
            trade=ccp_rate_ended,
            training_year=1,
            rate_before_pii=D("27"),
            rate_after_pii=D("27"),
            valid_from=date(2026, 1, 1),
            source="test",
        )
    )
    contract = ContractFactory(start_date=date(2025, 12, 1), end_date=date(2026, 2, 28), first_training_year=1)
    schedule = app_selectors.schedule_compute(contract=contract)
    # SSM at 968,04 (May 2025 – May 2026): 279,30 × 968,04 / 100 = 2 703,74.
    # December 2025: 50 % → 1 351,87; January, February 2026: 27 % → 730,0098 → 730,01.
    assert [(line.rate_percent, line.due_amount) for line in schedule.lines] == [
        (D("50"), D("1351.87")),
        (D("27"), D("730.01")),
        (D("27"), D("730.01")),
    ]
    calculation = app_selectors.calculator_compute(month=date(2026, 2, 1), training_year=1, trade=ccp_rate_ended)
    assert (calculation.rate_percent, calculation.monthly_amount) == (D("27"), D("730.01"))


# -- BTS: the pricer and the public rate table agree -----------------------------------------


@pytest.fixture
def bts_reference(reference):
    from django.core.management import call_command

    if not Act.objects.exists():
        call_command("loaddata", "bts_fees__act", "bts_fees__actrate", verbosity=0)


def test_an_act_whose_rate_ended_is_refused_by_the_pricer_and_shown_without_rate(bts_reference):
    act = Act.objects.get(code="EXAM_DELIBERATION_MEMBER")
    rate = act.rates.get()
    rate.valid_until = date(2025, 12, 31)
    effective_dated_save(actor=None, instance=rate)
    pricer = bts_selectors.Pricer([act.pk])
    # Seed 004: 7,82 at ni 100 → 7,82 × 968,04 / 100 = 75,70 on 31/12/2025.
    assert pricer.price(act_id=act.pk, on=date(2025, 12, 31), quantity=1).line_amount == D("75.70")
    with pytest.raises(ValidationError) as caught:
        pricer.price(act_id=act.pk, on=date(2026, 1, 5), quantity=1)
    assert caught.value.message_dict["act_date"] == ["Aucun taux n'est en vigueur pour cet acte le 05/01/2026."]
    table = bts_selectors.rate_table(date(2026, 1, 5))
    row = next(row for row in table["juries"] if row.act == act)
    assert (row.rate_at_100, row.amount) == (None, None)
    assert act.code not in bts_selectors.rates_in_force(date(2026, 1, 5))
    assert bts_selectors.rates_in_force(date(2025, 12, 31))[act.code] == D("7.82")
