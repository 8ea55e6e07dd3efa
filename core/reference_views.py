"""Officers enter reference data in the application: a form, a preview of its effect, a confirmation.

Nothing is saved before the officer confirms on the preview page; the confirmation validates
the same data again (another officer may have entered a period meanwhile).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import reference


def _crumbs(kind=None):
    crumbs = [(_("Barèmes en vigueur"), reverse("core:reference_rates"))]
    if kind is None:
        return [*crumbs, (_("Saisir une donnée de référence"), None)]
    return [*crumbs, (_("Saisir une donnée de référence"), reverse("core:reference_entry")), (kind.label, None)]


def reference_entry(request):
    """The kinds of reference data this officer may enter (those of their schemes)."""
    kinds = reference.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    return render(request, "core/reference/entry_list.html", {"kinds": kinds, "crumbs": _crumbs()})


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def reference_entry_kind(request, key):
    """GET: the form. POST step=preview: the recap and the effect, nothing saved. POST
    step=confirm: saved. POST step=edit: back to the form with what was typed."""
    kind = reference.kind_get(request.user, key)
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "edit":
        form = kind.form(request.user, initial=request.POST.dict())
    else:
        form = kind.form(request.user, data=request.POST if step in ("preview", "confirm") else None)
    context = {"kind": kind, "form": form, "crumbs": _crumbs(kind)}
    if step in ("preview", "confirm") and form.is_valid():
        if step == "confirm":
            try:
                notes = kind.save(request.user, form)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("La donnée de référence est enregistrée : %(k)s.") % {"k": kind.label})
                for note in notes:
                    messages.info(request, note)
                return redirect("core:reference_entry")
        else:
            notes, impacts = kind.preview(request.user, form)
            context.update(notes=notes, impacts=impacts, summary=kind.summary(form))
            return render(request, "core/reference/entry_preview.html", context)
    return render(request, "core/reference/entry_form.html", context)
