"""Marking a dotation paid: a recap of the amount and the beneficiary, the date of the transfer and
the reference of the payment order, then a confirmation page with what remains to pay."""

from datetime import date

from django.urls import reverse

from core.models import AuditEvent
from lycee_aid import services
from lycee_aid.enums import CampaignStatus, DotationStatus
from lycee_aid.models import Dotation
from tests.utils import html


def test_recap_then_payment_then_what_happens_next(client_for, are_officer, voted, lycee_a, lycee_b, time_machine):
    time_machine.move_to("2026-11-20 10:00:00+00:00", tick=False)
    services.campaign_notify(actor=are_officer, school_year=voted)
    time_machine.move_to("2026-12-02 10:00:00+00:00", tick=False)
    dotation = Dotation.objects.get(school=lycee_a)
    client = client_for(are_officer)
    url = reverse("lycee_aid:dotation_paid", args=[dotation.pk])

    # the recap: conftest "computed", A: 6 732 + 2 114 = 8 846,00 € to pay
    recap = html(client.get(url))
    assert "8 846,00 €" in recap and lycee_a.name in recap
    assert "Confirmer le versement de 8 846,00 €" in recap

    # no reference: nothing recorded, said at the field and in the summary
    response = client.post(url, {"payment_date": "01/12/2026", "payment_reference": ""})
    assert response.status_code == 400
    assert 'href="#id_payment_reference"' in html(response)
    # a transfer dated tomorrow, or before the notification of 20/11/2026: refused at the date
    response = client.post(url, {"payment_date": "03/12/2026", "payment_reference": "MP-1"})
    assert "La date du virement ne peut pas être dans le futur." in html(response)
    response = client.post(url, {"payment_date": "19/11/2026", "payment_reference": "MP-1"})
    assert "ne peut pas précéder la notification du 20/11/2026" in html(response)
    assert Dotation.objects.get(pk=dotation.pk).status == DotationStatus.NOTIFIED

    response = client.post(url, {"payment_date": "01/12/2026", "payment_reference": "MP-2026-0042"})
    assert response.status_code == 302
    assert response["Location"] == reverse("lycee_aid:dotation_paid_done", args=[dotation.pk])
    dotation.refresh_from_db()
    assert (dotation.status, dotation.payment_date, dotation.payment_reference) == (
        DotationStatus.PAID,
        date(2026, 12, 1),
        "MP-2026-0042",
    )
    event = AuditEvent.objects.get(action="lycee_aid.dotation_mark_paid")
    assert event.after["payment_reference"] == "MP-2026-0042"

    # what happens next: B (12 × 151 = 1 812,00 €) is still to pay
    done = html(client.get(response["Location"]))
    assert "8 846,00 € versés à" in done and "virement du 01/12/2026, mandat MP-2026-0042" in done
    assert "Il reste 1 dotation notifiée" in done and "1 812,00 €" in done

    # paying B the same way closes the campaign
    other = Dotation.objects.get(school=lycee_b)
    client.post(
        reverse("lycee_aid:dotation_paid", args=[other.pk]),
        {"payment_date": "02/12/2026", "payment_reference": "MP-43"},
    )
    voted.refresh_from_db()
    assert voted.campaign_status == CampaignStatus.PAID
    assert "sont versées" in html(client.get(reverse("lycee_aid:dotation_paid_done", args=[other.pk])))


def test_only_officers_record_a_payment(client_for, are_officer, are_staff_a, voted, lycee_a):
    services.campaign_notify(actor=are_officer, school_year=voted)
    dotation = Dotation.objects.get(school=lycee_a)
    response = client_for(are_staff_a).post(
        reverse("lycee_aid:dotation_paid", args=[dotation.pk]), {"payment_date": "01/12/2026", "payment_reference": "X"}
    )
    assert response.status_code == 403
    assert Dotation.objects.get(pk=dotation.pk).status == DotationStatus.NOTIFIED
