"""Lists of the bts_fees app (Column + render_ methods: no template per cell).

The declaration list is the page the app serves most: its HTML rows are written by
`DeclarationTable.body_rows` in one pass (`core.tables.one_pass_rows`). The columns still declare the
headers, the sorting and the export values.
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable, MoneyColumn, date_cell, one_pass_rows, td
from core.templatetags.bareme import eur

from .enums import BodyKind, DeclarationStatus
from .models import Body, Declaration, LecturerContract, Person, Programme

STATUS_BADGE = {
    "draft": "secondary",
    "submitted": "primary",
    "validated": "success",
    "rejected": "danger",
    "reopened": "warning",
}


# What the declaration list reads (no column of a joined row is read for nothing).
DECLARATION_LIST_FIELDS = (
    "period_label",
    "period_start",
    "status",
    "total_amount",
    "submitted_at",
    "body__kind",
    "body__school__name",
    "body__programme__code",
    "body__academic_year__label",
)


class DeclarationTable(BaseTable):
    select = tables.Column(empty_values=(), orderable=False, verbose_name="", exclude_from_export=True)
    reference = tables.Column(accessor="pk", verbose_name=_("Référence"))
    school = tables.Column(accessor="body__school__name", verbose_name=_("Lycée"))
    programme = tables.Column(accessor="body__programme__code", verbose_name=_("Programme"), default="—")
    kind = tables.Column(accessor="body__kind", verbose_name=_("Instance"))
    year = tables.Column(accessor="body__academic_year__label", verbose_name=_("Année d'études"))
    period_label = tables.Column(verbose_name=_("Période"))
    status = tables.Column(verbose_name=_("Statut"))
    total_amount = MoneyColumn(verbose_name=_("Montant"), attrs={"td": {"class": "text-end"}})
    submitted_at = tables.Column(verbose_name=_("Soumise le"), default="—")

    class Meta(BaseTable.Meta):
        model = Declaration
        template_name = "bts_fees/_declaration_table.html"
        fields = ()
        sequence = (
            "select",
            "reference",
            "school",
            "programme",
            "kind",
            "year",
            "period_label",
            "status",
            "total_amount",
            "submitted_at",
        )

    def __init__(self, *args, selectable=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not selectable:
            self.columns.hide("select")

    # -- HTML (one pass per page) ----------------------------------------------------------------

    def body_rows(self):
        """The `<tr>` of the current page, every part escaped by format_html."""
        detail = reverse("bts_fees:declaration_detail", args=[0])[:-2]  # ".../declarations/"
        statuses = {value: self.render_status(Declaration(status=value)) for value in DeclarationStatus.values}
        kinds = dict(BodyKind.choices)
        names = [column.name for column in self.columns]
        rows = []
        for row in self.page.object_list:
            d = row.record
            body = d.body
            cells = {
                "select": self.render_select(d),
                "reference": format_html('<a href="{}{}/">{}</a>', detail, d.pk, d.reference),
                "school": body.school.name,
                "programme": body.programme.code if body.programme_id else "—",
                "kind": kinds.get(body.kind, body.kind),
                "year": body.academic_year.label,
                "period_label": d.period_label,
                "status": statuses.get(d.status, d.status),
                "total_amount": eur(d.total_amount),
                "submitted_at": date_cell(d.submitted_at, "—"),
            }
            tds = [td(cells[name], "text-end") if name == "total_amount" else td(cells[name]) for name in names]
            rows.append(tds)
        return one_pass_rows(rows, lambda tds: tds)

    # -- cells (export and any other rendering) ---------------------------------------------------

    def render_select(self, record):
        if record.status != DeclarationStatus.SUBMITTED:
            return ""
        return format_html(
            '<input class="form-check-input" type="checkbox" name="ids" value="{}" form="bulk-validate" aria-label="{}">',
            record.pk,
            record.reference,
        )

    def render_reference(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("bts_fees:declaration_detail", args=[record.pk]), record.reference
        )

    def value_reference(self, record):
        return record.reference

    def render_kind(self, record):
        return record.body.get_kind_display()

    def value_kind(self, record):
        return record.body.get_kind_display()

    def render_status(self, record):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_BADGE.get(record.status, "secondary"),
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_submitted_at(self, value):
        return date_cell(value, "—")

    def value_submitted_at(self, value):
        return date_cell(value)


class ProgrammeTable(BaseTable):
    code = tables.Column(verbose_name=_("Code"))
    title = tables.Column(verbose_name=_("Intitulé"))
    school = tables.Column(accessor="school__name", verbose_name=_("Lycée"))
    accredited_from = tables.DateColumn(verbose_name=_("Accrédité du"), format="d/m/Y", default="—")
    accredited_until = tables.DateColumn(verbose_name=_("au"), format="d/m/Y", default="—")

    class Meta(BaseTable.Meta):
        model = Programme
        fields = ()
        sequence = ("code", "title", "school", "accredited_from", "accredited_until")


class PersonTable(BaseTable):
    name = tables.Column(accessor="last_name", verbose_name=_("Nom"), order_by=("last_name", "first_name"))
    school = tables.Column(accessor="school__name", verbose_name=_("Lycée"))
    email = tables.Column(verbose_name=_("Courriel"), default="—")
    clq_level = tables.Column(verbose_name=_("Niveau CLQ"), default="—")
    regulated_level = tables.Column(verbose_name=_("Autorisation d'exercer"), default="—")
    documents = tables.Column(empty_values=(), orderable=False, verbose_name=_("Pièces au dossier"))

    class Meta(BaseTable.Meta):
        model = Person
        fields = ()
        sequence = ("name", "school", "email", "clq_level", "regulated_level", "documents")

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', reverse("bts_fees:person_detail", args=[record.pk]), str(record))

    def value_name(self, record):
        return str(record)

    def render_regulated_level(self, record):
        return record.get_regulated_level_display()

    def render_documents(self, record):
        return _("complètes") if record.documents_complete else _("incomplètes")


class BodyTable(BaseTable):
    name = tables.Column(accessor="kind", verbose_name=_("Instance"))
    programme = tables.Column(accessor="programme__code", verbose_name=_("Programme"), default="—")
    school = tables.Column(accessor="school__name", verbose_name=_("Lycée"))
    year = tables.Column(accessor="academic_year__label", verbose_name=_("Année d'études"))
    deadline = tables.Column(empty_values=(), orderable=False, verbose_name=_("Propositions dues le"))
    proposals_sent_on = tables.DateColumn(verbose_name=_("Envoyées le"), format="d/m/Y", default="—")

    class Meta(BaseTable.Meta):
        model = Body
        fields = ()
        sequence = ("name", "programme", "school", "year", "deadline", "proposals_sent_on")

    def render_name(self, record):
        label = record.get_kind_display() + (f" — {record.label}" if record.label else "")
        return format_html('<a href="{}">{}</a>', reverse("bts_fees:body_detail", args=[record.pk]), label)

    def value_name(self, record):
        return record.get_kind_display()

    def render_deadline(self, record):
        deadline = record.proposal_deadline
        return deadline.strftime("%d/%m/%Y") if deadline else "—"


class ContractTable(BaseTable):
    person = tables.Column(accessor="person__last_name", verbose_name=_("Personne"))
    programme = tables.Column(accessor="programme__code", verbose_name=_("Programme"))
    school = tables.Column(accessor="programme__school__name", verbose_name=_("Lycée"))
    year = tables.Column(accessor="academic_year__label", verbose_name=_("Année d'études"))
    category = tables.Column(verbose_name=_("Catégorie"))
    start_date = tables.DateColumn(verbose_name=_("Début"), format="d/m/Y")
    lessons_count = tables.Column(verbose_name=_("Leçons"), attrs={"td": {"class": "text-end"}})

    class Meta(BaseTable.Meta):
        model = LecturerContract
        fields = ()
        sequence = ("person", "programme", "school", "year", "category", "start_date", "lessons_count")

    def render_person(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("bts_fees:contract_detail", args=[record.pk]), str(record.person)
        )

    def value_person(self, record):
        return str(record.person)

    def render_category(self, record):
        return record.get_category_display()


class SummaryTable(BaseTable):
    school = tables.Column(verbose_name=_("Lycée"))
    programme = tables.Column(verbose_name=_("Programme"))
    declarations = tables.Column(verbose_name=_("Déclarations validées"), attrs={"td": {"class": "text-end"}})
    declarations_amount = MoneyColumn(verbose_name=_("Jurys et commissions"), attrs={"td": {"class": "text-end"}})
    lessons = tables.Column(verbose_name=_("Leçons"), attrs={"td": {"class": "text-end"}})
    lessons_amount = MoneyColumn(verbose_name=_("Intervenants"), attrs={"td": {"class": "text-end"}})
    total_amount = MoneyColumn(verbose_name=_("Total"), attrs={"td": {"class": "text-end fw-semibold"}})
