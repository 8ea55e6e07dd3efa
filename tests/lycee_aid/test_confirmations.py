"""After the vote and the notification of a campaign, a confirmation page says what was done (the
deliberation, the count and the amount) and what happens next."""

from django.urls import reverse

from lycee_aid.enums import CampaignStatus

from .test_views import html


def test_the_vote_then_its_confirmation(client_for, are_officer, are_staff_a, computed):
    client = client_for(are_officer)
    done_url = reverse("lycee_aid:campaign_voted", args=[computed.pk])
    # not voted yet: nothing to confirm
    assert client.get(done_url)["Location"] == reverse("lycee_aid:year_detail", args=[computed.pk])
    response = client.post(
        reverse("lycee_aid:campaign_vote", args=[computed.pk]), {"reference": "CP 2023-300", "voted_on": "05/07/2023"}
    )
    assert response["Location"] == done_url
    page = html(client.get(done_url))
    assert "Vote de la commission permanente enregistré" in page
    assert "Délibération CP 2023-300 du 05/07/2023" in page
    # conftest "computed": A 6 732 + 2 114 = 8 846,00 €, B 12 × 151 = 1 812,00 €: 10 658,00 €
    assert "2 dotations, 10 658,00 € au total" in page
    assert "Et maintenant ?" in page and "notifier les dotations aux lycées" in page
    assert client_for(are_staff_a).get(done_url).status_code == 403


def test_the_notification_then_its_confirmation(client_for, are_officer, voted):
    client = client_for(are_officer)
    done_url = reverse("lycee_aid:campaign_notified", args=[voted.pk])
    assert client.get(done_url)["Location"] == reverse("lycee_aid:year_detail", args=[voted.pk])
    response = client.post(reverse("lycee_aid:campaign_notify", args=[voted.pk]))
    assert response["Location"] == done_url
    voted.refresh_from_db()
    assert voted.campaign_status == CampaignStatus.NOTIFIED
    page = html(client.get(done_url))
    # conftest: 8 846,00 + 1 812,00 = 10 658,00 €
    assert "2 dotations notifiées aux lycées" in page and "Campagne ARE 2023-2024, 10 658,00 € au total" in page
    assert "a reçu un courriel" in page
    # a second click: refused, back to the year with the reason
    again = client.post(reverse("lycee_aid:campaign_notify", args=[voted.pk]), follow=True)
    assert "sont déjà toutes notifiées" in html(again)


def test_before_the_notification_a_check_page_shows_what_will_be_notified(client_for, are_officer, are_staff_a, voted):
    from lycee_aid.models import Dotation

    client = client_for(are_officer)
    url = reverse("lycee_aid:campaign_notify", args=[voted.pk])
    year_page = html(client.get(reverse("lycee_aid:year_detail", args=[voted.pk])))
    assert f'href="{url}"' in year_page  # the year page leads to the check page, it does not notify
    page = html(client.get(url))
    # conftest: A 8 846,00 + B 1 812,00 = 10 658,00 €, voted by deliberation CP 2023-300
    assert "Vous allez notifier 2 dotations votées (délibération CP 2023-300), pour un total de 10 658,00 €." in page
    assert "ne peut pas être annulée" in page
    voted.refresh_from_db()
    assert voted.campaign_status == CampaignStatus.VOTED  # nothing notified by looking
    assert not Dotation.objects.filter(school_year=voted, notified_at__isnull=False).exists()
    assert client_for(are_staff_a).get(url).status_code == 403
    client.post(url)
    after = html(client.get(url))
    assert "Aucune dotation votée n'attend d'être notifiée" in after
