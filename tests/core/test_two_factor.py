"""The second factor of officers: enrolment, confirmation at each sign-in, who is not asked."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.two_factor import enrolment_link_issue


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED = True


def code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_officer_must_enrol_then_confirm_a_code(client_for, officer, otp_on, reference, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the deliberate wrong code
    client = client_for(officer)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "double-authentification" in response["Location"]
    page = client.get(reverse("second_factor")).content.decode()
    # The password alone gives no QR code and no secret: enrolment needs the administrator's link.
    assert "Scannez ce code" not in page and "lien d'enrôlement" in page
    assert not TOTPDevice.objects.filter(user=officer).exists()
    link = enrolment_link_issue(actor=None, user=officer)
    assert client.get(link)["Location"] == reverse("second_factor")
    page = client.get(reverse("second_factor"))
    assert "Scannez ce code" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    bad = client.post(reverse("second_factor"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert "pas valable" in bad.content.decode()
    assert not TOTPDevice.objects.get(user=officer).confirmed
    good = client.post(reverse("second_factor") + "?next=/journal/", {"token": code(device)})
    assert good.status_code == 302 and good["Location"] == "/journal/"
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_an_enrolled_officer_confirms_at_each_sign_in(client_for, officer, otp_on):
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client = client_for(officer)
    assert client.get(reverse("core:home")).status_code == 302
    assert "Scannez" not in client.get(reverse("second_factor")).content.decode()


def test_lycee_staff_and_employers_are_not_asked(client_for, staff_a, employer_user, otp_on):
    assert client_for(staff_a).get(reverse("core:home")).status_code == 200
    assert client_for(employer_user).get(reverse("core:home")).status_code == 200


def test_a_malformed_code_or_a_foreign_next_url_is_handled(client_for, officer, otp_on):
    client = client_for(officer)
    client.get(enrolment_link_issue(actor=None, user=officer))
    assert "6 chiffres" in client.post(reverse("second_factor"), {"token": "12ab"}).content.decode()
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(reverse("second_factor") + "?next=https://evil.example/", {"token": code(device)})
    assert response["Location"] == "/"


def test_production_requires_the_second_factor_by_default():
    from django.conf import settings

    source = (settings.BASE_DIR / "config" / "settings" / "production.py").read_text()
    assert 'OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)' in source


def test_an_enrolment_link_works_for_its_account_only_and_once_replaced_no_more(client_for, officer, otp_on):
    from tests.factories import UserFactory

    other = UserFactory(username="agent.other", role="officer", schemes=["bts_fees"])
    link = enrolment_link_issue(actor=None, user=officer)
    # Another officer who got hold of the link cannot use it.
    response = client_for(other).get(link)
    assert response.status_code == 400 and "n'est pas valable" in response.content.decode()
    newer = enrolment_link_issue(actor=None, user=officer)
    client = client_for(officer)
    assert client.get(link).status_code == 400  # replaced by the newer link
    assert client.get(newer).status_code == 302
    assert client.get(reverse("second_factor") + "x/").status_code == 404
    assert client.get("/compte/double-authentification/lien/forged-token/").status_code == 400


def test_the_password_change_sits_behind_the_second_factor(client_for, officer, otp_on):
    response = client_for(officer).get(reverse("password_change"))
    assert response.status_code == 302 and "double-authentification" in response["Location"]


def test_an_administrator_issues_the_link_from_the_admin(client_for, admin_user, officer):
    response = client_for(admin_user).post(
        "/admin/core/user/", {"action": "issue_second_factor_link", "_selected_action": [officer.pk]}, follow=True
    )
    page = response.content.decode()
    assert "/compte/double-authentification/lien/" in page
    assert TOTPDevice.objects.filter(user=officer, confirmed=False).count() == 1
