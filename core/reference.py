"""Reference data entered by officers in the application (not the admin), previewed before saving.

A *kind* of reference data (an index, an SSM, a trade rate…) says who may enter it (officers of
its schemes), which form takes it, what its effect would be (`preview`: nothing is saved) and how
it is saved (`save`: through `core.services.effective_dated_save`, which fits the period into its
series and writes the journal). The effect is computed by the apps that use the value, from
the series as it would be once the new period is fitted in (`simulated_periods`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import Scheme
from .forms import DATE_INPUT_FORMATS, DateInput
from .models import EffectiveDated, LuxIndex, SocialMinimumWage
from .rules import Period
from .selectors import is_officer
from .services import effective_dated_save

# The dates an officer may type for a period (anything else is a typing error, not a period).
DATE_MIN, DATE_MAX = date(1990, 1, 1), date(2100, 12, 31)


@dataclass
class Impact:
    """One section of the preview: what an app would compute differently once the value is saved."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


def _fitted(instance: EffectiveDated) -> tuple[list[EffectiveDated], date | None, EffectiveDated | None]:
    """The other periods of the series, and how `instance` fits in: (its end, the period to end
    the day before). The same outcome as `EffectiveDated.fit`, from one query kept on the
    instance, since the preview asks for it once per app that uses the value."""
    cached = getattr(instance, "_reference_fit", None)
    if cached is not None:
        return cached
    rows = list(instance.series())
    until = instance.valid_until
    if until is None:
        following = [row.valid_from for row in rows if row.valid_from > instance.valid_from]
        if following:
            until = min(following) - timedelta(days=1)
    earlier = [row for row in rows if row.valid_from < instance.valid_from]
    previous = max(earlier, key=lambda row: row.valid_from) if earlier else None
    if previous is not None and not (previous.valid_until is None or previous.valid_until >= instance.valid_from):
        previous = None
    instance._reference_fit = (rows, until, previous)
    return instance._reference_fit


def simulated_periods(instance: EffectiveDated, value: Callable[[EffectiveDated], object]) -> list[Period]:
    """The periods of `instance`'s series as they would be once `instance` is saved (CORE-2).

    Mirrors `effective_dated_save`: the period the new one starts within ends the day before, and
    an open end stops the day before the next period.
    """
    rows, until, to_end = _fitted(instance)
    periods = []
    for row in rows:
        row_until = row.valid_until
        if to_end is not None and row.pk == to_end.pk:
            row_until = instance.valid_from - timedelta(days=1)
        periods.append((row.valid_from, row_until, value(row)))
    periods.append((instance.valid_from, until, value(instance)))
    return periods


def fit_notes(instance: EffectiveDated) -> list[str]:
    """What saving would adjust in the series, in the words `effective_dated_save` will use."""
    _rows, until, to_end = _fitted(instance)
    notes = []
    if to_end is not None:
        notes.append(
            _("La période commencée le %(start)s prendra fin le %(end)s.")
            % {
                "start": to_end.valid_from.strftime("%d/%m/%Y"),
                "end": (instance.valid_from - timedelta(days=1)).strftime("%d/%m/%Y"),
            }
        )
    if until != instance.valid_until and until is not None:
        notes.append(
            _("Cette période prendra fin le %(end)s, la veille de la période suivante.")
            % {"end": until.strftime("%d/%m/%Y")}
        )
    return notes


