"""How a view of any app answers: who may come in, how a service's refusal reaches the page, and
the one way to turn a form into a use case (bind, validate, call the service, message, redirect).

A view of Barème reads the same in every app:

    form = ContractForm(request.POST or None, user=request.user)
    done = form_submit(request, form, lambda data: services.contract_register(actor=request.user, **data),
                       success=_("Contrat enregistré."), then=lambda contract: contract_url(contract))
    return done or render(request, "form.html", {"form": form, ...})

`form_submit` answers the redirect when the service has done its work, and None when the form or the
service refused: the errors are then on the form (at the field the service named), and the view
renders the page again. `run_command` is the same for a button without a form (activate, issue,
notify): the refusal becomes an error message on the page the user comes back to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise

from .selectors import is_employer, is_lycee_staff, is_officer

__all__ = ["apply_errors", "form_submit", "has_role", "require_role", "run_command"]


def has_role(user, *, officer: bool | str = False, staff: bool = False, employer: bool = False) -> bool:
    """Whether the user holds one of the roles allowed. `officer` is the scheme whose officers may
    come in (True: officers of any scheme); administrators count as officers of every scheme.

    A role is never enough on its own: the app's selectors still scope each object to the user."""
    return bool(
        (officer and is_officer(user, None if officer is True else officer))
        or (staff and is_lycee_staff(user))
        or (employer and is_employer(user))
    )


def require_role(user, *, officer: bool | str = False, staff: bool = False, employer: bool = False) -> None:
    """Refuse (403) a user who holds none of the roles allowed."""
    if not has_role(user, officer=officer, staff=staff, employer=employer):
        raise PermissionDenied


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field when the form has that field,
    on top of the form otherwise (a rule about the whole case, or a field the form does not show)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _resolve(value, result):
    """A message or a destination given as such, or computed from what the service returned."""
    if callable(value) and not isinstance(value, Promise):
        return value(result)
    return value


def form_submit(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str] | None,
    then: Any,
) -> HttpResponse | None:
    """Validate the bound form, call the service with its cleaned data, answer.

    `call(cleaned_data)` runs the use case and returns what it made; `success` (a message, or a
    function of the result) is shown, and the user is sent to `then` (anything `redirect` takes,
    or a function of the result; None when `then` is a confirmation page, which says it all).
    None when the form is unbound, invalid, or refused by the
    service: its errors are then on the form, and the caller renders the page again."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    if success is not None:
        messages.success(request, _resolve(success, result))
    return redirect(_resolve(then, result))


def run_command(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success: str | Callable[[Any], str] | None,
    then: Any,
    back: Any = None,
) -> HttpResponse:
    """Run a use case that takes no form (a button), then send the user on.

    Done: `success` is shown (unless None: a confirmation page says it) and the user goes to `then`
    (or a function of the result). Refused: each of the service's messages is shown as an error and
    the user goes `back` (`then` when not given, and never computed from a result there is not)."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back if back is not None else then)
    if success is not None:
        messages.success(request, _resolve(success, result))
    return redirect(_resolve(then, result))
