"""A year in the life of the apprenticeship app: the school year 2025-2026 walked through the
services, day by day, with every amount checked to the cent against figures computed by hand.

Reference data of the seeds and of rules CORE-2/CORE-3 (docs/rules.md):
- SSM (unqualified, monthly) at index 100: 272,22 from 01/01/2023, 279,30 from 01/01/2025 (ITM).
- Index: 944,43 from 01/09/2023, 968,04 from 01/05/2025, 992,24 from 01/06/2026 (seed 002). The
  story starts before 992,24 is published: an officer enters it on 10/07/2026, retroactively.
- SSM in force: 279,30 × 968,04 / 100 = 2 703,7357 → 2 703,74; 279,30 × 992,24 / 100 = 2 771,3263
  → 2 771,33 (seed 002: « SSM = 2.771,33 € à l'indice 992,24 »).
- Rates of seed 002 (% of the SSM): CCP 27/37/47 (no PII rate); DAP-BOUL 30/30, 40/45, 50/55 and
  DAP-ELEC 35/35, 42/48, 52/58 (demo values within the DAP ranges, before/after PII).
- Monthly indemnity = round_cent(SSM × rate / 100) (APP-1); a partial month is prorated by
  calendar days (APP-4); an adult is due the full SSM, the State reimbursing the difference (APP-2);
  the PII rate applies from the month after the notification (APP-3); the aid is 40 % (CCP) or 27 %
  (DAP) of the gross indemnities of the year (APP-6), requested once the year (or the contract
  within it) has ended, before 1 July of the following year (APP-7).

The cast, at Lycée A: Tom (DAP baker, 2nd year in 2025-2026, PII in February), Léa (CCP baker,
1st year), Mia (CCP baker from 15/10/2025, who resigns on 15/03/2026) with Boulangerie A; Carlos
(adult DAP electrician, 1st year) with Électricité B; Noah, whose contract stays a draft.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from apprenticeship import selectors, services
from apprenticeship.models import Contract, StatementLine, Trade, TradeRate
from core.models import LuxIndex
from tests.factories import add_period


def on(time_machine, day: date) -> None:
    """Travel to noon of that day (the dates of the story are Luxembourg dates)."""
    time_machine.move_to(datetime.combine(day, time(12), tzinfo=UTC))


def register(actor, school, employer, trade_code, last_name, birth_date, national_id, start, end, **extra):
    """Registered by the school's staff, signed some days before the month of the start."""
    signed = date(start.year, start.month, 1) - timedelta(days=20)
    return services.contract_register(
        actor=actor,
        last_name=last_name,
        first_name="—",
        birth_date=birth_date,
        national_id=national_id,
        employer=employer,
        school=school,
        trade=Trade.objects.get(code=trade_code),
        tutor_name="Jean Hoffmann",
        tutor_qualification="Maître artisan",
        signed_on=signed,
        start_date=start,
        end_date=end,
        chamber_registered_on=extra.pop("chamber_registered_on", signed + timedelta(days=5)),
        chamber_reference=extra.pop("chamber_reference", f"CH-{national_id[-4:]}"),
        **extra,
    )


def fresh(contract: Contract) -> Contract:
    return Contract.objects.select_related("trade", "formation", "employer").get(pk=contract.pk)


def schedule_of(contract: Contract):
    return selectors.schedule_compute(contract=fresh(contract))


def due(contract: Contract, month: date) -> D:
    return schedule_of(contract).line_for(month).due_amount


@pytest.fixture
def world(app_reference):
    """The reference data as known in August 2024: 992,24 is not published yet."""
    LuxIndex.objects.filter(valid_from=date(2026, 6, 1)).delete()
    LuxIndex.objects.filter(valid_from=date(2025, 5, 1)).update(valid_until=None)


