"""E-mail notices of a declaration rejected or validated, in French, after the decision commits,
to the people it concerns."""

from django.core import mail


def test_a_rejected_declaration_is_told_with_its_reason(
    submitted_a, officer, staff_a, staff_b, django_capture_on_commit_callbacks
):
    from bts_fees import services

    staff_a.email, staff_b.email = "a@lycee.lu", "b@lycee.lu"
    staff_a.save(update_fields=["email"])
    staff_b.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_reject(actor=officer, declaration=submitted_a, reason="Liste de présence non signée.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@lycee.lu"]  # the other lycée's staff hears nothing
    assert message.subject == f"[Barème] Déclaration {submitted_a.reference} rejetée"
    assert "Motif : Liste de présence non signée." in message.body
    assert f"http://localhost:8000/bts/declarations/{submitted_a.pk}/" in message.body


def test_a_validated_declaration_is_told_with_its_amount(
    submitted_a, officer, staff_a, django_capture_on_commit_callbacks
):
    from bts_fees import services

    staff_a.email = "a@lycee.lu"
    staff_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_validate(actor=officer, declaration=submitted_a)
    (message,) = mail.outbox
    assert "validée" in message.subject
    # conftest: 203,24 + 6 × 73,85 = 646,34 €
    assert "Montant arrêté : 646,34\u00a0€" in message.body


def test_no_notice_for_a_decision_that_fails(submitted_a, officer, staff_a, django_capture_on_commit_callbacks):
    import pytest
    from django.core.exceptions import ValidationError

    from bts_fees import services

    staff_a.email = "a@lycee.lu"
    staff_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.declaration_reject(actor=officer, declaration=submitted_a, reason="")
    assert mail.outbox == []
