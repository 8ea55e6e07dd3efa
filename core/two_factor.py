"""Second factor (TOTP) pages: enrol an authenticator app once, then confirm a code at each sign-in."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
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


def second_factor(request):
    """Enrol (first time) or confirm (every sign-in) the TOTP code of an officer or administrator."""
    if not request.user.is_authenticated:
        return redirect("login")
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    device = TOTPDevice.objects.filter(user=request.user).order_by("-confirmed").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="application", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Double authentification confirmée."))
            return redirect(next_url)
        form.add_error("token", _("Ce code n'est pas valable. Vérifiez l'heure de votre téléphone et réessayez."))
    context = {"form": form, "enrol": not device.confirmed}
    if not device.confirmed:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/second_factor.html", context)
