"""The account page "Accès à l'API": the user's keys, a new one (shown once), revoking one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom de la clé (le logiciel qui l'utilise)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("logiciel de paie")}),
    )


def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.api_token_create(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            created = {"token": token, "key": key}
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": selectors.api_tokens_for(request.user),
        "crumbs": [(_("Accès à l'API"), None)],
    }
    return render(request, "api/token_list.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request, pk):
    token = selectors.api_token_get(request.user, pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("La clé « %(n)s » est révoquée.") % {"n": token.name})
    return redirect("api_tokens")
