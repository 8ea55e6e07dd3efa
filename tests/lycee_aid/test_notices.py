"""Each lycée hears by e-mail that its dotation is notified (after the commit, in French)."""

from django.core import mail

from lycee_aid import services


def _plain(body: str) -> str:
    return body.replace("\u202f", " ").replace("\u00a0", " ")


def test_each_lycee_hears_of_its_dotation(
    are_officer, voted, are_staff_a, are_staff_b, django_capture_on_commit_callbacks
):
    are_staff_a.email, are_staff_b.email = "a@lycee.fr", "b@lycee.fr"
    are_staff_a.save(update_fields=["email"])
    are_staff_b.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_notify(actor=are_officer, school_year=voted)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == ["a@lycee.fr", "b@lycee.fr"]
    # conftest "computed": A 6 732 + 2 114 = 8 846,00 €; B 12 × 151 = 1 812,00 €
    assert "Total attribué : 8 846,00 €" in _plain(by_recipient["a@lycee.fr"].body)
    assert "Total attribué : 1 812,00 €" in _plain(by_recipient["b@lycee.fr"].body)
    assert by_recipient["a@lycee.fr"].subject == f"[Barème] Dotation ARE {voted.label} notifiée"
