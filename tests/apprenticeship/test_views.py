"""Screens: scoping (404 across schools and employers), bad input at the field, query counts."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from apprenticeship import services
from apprenticeship.models import Apprentice, Contract, Payment, Trade
from core.models import LuxIndex
from tests.factories import add_period
from tests.utils import html as html_of

from .factories import ContractFactory


@pytest.fixture
def two_employers(employer_a, employer_b, school_a, school_b, officer):
    contract_a = ContractFactory(employer=employer_a, school=school_a)
    contract_b = ContractFactory(
        employer=employer_b, school=school_b, trade=Trade.objects.get(code="DAP-ELEC"), apprentice__last_name="Klein"
    )
    statement_b = services.statement_issue(actor=officer, contract=contract_b)
    with time_machine.travel(date(2026, 12, 2)):  # 2025-2026 has ended and is not time-barred (APP-7)
        aid_b = services.aid_request_prepare(
            actor=officer, contract=contract_b, school_year=2025, social_charges_amount="0"
        )
    return contract_a, contract_b, statement_b, aid_b


def test_employer_sees_only_their_contracts(client_for, employer_user, two_employers):
    contract_a, contract_b, *_ = two_employers
    html = html_of(client_for(employer_user).get(reverse("apprenticeship:contract_list")))
    assert contract_a.reference in html
    assert contract_b.reference not in html


@pytest.mark.parametrize(
    "url_name",
    ["contract_detail", "statement_detail", "statement_pdf", "aid_detail", "aid_pdf", "aid_prepare"],
)
def test_employer_a_gets_404_on_employer_b_objects(client_for, employer_user, two_employers, url_name):
    _a, contract_b, statement_b, aid_b = two_employers
    pk = {
        "statement_detail": statement_b.pk,
        "statement_pdf": statement_b.pk,
        "aid_detail": aid_b.pk,
        "aid_pdf": aid_b.pk,
    }
    response = client_for(employer_user).get(
        reverse(f"apprenticeship:{url_name}", args=[pk.get(url_name, contract_b.pk)])
    )
    assert response.status_code == 404


def test_employer_a_cannot_post_on_employer_b_contract(client_for, employer_user, two_employers):
    _a, contract_b, *_ = two_employers
    client = client_for(employer_user)
    for name in ("payment_record", "statement_issue", "contract_activate"):
        assert (
            client.post(
                reverse(f"apprenticeship:{name}", args=[contract_b.pk]), {"month": "2025-10", "paid_amount": "1"}
            ).status_code
            == 404
        )
    assert Payment.objects.count() == 0


def test_staff_of_school_b_cannot_see_a_contract_of_school_a(client_for, staff_b, two_employers):
    contract_a, *_ = two_employers
    client = client_for(staff_b)
    assert client.get(reverse("apprenticeship:contract_detail", args=[contract_a.pk])).status_code == 404
    assert client.get(reverse("apprenticeship:contract_update", args=[contract_a.pk])).status_code == 404
    assert contract_a.reference not in html_of(client.get(reverse("apprenticeship:contract_list")))


def contract_post(school, employer, **overrides):
    data = {
        "last_name": "Muller",
        "first_name": "Léa",
        "birth_date": "10/03/2008",
        "national_id": "2008031012345",
        "school": school.pk,
        "employer": employer.pk,
        "trade": Trade.objects.get(code="CCP-BOUL").pk,
        "first_training_year": "1",
        "start_date": "2025-09-01",
        "end_date": "2028-07-15",
        "signed_on": "2025-08-01",
        "tutor_name": "Jean Hoffmann",
        "tutor_qualification": "Maître boulanger",
        "chamber_registered_on": "2025-08-20",
        "chamber_reference": "CDM-1",
    }
    data.update(overrides)
    return data


def test_staff_registers_a_contract(client_for, staff_a, school_a, employer_a):
    response = client_for(staff_a).post(reverse("apprenticeship:contract_create"), contract_post(school_a, employer_a))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("apprenticeship:contract_detail", args=[contract.pk])
    assert contract.status == "registered"


def test_staff_of_school_b_cannot_register_for_school_a(client_for, staff_b, school_a, employer_a):
    response = client_for(staff_b).post(reverse("apprenticeship:contract_create"), contract_post(school_a, employer_a))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in html_of(response)
    assert Contract.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_date": "10/01/2011"}, "au moins 15 ans révolus"),
        ({"end_date": "2025-08-01"}, "postérieure à la date de début"),
        ({"trade": "DAP-ELEC"}, "n'est pas agréé pour le métier « Électricien »"),
        ({"first_training_year": "4"}, "se prépare en 3 ans"),
        ({"start_date": "31/02/2025"}, "Saisissez une date valide"),
        ({"national_id": "12AB"}, "13 chiffres"),
        ({"tutor_name": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_contract_form_gives_a_french_message_and_saves_nothing(
    client_for, staff_a, school_a, employer_a, overrides, message
):
    if overrides.get("trade") == "DAP-ELEC":
        overrides["trade"] = Trade.objects.get(code="DAP-ELEC").pk
    response = client_for(staff_a).post(
        reverse("apprenticeship:contract_create"), contract_post(school_a, employer_a, **overrides)
    )
    assert response.status_code == 200
    assert message in html_of(response).replace("&#x27;", "'").replace("&laquo;", "«")
    assert Contract.objects.count() == 0
    assert Apprentice.objects.count() == 0


def test_negative_payment_and_month_outside_the_contract(client_for, employer_user, employer_a):
    contract = ContractFactory(employer=employer_a)
    client = client_for(employer_user)
    url = reverse("apprenticeship:payment_record", args=[contract.pk])
    response = client.post(url, {"month": "2025-10", "paid_amount": "-10"})
    assert response.status_code == 400
    assert "Le montant versé ne peut pas être négatif." in html_of(response)
    response = client.post(url, {"month": "2029-01", "paid_amount": "10"})
    assert "en dehors du contrat" in html_of(response)
    response = client.post(url, {"month": "2025-13", "paid_amount": "10"})
    assert "Saisissez un mois valide" in html_of(response)
    assert Payment.objects.count() == 0
    response = client.post(url, {"month": "2025-10", "paid_amount": "700,00"})
    assert response.status_code == 302
    html = html_of(client.get(reverse("apprenticeship:contract_detail", args=[contract.pk])))
    assert "30,01 € d'arriérés sur 1 mois" in html.replace("&#x27;", "'")


def test_contract_detail_shows_the_schedule(client_for, employer_user, employer_a):
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 10, 15))
    html = html_of(client_for(employer_user).get(reverse("apprenticeship:contract_detail", args=[contract.pk])))
    assert "Octobre 2025" in html
    assert "17/31" in html
    assert "400,33 €" in html
    assert "968,04" in html


def test_contract_list_queries_do_not_grow(client_for, employer_user, employer_a, django_assert_max_num_queries):
    client = client_for(employer_user)
    url = reverse("apprenticeship:contract_list")
    ContractFactory.create_batch(3, employer=employer_a)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    ContractFactory.create_batch(40, employer=employer_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(re.findall(r"APP-T-\d+", html_of(response))) == 43


def test_officer_exports_the_contracts_as_csv(client_for, officer, two_employers):
    response = client_for(officer).get(reverse("apprenticeship:contract_list"), {"_export": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert two_employers[0].reference in text and two_employers[1].reference in text
    assert "2007" not in text.split("\n", 1)[1].split(";")[2]  # national identifier masked


def test_officer_filters_by_school_year_and_status(client_for, officer, two_employers):
    client = client_for(officer)
    html = html_of(client.get(reverse("apprenticeship:contract_list"), {"school_year": "2022", "status": "active"}))
    assert "APP-T-" not in html
    html = html_of(client.get(reverse("apprenticeship:contract_list"), {"school_year": "2025", "apprentice": "Klein"}))
    assert two_employers[1].reference in html and two_employers[0].reference not in html


def test_arrears_page_after_a_retroactive_index(client_for, officer, employer_a):
    from core.models import LuxIndex

    contract = ContractFactory(employer=employer_a)
    services.statement_issue(actor=officer, contract=contract)
    add_period(LuxIndex(valid_from=date(2026, 1, 1), value="980.00", source="test"))
    html = html_of(client_for(officer).get(reverse("apprenticeship:arrears")))
    assert contract.reference in html
    assert 'id="total-difference">45,10 €' in html


# -- public calculator ---------------------------------------------------------------------------


def test_calculator_step_by_step(client, app_reference):
    response = client.get(
        reverse("apprenticeship:calculator"),
        {"kind": "trade", "trade": "DT-ELTE", "training_year": "4", "month": "2026-07"},
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))
    assert "SSM au 1er juillet 2026 : 279,30 × 992,24 / 100 = 2 771,33 €" in text
    assert "taux DT 4e année : 75 %" in text
    assert "= 2 078,50 €" in text
    assert "règlement grand-ducal du 29 juillet 2025" in text  # source of the rate


def test_calculator_adult_and_cross_border(client, app_reference):
    from apprenticeship.models import CrossBorderFormation

    url = reverse("apprenticeship:calculator")
    text = html_of(
        client.get(url, {"kind": "trade", "trade": "CCP-BOUL", "training_year": "1", "month": "2026-07", "adult": "on"})
    )
    assert 'id="amount">748,26 €' in text
    assert 'id="reimbursement">2 023,07 €' in text
    bts = CrossBorderFormation.objects.get(title="BTS Électrotechnique")
    text = html_of(
        client.get(url, {"kind": "formation", "formation": bts.pk, "training_year": "2", "month": "2024-01"})
    )
    assert 'id="amount">2 139,61 €' in text  # seed 001


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"kind": "trade", "trade": "NOPE", "training_year": "1", "month": "2026-07"},
            "Ce métier ne figure pas dans le barème.",
        ),
        ({"kind": "trade", "trade": "CCP-BOUL", "training_year": "4", "month": "2026-07"}, "se prépare en 3 ans"),
        ({"kind": "trade", "trade": "CCP-BOUL", "training_year": "1", "month": "2026-13"}, "Saisissez un mois valide"),
        (
            {"kind": "trade", "trade": "CCP-BOUL", "training_year": "x", "month": "2026-07"},
            "Choisissez une année de formation",
        ),
        (
            {"kind": "trade", "trade": "CCP-BOUL", "training_year": "1", "month": "2019-07"},
            "Aucun salaire social minimum",
        ),
        (
            {"kind": "formation", "formation": "'; DROP", "training_year": "1", "month": "2026-07"},
            "Cette formation ne figure pas",
        ),
        ({"kind": "zzz"}, "Sélectionnez un choix valide"),
    ],
)
def test_calculator_bad_query_string_gives_a_french_message(client, app_reference, params, message):
    response = client.get(reverse("apprenticeship:calculator"), params)
    assert response.status_code == 200
    assert message in html_of(response).replace("&#x27;", "'")


def test_calculator_in_english(client, app_reference):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(
        reverse("apprenticeship:calculator"),
        {"kind": "trade", "trade": "DT-ELTE", "training_year": "4", "month": "2026-07"},
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))
    # the project catalogue (locale/, first in LOCALE_PATHS) now words the title « allowance »
    assert re.search(r"Apprenticeship (indemnity|allowance) calculator", text)
    assert "rate DT year 4" in text
    assert "€2,078.50" in text
    response = client.get(reverse("apprenticeship:calculator"), {"kind": "trade", "trade": "NOPE", "month": "2026-07"})
    assert "This trade is not in the rate tables." in html_of(response)


def test_contract_filters_start_on_an_empty_choice(client_for, officer, reference):
    """No year, trade or lycée looks selected before the user filters."""
    html = client_for(officer).get(reverse("apprenticeship:contract_list")).content.decode()
    for name in ("trade", "school_year", "school"):
        select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        first_option = select.split("<option", 2)[1]
        assert 'value=""' in first_option and "selected" in first_option, name


def test_csv_export_carries_plain_text_not_html(client_for, officer, app_reference):
    ContractFactory()
    response = client_for(officer).get(reverse("apprenticeship:contract_list"), {"_export": "csv"})
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    lines = body.splitlines()
    assert len(lines) >= 2
    assert "<a" not in body and "<span" not in body
    assert lines[1].split(";")[0].startswith("APP-")


# -- the aid page: the year chosen is the year computed (APP-6/APP-7) ----------------------------


def test_aid_page_computes_the_year_chosen(client_for, employer_user, employer_a, time_machine):
    """On 01/05/2026 a contract terminated on 31/03/2026 has two years open: 2024-2025 (until
    01/07/2026) and 2025-2026 (ended with the contract, until 01/07/2027). Choosing 2025-2026
    showed 2024-2025 (the selector was ignored)."""
    time_machine.move_to(date(2026, 5, 1))
    contract = ContractFactory(
        employer=employer_a,
        start_date=date(2024, 9, 1),
        end_date=date(2027, 7, 15),
        status="terminated",
        ended_on=date(2026, 3, 31),
    )
    url = reverse("apprenticeship:aid_prepare", args=[contract.pk])
    html = html_of(client_for(employer_user).get(url, {"school_year": "2025"}))
    # 2nd year, 37 % of 2 703,74 = 1 000,38 a month, September 2025 to March 2026:
    # 7 × 1 000,38 = 7 002,66; CCP 40 % = 2 801,06.
    assert 'id="gross">7 002,66 €' in html
    assert 'id="aid">2 801,06 €' in html
    assert "01/07/2027" in html.split('id="deadline"', 1)[1].split("</div>", 1)[0]
    # the selector says which years can be requested and until when
    select = html.split('name="school_year"', 1)[1].split("</select>", 1)[0]
    assert "2024-2025 — à introduire avant le 01/07/2026" in select
    assert "2025-2026 — à introduire avant le 01/07/2027" in select
    assert re.search(r'<option value="2025"[^>]*selected', select)

    # 2024-2025, 1st year at 27 %: Sep–Dec 2024 SSM 272,22 × 944,43 / 100 = 2 570,93 → 694,1511
    # → 694,15; Jan–Apr 2025 SSM 279,30 at 944,43 = 2 637,79 → 712,2033 → 712,20; May–Aug 2025 at
    # 968,04: 730,01. 4 × 694,15 + 4 × 712,20 + 4 × 730,01 = 2 776,60 + 2 848,80 + 2 920,04 = 8 545,44.
    html = html_of(client_for(employer_user).get(url, {"school_year": "2024"}))
    assert 'id="gross">8 545,44 €' in html
    assert "01/07/2026" in html.split('id="deadline"', 1)[1].split("</div>", 1)[0]


def test_aid_page_refuses_a_year_not_ended_at_the_field(client_for, employer_user, employer_a, time_machine):
    time_machine.move_to(date(2026, 12, 2))
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    client = client_for(employer_user)
    url = reverse("apprenticeship:aid_prepare", args=[contract.pk])
    html = html_of(client.get(url))
    select = html.split('name="school_year"', 1)[1].split("</select>", 1)[0]
    assert "2025-2026 — à introduire avant le 01/07/2027" in select
    assert re.search(r'<option value="2026"[^>]*disabled', select)  # 2026-2027 not ended: shown, not offered
    response = client.post(url, {"school_year": "2026", "social_charges_amount": "0"})
    assert response.status_code == 400
    assert "2026-2027 n'est pas terminée" in html_of(response).replace("&#x27;", "'")
    assert contract.aid_requests.count() == 0


# -- the arrears page: months already due, never drafts (APP-9) ----------------------------------


def test_arrears_page_counts_neither_months_to_come_nor_drafts(client_for, officer, employer_a, time_machine):
    time_machine.move_to(date(2026, 3, 15))
    contract = ContractFactory(employer=employer_a)
    draft = ContractFactory(employer=employer_a, apprentice__last_name="Brouillon")
    services.statement_issue(actor=officer, contract=contract)
    services.statement_issue(actor=officer, contract=draft)
    Contract.objects.filter(pk=draft.pk).update(status="draft")  # stored by the former code
    add_period(LuxIndex(valid_from=date(2026, 1, 1), value="980.00", source="test"))
    html = html_of(client_for(officer).get(reverse("apprenticeship:arrears")))
    # 739,03 instead of 730,01 (index 980,00): January, February and March 2026 are due on 15/03/2026
    assert 'id="total-difference">27,06 €' in html
    assert contract.reference in html and draft.reference not in html
    assert "04/2026" not in html


# -- absurd contract dates already stored: no 500, no runaway computation ------------------------


def test_pages_stay_up_with_absurd_dates_already_stored(client_for, employer_user, officer, employer_a):
    from apprenticeship.models import Statement, StatementLine

    contract = ContractFactory(employer=employer_a, end_date=date(9999, 12, 31))
    # a statement issued by the former code on an end date of 31/12/2999 (here 200 of its lines)
    statement = Statement.objects.create(
        reference="REL-T-1",
        contract=contract,
        issued_at="2026-01-01T12:00:00Z",
        issued_by=officer,
        total_due_amount="146002.00",
        total_reimbursement_amount="0",
    )
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            month=date(2025 + i // 12, i % 12 + 1, 1),
            days_covered=28,
            days_in_month=28,
            training_year=1,
            index="968.04",
            ssm_at_100="279.30",
            ssm_amount="2703.74",
            rate_percent="27.00",
            pii=False,
            monthly_amount="730.01",
            standard_amount="730.01",
            reimbursement_amount="0",
            due_amount="730.01",
        )
        for i in range(200)
    )
    for user in (employer_user, officer):
        client = client_for(user)
        for name in ("contract_detail", "aid_prepare"):
            response = client.get(reverse(f"apprenticeship:{name}", args=[contract.pk]))
            assert response.status_code == 200, name
            assert "au-delà de ce que permet la durée de formation" in html_of(response).replace("&#x27;", "'")
        response = client.get(reverse("apprenticeship:statement_detail", args=[statement.pk]))
        assert response.status_code == 200
        assert "200 lignes" in html_of(response)
        response = client.get(reverse("apprenticeship:statement_pdf", args=[statement.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("apprenticeship:statement_detail", args=[statement.pk])
    assert client_for(officer).get(reverse("apprenticeship:arrears")).status_code == 200
    response = client_for(employer_user).post(reverse("apprenticeship:statement_issue", args=[contract.pk]))
    assert response.status_code == 302
    assert contract.statements.count() == 1


def test_contract_form_names_the_maximum_end_date(client_for, staff_a, school_a, employer_a):
    # 9999 is refused by the date field itself (dates end in 2100); a date the field accepts but the
    # training's duration does not gets the latest end date it allows.
    response = client_for(staff_a).post(
        reverse("apprenticeship:contract_create"), contract_post(school_a, employer_a, end_date="31/12/2040")
    )
    assert response.status_code == 200
    html = html_of(response).replace("&#x27;", "'").replace("&laquo;", "«").replace("&raquo;", "»")
    assert "se termine au plus tard le 31/08/2028" in html
    assert Contract.objects.count() == 0


def test_home_warns_the_employer_before_forclusion(client_for, employer_user, employer_a, time_machine):
    """APP-7: the home page names the years whose aid can still be requested, for how many
    contracts, and how many days are left; nothing once requested, nothing for a year not ended."""
    time_machine.move_to(date(2027, 5, 15))
    contract = ContractFactory(employer=employer_a, start_date=date(2025, 9, 1), end_date=date(2028, 7, 15))
    ContractFactory(employer=employer_a, status="draft", chamber_reference="")  # a draft asks for nothing
    client = client_for(employer_user)
    html = html_of(client.get(reverse("core:home")))
    warning = re.sub(r"\s+", " ", html.split('id="aid-deadline-2025-2026"', 1)[1].split("</p>", 1)[0])
    assert "1 contrat sans demande préparée, à introduire avant le 01/07/2027." in warning
    assert "Il reste 47 jours." in warning
    assert "aid-deadline-2026-2027" not in html  # 2026-2027 has not ended
    services.aid_request_prepare(actor=employer_user, contract=contract, school_year=2025, social_charges_amount="0")
    assert "aid-deadline-" not in html_of(client.get(reverse("core:home")))


def test_an_aid_request_prepared_before_its_year_ended_is_flagged(client_for, employer_user, employer_a, time_machine):
    """A request stored by the former rules for 2026-2027 on 02/12/2026 (5 044,94 € mostly of months
    to come) says it must be prepared again once the year has ended."""
    from apprenticeship.models import AidRequest

    time_machine.move_to(date(2026, 12, 2))
    contract = ContractFactory(employer=employer_a)
    aid = AidRequest.objects.create(
        reference="AIDE-T-2026",
        contract=contract,
        school_year=2026,
        diploma="CCP",
        months=12,
        gross_amount="12612.35",
        aid_percent="40",
        aid_amount="5044.94",
        social_charges_amount="0",
        total_amount="5044.94",
        deadline=date(2028, 7, 1),
        prepared_at="2026-12-02T10:00:00Z",
        prepared_by=employer_user,
    )
    html = html_of(client_for(employer_user).get(reverse("apprenticeship:aid_detail", args=[aid.pk])))
    message = html.split('id="premature">', 1)[1].split("</div>", 1)[0].replace("&#x27;", "'")
    assert "préparée le 02/12/2026, avant la fin de l'année d'apprentissage 2026-2027" in message
    assert "à partir du 01/09/2027, avant le 01/07/2028" in message


def test_the_contract_list_labels_every_cell_for_the_phone_cards(client_for, employer_user, two_employers):
    from tests.core.test_table_cards import labelled_rows

    page = html_of(client_for(employer_user).get(reverse("apprenticeship:contract_list")))
    rows = labelled_rows(page)
    assert rows and all(len(cells) == 9 and all(cells) for cells in rows)
    assert 'data-label="Référence"><a href=' in page