class PeriodForm(forms.ModelForm):
    """A new period of an effective-dated series: its value, its dates and its source.

    The model's `clean()` refuses an overlap that fitting cannot resolve, with the dates of the
    other period; the form adds bounds on the dates so that a typing error reads as one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("valid_from", "valid_until"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS
            self.fields[name].widget = DateInput()
            self.fields[name].error_messages["invalid"] = _("Saisissez une date valide (jj/mm/aaaa).")
        self.fields["valid_from"].label = _("Applicable à partir du")
        self.fields["valid_until"].label = _("Applicable jusqu'au (facultatif)")
        self.fields["valid_until"].help_text = _("Laissez vide : la période court jusqu'à la suivante.")
        for name, formfield in self.fields.items():
            if isinstance(formfield, forms.DecimalField):
                # "980,00" as officers type it; a text field, since a number field refuses the comma.
                formfield.localize = True
                formfield.widget = forms.TextInput(attrs={"inputmode": "decimal"})
                formfield.widget.is_localized = True
                formfield.error_messages["invalid"] = _("Saisissez un nombre (par exemple 992,24).")
            elif name in ("trade", "formation", "act"):
                formfield.error_messages["invalid_choice"] = _("Choisissez une valeur de la liste.")
        self.fields["source"].label = _("Source (texte officiel, publication et date)")
        self.fields["source"].error_messages["required"] = _("Indiquez la source de cette valeur.")
        self.fields["source"].help_text = _("Par exemple : « STATEC — cote d'application au 1er mai 2025 ».")

    def _clean_bounded(self, name):
        value = self.cleaned_data.get(name)
        if value and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(
                _("Saisissez une date comprise entre le %(a)s et le %(b)s.")
                % {"a": DATE_MIN.strftime("%d/%m/%Y"), "b": DATE_MAX.strftime("%d/%m/%Y")}
            )
        return value

    def clean_valid_from(self):
        return self._clean_bounded("valid_from")

    def clean_valid_until(self):
        return self._clean_bounded("valid_until")

    def clean_source(self):
        source = (self.cleaned_data.get("source") or "").strip()
        if not source:
            raise forms.ValidationError(_("Indiquez la source de cette valeur."))
        return source


def period_form(model, value_fields: tuple[str, ...]) -> type[PeriodForm]:
    return forms.modelform_factory(
        model, form=PeriodForm, fields=(*value_fields, "valid_from", "valid_until", "source")
    )


class ReferenceKind:
    """A kind of effective-dated reference data entered by officers of `schemes`.

    `impacts` are dotted paths of functions `(user, instance) -> list[Impact]`, in the apps that
    use the value; each function shows only what the user's scope covers.
    """

    def __init__(self, *, key, label, help_text, model, value_fields, schemes, impacts=()):
        self.key, self.label, self.help_text = key, label, help_text
        self.model, self.value_fields, self.schemes, self.impacts = model, value_fields, schemes, impacts
        self.form_class = period_form(model, value_fields)

    def allowed(self, user) -> bool:
        return any(is_officer(user, scheme) for scheme in self.schemes)

    def form(self, user, data=None, initial=None):
        return self.form_class(data, initial=initial)

    def preview(self, user, form) -> tuple[list[str], list[Impact]]:
        """What saving would do: the adjustments of the series and the effect on the apps'
        figures. Nothing is written."""
        instance = form.instance
        impacts = []
        for path in self.impacts:
            module, name = path.rsplit(".", 1)
            impacts.extend(getattr(import_module(module), name)(user, instance))
        return fit_notes(instance), impacts

    def save(self, user, form) -> list[str]:
        return reference_period_save(actor=user, kind=self, instance=form.instance)

    def summary(self, form) -> list[tuple[str, object]]:
        """(label, value) of what is about to be saved, for the recap."""
        return [(form.fields[name].label, form.cleaned_data.get(name)) for name in form.fields]


def reference_period_save(*, actor, kind: ReferenceKind, instance: EffectiveDated) -> list[str]:
    """Save a new period entered by an officer of the kind's schemes (journal and fitting by
    `effective_dated_save`)."""
    if not kind.allowed(actor):
        raise PermissionDenied
    return effective_dated_save(actor=actor, instance=instance)


CORE_KINDS = [
    ReferenceKind(
        key="indice",
        label=gettext_lazy("Nombre indice (échelle mobile des salaires)"),
        help_text=gettext_lazy("Cote d'application publiée par le STATEC, avec sa date d'application."),
        model=LuxIndex,
        value_fields=("value",),
        schemes=(Scheme.APPRENTICESHIP, Scheme.BTS_FEES),
        impacts=("apprenticeship.impact.index_impacts", "bts_fees.impact.index_impacts"),
    ),
    ReferenceKind(
        key="ssm",
        label=gettext_lazy("Salaire social minimum non qualifié (indice 100)"),
        help_text=gettext_lazy("Montant mensuel au nombre indice 100, revalorisé par la loi."),
        model=SocialMinimumWage,
        value_fields=("amount_at_100",),
        schemes=(Scheme.APPRENTICESHIP,),
        impacts=("apprenticeship.impact.ssm_impacts",),
    ),
]

DOMAIN_MODULES = ("apprenticeship.reference", "bts_fees.reference", "lycee_aid.reference")


def kinds() -> list[ReferenceKind]:
    found = list(CORE_KINDS)
    for module in DOMAIN_MODULES:
        found.extend(import_module(module).KINDS)
    return found


def kinds_for(user) -> list[ReferenceKind]:
    return [kind for kind in kinds() if kind.allowed(user)]


def kind_get(user, key: str) -> ReferenceKind:
    """The kind named `key` if the user may enter it: 404 when unknown, 403 when out of scope."""
    for kind in kinds():
        if kind.key == key:
            if not kind.allowed(user):
                raise PermissionDenied
            return kind
    raise Http404(_("Type de donnée de référence inconnu."))
