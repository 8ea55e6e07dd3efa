"""Employers are reminded of the aid requests to introduce before forclusion (APP-7)."""

from django.core import mail
from django.core.management import call_command

from .factories import ContractFactory


def _run(*args):
    # the notices leave when the transaction commits: the test's transaction never does
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("notify_aid_deadlines", *args, verbosity=0)


def test_reminders_60_30_and_7_days_before_forclusion(employer_user, employer_a, time_machine):
    employer_user.email = "rh@boulangerie.lu"
    employer_user.save(update_fields=["email"])
    contract = ContractFactory(employer=employer_a)  # from 01/09/2025: the year 2025-2026 ends 31/08/2026
    # APP-7: the aid of 2025-2026 is requested before 01/07/2027; 30 days before: 01/06/2027
    time_machine.move_to("2027-06-01 08:00:00+00:00", tick=False)
    _run()
    (message,) = mail.outbox
    assert message.to == ["rh@boulangerie.lu"]
    assert contract.reference in message.body
    assert "avant le 01/07/2027, dans 30 jours" in message.body
    # a day later, no reminder is due (the next is 7 days before)
    mail.outbox.clear()
    time_machine.move_to("2027-06-02 08:00:00+00:00", tick=False)
    _run()
    assert mail.outbox == []
    _run("--within", "60")
    assert len(mail.outbox) == 1
