"""Second factor (TOTP) pages: enrol an authenticator app once, then confirm a code at each sign-in.

Enrolment needs more than the password: an administrator issues a personal enrolment link (admin
action on the accounts, or `manage.py second_factor_link USERNAME` for the first administrator),
valid OTP_ENROL_LINK_MAX_AGE seconds and for one unconfirmed device. Without it, an officer whose
password leaked cannot enrol the attacker's phone: the page asks for the link and shows no secret."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Code à 6 chiffres"),
        regex=r"^[0-9]{6}$",
        error_messages={"invalid": gettext_lazy("Saisissez les 6 chiffres affichés par votre application.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


_LINK_SALT = "bareme.second-factor-enrolment"
_SESSION_KEY = "second_factor_enrol_device"


@transaction.atomic
def enrolment_link_issue(*, actor, user) -> str:
    """A new enrolment link for `user` (path only): a fresh unconfirmed device replaces any earlier
    one, so an older link stops working. Journaled."""
    from .enums import AuditAction
    from .services import audit_record

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="application", confirmed=False)
    audit_record(actor=actor, action=AuditAction.SECOND_FACTOR_LINK_ISSUE, obj=user, after={"device": device.pk})
    token = signing.dumps({"u": user.pk, "d": device.pk}, salt=_LINK_SALT)
    return reverse("second_factor_enrol", args=[token])


def _linked_device(request, token):
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=settings.OTP_ENROL_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != request.user.pk:
        return None
    return TOTPDevice.objects.filter(pk=data.get("d"), user=request.user, confirmed=False).first()


def second_factor_enrol(request, token):
    """The enrolment link: once checked, the second factor page shows this device's QR code."""
    device = _linked_device(request, token)
    if device is None:
        return render(request, "registration/second_factor.html", {"link_invalid": True, "no_device": True}, status=400)
    request.session[_SESSION_KEY] = device.pk
    return redirect("second_factor")


def second_factor(request):
    """Enrol (first time, after the link) or confirm (every sign-in) the TOTP code of an officer or administrator."""
    if not request.user.is_authenticated:
        return redirect("login")
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False, pk=request.session.get(_SESSION_KEY, 0)
        ).first()
    if device is None:
        return render(request, "registration/second_factor.html", {"no_device": True})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                request.session.pop(_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Double authentification confirmée."))
            return redirect(next_url)
        form.add_error("token", _("Ce code n'est pas valable. Vérifiez l'heure de votre téléphone et réessayez."))
    context = {"form": form, "enrol": not device.confirmed}
    if not device.confirmed:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/second_factor.html", context)