def test_a_year_in_the_life(
    world, time_machine, staff_a, school_a, officer, employer_user, employer_user_b, employer_a, employer_b
):
    # -- 20/08/2024: Tom's contract (DAP baker, three years) is registered and put in progress.
    on(time_machine, date(2024, 8, 20))
    tom = register(
        staff_a, school_a, employer_a, "DAP-BOUL", "Schmit", date(2008, 2, 2), "2008020223402",
        date(2024, 9, 1), date(2027, 7, 15),
    )  # fmt: skip
    tom = services.contract_activate(actor=staff_a, contract=tom)

    # -- 20/08/2025: Léa (CCP) and Carlos (adult DAP electrician) start on 01/09/2025; Noah's
    # contract lacks its chamber registration and stays a draft (APP-8).
    on(time_machine, date(2025, 8, 20))
    with pytest.raises(ValidationError) as caught:  # 31/12/9999 typed for the end: refused (APP-8)
        register(
            staff_a, school_a, employer_a, "CCP-BOUL", "Muller", date(2009, 5, 14), "2009051412301",
            date(2025, 9, 1), date(9999, 12, 31),
        )  # fmt: skip
    assert "se termine au plus tard le 31/08/2028" in caught.value.message_dict["end_date"][0]
    lea = register(
        staff_a, school_a, employer_a, "CCP-BOUL", "Muller", date(2009, 5, 14), "2009051412301",
        date(2025, 9, 1), date(2028, 7, 15),
    )  # fmt: skip
    carlos = register(
        staff_a, school_a, employer_b, "DAP-ELEC", "Da Silva", date(1994, 3, 8), "1994030856705",
        date(2025, 9, 1), date(2028, 7, 15), is_adult=True,
    )  # fmt: skip
    noah = register(
        staff_a, school_a, employer_a, "DAP-BOUL", "Kayser", date(2010, 1, 1), "2010010178907",
        date(2025, 9, 1), date(2028, 7, 15), chamber_registered_on=None, chamber_reference="",
    )  # fmt: skip
    lea = services.contract_activate(actor=staff_a, contract=lea)
    carlos = services.contract_activate(actor=staff_a, contract=carlos)
    assert noah.status == "draft"

    # Tom's 2nd year, before the PII: 40 % of 2 703,74 = 1 081,496 → 1 081,50; August 2025, still
    # in the 1st year: 30 % = 811,122 → 811,12.
    assert due(tom, date(2025, 8, 1)) == D("811.12")
    assert due(tom, date(2025, 9, 1)) == D("1081.50")
    # Carlos, adult: the indemnity of his 1st year is 35 % = 946,309 → 946,31; he is due the full
    # SSM 2 703,74; the State reimburses 2 703,74 − 946,31 = 1 757,43 (APP-2).
    september = schedule_of(carlos).line_for(date(2025, 9, 1))
    assert (september.standard_amount, september.due_amount, september.reimbursement_amount) == (
        D("946.31"),
        D("2703.74"),
        D("1757.43"),
    )

    # -- 01/10/2025: Mia starts on 15/10/2025 (CCP, 1st year).
    on(time_machine, date(2025, 10, 1))
    mia = register(
        staff_a, school_a, employer_a, "CCP-BOUL", "Reuter", date(2009, 11, 3), "2009110334503",
        date(2025, 10, 15), date(2028, 7, 15),
    )  # fmt: skip
    mia = services.contract_activate(actor=staff_a, contract=mia)
    # October 2025, 17 days of 31: 27 % of 2 703,74 = 730,01 → 730,01 × 17 / 31 = 400,3281 → 400,33.
    assert due(mia, date(2025, 10, 1)) == D("400.33")

    # -- 31/10/2025: Boulangerie A records Léa's September and October (730,01 each); November has
    # not come yet and is refused.
    on(time_machine, date(2025, 10, 31))
    for month in (date(2025, 9, 1), date(2025, 10, 1)):
        payment = services.payment_record(actor=employer_user, contract=lea, month=month, paid_amount="730,01")
        assert (payment.due_amount, payment.index) == (D("730.01"), D("968.04"))
    with pytest.raises(ValidationError) as caught:
        services.payment_record(actor=employer_user, contract=lea, month=date(2025, 11, 1), paid_amount="730,01")
    assert "n'est pas encore échu" in caught.value.message_dict["month"][0]
    with pytest.raises(ValidationError):  # nothing is recorded on a draft
        services.payment_record(actor=employer_user, contract=noah, month=date(2025, 9, 1), paid_amount="811,12")

    # -- 15/12/2025: the officer replaces Tom's 2nd-year demo rate (40/45 %) by 42/47 % from
    # 01/01/2026: the former rate ends on 31/12/2025 and is never used after.
    on(time_machine, date(2025, 12, 15))
    dap_boul = Trade.objects.get(code="DAP-BOUL")
    add_period(
        TradeRate(
            trade=dap_boul,
            training_year=2,
            rate_before_pii=D("42.00"),
            rate_after_pii=D("47.00"),
            valid_from=date(2026, 1, 1),
            source="Règlement grand-ducal (scénario de test)",
        )
    )
    ended = TradeRate.objects.get(trade=dap_boul, training_year=2, valid_from=date(2023, 1, 1))
    assert ended.valid_until == date(2025, 12, 31)
    # December 2025 at 40 %: 1 081,50; January 2026 at 42 %: 2 703,74 × 42 % = 1 135,5708 → 1 135,57.
    assert (due(tom, date(2025, 12, 1)), due(tom, date(2026, 1, 1))) == (D("1081.50"), D("1135.57"))

    # -- 12/02/2026: Tom's PII success is notified; the 47 % rate applies from March (APP-3).
    # Léa's trade (CCP) has no PII rate: a notification for her is refused.
    on(time_machine, date(2026, 2, 12))
    services.pii_record(actor=staff_a, contract=tom, notified_on=date(2026, 2, 12))
    with pytest.raises(ValidationError) as caught:
        services.pii_record(actor=staff_a, contract=lea, notified_on=date(2026, 2, 12))
    assert "pas de taux majoré" in caught.value.message_dict["notified_on"][0]
    february, march = schedule_of(tom).line_for(date(2026, 2, 1)), schedule_of(tom).line_for(date(2026, 3, 1))
    assert (february.pii, february.due_amount) == (False, D("1135.57"))
    # 2 703,74 × 47 % = 1 270,7578 → 1 270,76
    assert (march.pii, march.rate_percent, march.due_amount) == (True, D("47.00"), D("1270.76"))

    # -- 15/03/2026: Mia resigns; her contract ends that day.
    on(time_machine, date(2026, 3, 15))
    mia = services.contract_end(
        actor=staff_a, contract=mia, outcome="terminated", ended_on=date(2026, 3, 15), reason="Démission"
    )
    with pytest.raises(ValidationError) as caught:  # her year ends with her contract, tomorrow
        services.aid_request_prepare(actor=employer_user, contract=mia, school_year=2025, social_charges_amount="0")
    assert "à partir du 16/03/2026" in caught.value.message_dict["school_year"][0]

    # -- 01/04/2026: Mia's 2025-2026 aid can be requested (her contract ended within the year).
    # October 400,33 + November–February 4 × 730,01 = 2 920,04 + March 15/31: 730,01 × 15 / 31
    # = 353,2306 → 353,23; gross 3 673,60; CCP 40 % = 1 469,44; deadline 01/07/2027.
    on(time_machine, date(2026, 4, 1))
    aid = services.aid_request_prepare(actor=employer_user, contract=mia, school_year=2025, social_charges_amount="0")
    assert (aid.months, aid.gross_amount, aid.aid_percent, aid.aid_amount, aid.total_amount) == (
        6,
        D("3673.60"),
        D("40"),
        D("1469.44"),
        D("1469.44"),
    )
    assert aid.deadline == date(2027, 7, 1)
    with pytest.raises(ValidationError) as caught:  # Léa's year has not ended
        services.aid_request_prepare(actor=employer_user, contract=lea, school_year=2025, social_charges_amount="0")
    assert "2025-2026 n'est pas terminée" in caught.value.message_dict["school_year"][0]

    # -- 15/05/2026: Boulangerie A issues Léa's statement, with the index then known (968,04):
    # 1st year 12 × 730,01 = 8 760,12; 2nd year 37 % = 1 000,3838 → 1 000,38, × 12 = 12 004,56;
    # 3rd year 47 % = 1 270,76, × 10 (Sep 2027–Jun 2028) = 12 707,60, July 2028 15/31: 1 270,76
    # × 15 / 31 = 614,8838 → 614,88; total 8 760,12 + 12 004,56 + 12 707,60 + 614,88 = 34 087,16.
    on(time_machine, date(2026, 5, 15))
    first = services.statement_issue(actor=employer_user, contract=lea)
    assert first.reference == f"REL-{lea.reference[4:]}-01"
    assert (first.lines.count(), first.total_due_amount, first.total_reimbursement_amount) == (
        35,
        D("34087.16"),
        D("0.00"),
    )
    with pytest.raises(ValidationError):  # never a statement for a draft
        services.statement_issue(actor=employer_user, contract=noah)

    # -- 31/05/2026: Tom's months are recorded. September–December 1 081,50, January–February
    # 1 135,57 as due; March and April paid at the former 1 135,57 (the PII increase forgotten);
    # May 1 270,76.
    on(time_machine, date(2026, 5, 31))
    paid = {date(2025, m, 1): "1081.50" for m in (9, 10, 11, 12)}
    paid |= {date(2026, 1, 1): "1135.57", date(2026, 2, 1): "1135.57", date(2026, 3, 1): "1135.57"}
    paid |= {date(2026, 4, 1): "1135.57", date(2026, 5, 1): "1270.76"}
    for month, amount in paid.items():
        services.payment_record(actor=employer_user, contract=tom, month=month, paid_amount=amount)
    comparison = selectors.schedule_compare(contract=fresh(tom), schedule=schedule_of(tom))
    # March and April: 1 270,76 − 1 135,57 = 135,19 each
    assert {r.line.month: r.shortfall for r in comparison.rows if r.shortfall} == {
        date(2026, 3, 1): D("135.19"),
        date(2026, 4, 1): D("135.19"),
    }
    # paid: 4 × 1 081,50 + 4 × 1 135,57 + 1 270,76 = 4 326,00 + 4 542,28 + 1 270,76 = 10 139,04
    assert (comparison.total_paid, comparison.total_shortfall) == (D("10139.04"), D("270.38"))

    # -- 30/06/2026: June is paid at the amounts due then (index 968,04): Léa 730,01, Tom 1 270,76.
    on(time_machine, date(2026, 6, 30))
    for contract, amount in ((lea, "730.01"), (tom, "1270.76")):
        services.payment_record(actor=employer_user, contract=contract, month=date(2026, 6, 1), paid_amount=amount)

    # -- 10/07/2026: the officer enters the index 992,24 applicable from 01/06/2026 (retroactive).
    on(time_machine, date(2026, 7, 10))
    add_period(LuxIndex(valid_from=date(2026, 6, 1), value=D("992.24"), source="STATEC — cote au 1er juin 2026"))
    # Léa from June: 27 % of 2 771,33 = 748,2591 → 748,26 (seed 002); Tom: 47 % = 1 302,5251 → 1 302,53;
    # Carlos: the SSM 2 771,33, indemnity 35 % = 969,9655 → 969,97, reimbursed 1 801,36.
    assert due(lea, date(2026, 6, 1)) == D("748.26")
    assert due(tom, date(2026, 6, 1)) == D("1302.53")
    june = schedule_of(carlos).line_for(date(2026, 6, 1))
    assert (june.standard_amount, june.due_amount, june.reimbursement_amount) == (
        D("969.97"),
        D("2771.33"),
        D("1801.36"),
    )
    # The statement issued on 15/05/2026 is frozen: its June still says 730,01.
    assert StatementLine.objects.get(statement=first, month=date(2026, 6, 1)).due_amount == D("730.01")

    # -- 20/07/2026: the arrears are those of the months already due, June and July 2026:
    # Léa: statement difference 748,26 − 730,01 = 18,25 for June and July = 36,50 (not the 687,95
    # of the whole contract: 34 775,11 − 34 087,16, most of it for months to come); June paid
    # 730,01 for 748,26 due: 18,25. Tom: 135,19 + 135,19 + June 1 302,53 − 1 270,76 = 31,77, so
    # 302,15. The draft (Noah) and the contracts with nothing frozen (Mia, Carlos) owe none.
    on(time_machine, date(2026, 7, 20))
    overview = selectors.arrears_overview(user=officer)
    assert [(r["contract"].pk, r["difference"], r["shortfall"]) for r in overview] == [
        (tom.pk, D("0.00"), D("302.15")),
        (lea.pk, D("36.50"), D("18.25")),
    ]
    assert [row.line.month for row in overview[1]["months"]] == [date(2026, 6, 1), date(2026, 7, 1)]
    assert selectors.arrears_overview(user=employer_user_b) == []
    comparison = selectors.schedule_compare(contract=fresh(tom), schedule=schedule_of(tom))
    # paid: 4 × 1 081,50 + 4 × 1 135,57 + 1 270,76 (May) + 1 270,76 (June)
    # = 4 326,00 + 4 542,28 + 2 541,52 = 11 409,80
    assert comparison.total_paid == D("11409.80")

    # Léa's statement is issued again: a new reference with the new figures; the first one stays.
    # 1st year 9 × 730,01 + 3 × 748,26 = 6 570,09 + 2 244,78 = 8 814,87; 2nd year 37 % of 2 771,33
    # = 1 025,3921 → 1 025,39, × 12 = 12 304,68; 3rd year 47 % = 1 302,53, × 10 = 13 025,30, July
    # 2028 1 302,53 × 15 / 31 = 630,2564 → 630,26; total 34 775,11.
    second = services.statement_issue(actor=employer_user, contract=lea)
    assert second.reference == f"REL-{lea.reference[4:]}-02"
    assert (second.lines.count(), second.total_due_amount) == (35, D("34775.11"))
    assert fresh(lea).statements.get(pk=first.pk).total_due_amount == D("34087.16")
    comparison = selectors.schedule_compare(contract=fresh(lea), schedule=schedule_of(lea))
    assert (comparison.statement.pk, comparison.total_difference, comparison.total_shortfall) == (
        second.pk,
        D("0.00"),
        D("18.25"),
    )

    # -- 15/09/2026: 2025-2026 has ended; its aid can be requested until 30/06/2027.
    on(time_machine, date(2026, 9, 15))
    # Léa: 8 814,87 × 40 % = 3 525,948 → 3 525,95.
    aid = services.aid_request_prepare(actor=employer_user, contract=lea, school_year=2025, social_charges_amount="0")
    assert (aid.months, aid.gross_amount, aid.aid_amount, aid.total_amount, aid.deadline) == (
        12,
        D("8814.87"),
        D("3525.95"),
        D("3525.95"),
        date(2027, 7, 1),
    )
    # Carlos: the standard indemnities, not the SSM he is paid (the top-up is reimbursed by the
    # State, APP-2): 9 × 946,31 + 3 × 969,97 = 8 516,79 + 2 909,91 = 11 426,70; 27 % = 3 085,209
    # → 3 085,21; with the employer's social charges declared, 1 250,00: 4 335,21.
    aid = services.aid_request_prepare(
        actor=employer_user_b, contract=carlos, school_year=2025, social_charges_amount="1 250,00"
    )
    assert (aid.months, aid.gross_amount, aid.aid_percent, aid.aid_amount, aid.total_amount) == (
        12,
        D("11426.70"),
        D("27"),
        D("3085.21"),
        D("4335.21"),
    )
    # Tom's 2024-2025 aid was due before 01/07/2026: time-barred.
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(actor=employer_user, contract=tom, school_year=2024, social_charges_amount="0")
    assert "forclose" in caught.value.message_dict["school_year"][0]
    # Léa's 2026-2027 has just begun.
    with pytest.raises(ValidationError) as caught:
        services.aid_request_prepare(actor=employer_user, contract=lea, school_year=2026, social_charges_amount="0")
    assert "2026-2027 n'est pas terminée" in caught.value.message_dict["school_year"][0]
    # Tom's 3rd year, after the PII: 55 % of 2 771,33 = 1 524,2315 → 1 524,23.
    assert due(tom, date(2026, 9, 1)) == D("1524.23")

    # -- 20/06/2027: Tom's 2025-2026 aid, eleven days before the deadline (the page warns).
    # September–December 4 × 1 081,50 = 4 326,00; January–February 2 × 1 135,57 = 2 271,14;
    # March–May 3 × 1 270,76 = 3 812,28; June–August 3 × 1 302,53 = 3 907,59; gross 14 317,01;
    # 27 % = 3 865,5927 → 3 865,59.
    on(time_machine, date(2027, 6, 20))
    preview = selectors.aid_preview(contract=fresh(tom), school_year=2025)
    assert (preview.days_left, preview.deadline) == (11, date(2027, 7, 1))
    aid = services.aid_request_prepare(actor=employer_user, contract=tom, school_year=2025, social_charges_amount="0")
    assert (aid.months, aid.gross_amount, aid.aid_amount) == (12, D("14317.01"), D("3865.59"))
