"""Before a line leaves a draft declaration: the line and the declaration's total before and after,
a confirm button and a way back; nothing is removed until the confirmation is posted."""

from django.urls import reverse

from bts_fees.models import DeclarationLine
from core.models import AuditEvent
from tests.utils import html

from .conftest import deliberation_declaration


def _member_line(declaration):
    return declaration.lines.exclude(appointment__role="commissioner").order_by("pk").first()


def test_the_declaration_links_each_line_to_its_recap(client_for, exam_board_a, staff_a):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    line = _member_line(declaration)
    page = html(client_for(staff_a).get(reverse("bts_fees:declaration_detail", args=[declaration.pk])))
    assert reverse("bts_fees:declaration_remove_line_check", args=[declaration.pk, line.pk]) in page


def test_recap_then_confirm(client_for, exam_board_a, staff_a):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    line = _member_line(declaration)
    client = client_for(staff_a)
    check_url = reverse("bts_fees:declaration_remove_line_check", args=[declaration.pk, line.pk])
    events = AuditEvent.objects.count()
    page = html(client.get(check_url))
    assert str(line.appointment.person) in page
    assert str(line.act) in page
    # conftest: a member at the deliberation, 1 × 73,85 €
    assert 'id="recap-line">73,85 €' in page
    # 203,24 + 6 × 73,85 = 646,34 € before; 646,34 − 73,85 = 572,49 € after
    assert 'id="recap-total">646,34 € → 572,49 €' in page
    assert 'id="recap-remaining">6<' in page
    assert reverse("bts_fees:declaration_remove_line", args=[declaration.pk, line.pk]) in page
    assert reverse("bts_fees:declaration_detail", args=[declaration.pk]) in page  # the way back
    # looking removes nothing and records nothing
    assert DeclarationLine.objects.filter(pk=line.pk).exists()
    assert AuditEvent.objects.count() == events
    response = client.post(reverse("bts_fees:declaration_remove_line", args=[declaration.pk, line.pk]))
    assert response.status_code == 302
    assert not DeclarationLine.objects.filter(pk=line.pk).exists()
    assert declaration.lines.count() == 6
    assert AuditEvent.objects.filter(action="bts_fees.declaration_remove_line").count() == 1
    # the line is gone: its recap is too
    assert client.get(check_url).status_code == 404


def test_another_lycees_line_is_not_found(client_for, exam_board_a, staff_a, staff_b):
    declaration = deliberation_declaration(exam_board_a, staff_a)
    line = _member_line(declaration)
    other = client_for(staff_b)
    assert (
        other.get(reverse("bts_fees:declaration_remove_line_check", args=[declaration.pk, line.pk])).status_code == 404
    )
    assert other.post(reverse("bts_fees:declaration_remove_line", args=[declaration.pk, line.pk])).status_code == 404
    assert DeclarationLine.objects.filter(pk=line.pk).exists()


def test_a_line_of_another_declaration_is_not_found(client_for, exam_board_a, exam_board_b, staff_a, staff_b):
    mine = deliberation_declaration(exam_board_a, staff_a)
    theirs = deliberation_declaration(exam_board_b, staff_b)
    line = _member_line(theirs)
    client = client_for(staff_a)
    assert client.get(reverse("bts_fees:declaration_remove_line_check", args=[mine.pk, line.pk])).status_code == 404
    assert client.post(reverse("bts_fees:declaration_remove_line", args=[mine.pk, line.pk])).status_code == 404
    assert DeclarationLine.objects.filter(pk=line.pk).exists()


def test_officers_see_no_recap_and_a_submitted_declaration_leads_back(client_for, officer, staff_a, submitted_a):
    line = _member_line(submitted_a)
    url = reverse("bts_fees:declaration_remove_line_check", args=[submitted_a.pk, line.pk])
    assert client_for(officer).get(url).status_code == 403
    response = client_for(staff_a).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("bts_fees:declaration_detail", args=[submitted_a.pk])
