"""The contract list: columns declare headers, sorting and export values; the HTML rows of a page
are written by `ContractTable.body_rows` in one pass (`core.tables.one_pass_rows`)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable, date_cell, one_pass_rows, td
from core.templatetags.bareme import masked

from .enums import ContractStatus
from .models import Contract

STATUS_BADGES = {
    ContractStatus.DRAFT: "secondary",
    ContractStatus.REGISTERED: "info",
    ContractStatus.ACTIVE: "success",
    ContractStatus.TERMINATED: "danger",
    ContractStatus.COMPLETED: "dark",
}


class ContractTable(BaseTable):
    """Columns with render_<name> / value_<name> (no TemplateColumn: TRAPS, hot list)."""

    reference = tables.Column(verbose_name=_("référence"))
    apprentice = tables.Column(verbose_name=_("apprenti"), order_by=("apprentice__last_name", "apprentice__first_name"))
    national_id = tables.Column(verbose_name=_("matricule"), accessor="apprentice__national_id", orderable=False)
    employer = tables.Column(verbose_name=_("employeur"), order_by=("employer__name",))
    school = tables.Column(verbose_name=_("lycée"), order_by=("school__name",))
    programme = tables.Column(
        verbose_name=_("métier ou formation"), accessor="pk", order_by=("trade__name", "formation__title")
    )
    start_date = tables.Column(verbose_name=_("début"))
    end_date = tables.Column(verbose_name=_("fin"))
    status = tables.Column(verbose_name=_("statut"))

    class Meta(BaseTable.Meta):
        model = Contract
        template_name = "apprenticeship/_contract_table.html"
        fields = (
            "reference",
            "apprentice",
            "national_id",
            "employer",
            "school",
            "programme",
            "start_date",
            "end_date",
            "status",
        )
        sequence = fields

    # -- HTML (one pass per page) ----------------------------------------------------------------

    def body_rows(self):
        """The `<tr>` of the current page, escaped by format_html."""
        detail = reverse("apprenticeship:contract_detail", args=[0])[:-2]  # ".../contrats/"
        statuses = {
            value: format_html('<span class="badge text-bg-{}">{}</span>', STATUS_BADGES[value], label)
            for value, label in ContractStatus.choices
        }

        def cells(c):
            return [
                format_html('<td><a href="{}{}/">{}</a></td>', detail, c.pk, c.reference),
                td(str(c.apprentice)),
                td(masked(c.apprentice.national_id)),
                td(c.employer.name),
                td(c.school.name),
                td(self.value_programme(c)),
                td(date_cell(c.start_date)),
                td(date_cell(c.end_date)),
                td(statuses.get(c.status, c.status)),
            ]

        return one_pass_rows((row.record for row in self.page.object_list), cells)

    # -- cells (export and any other rendering) ---------------------------------------------------

    def render_reference(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("apprenticeship:contract_detail", args=[record.pk]), value)

    def value_reference(self, value):
        return value  # exports carry the plain reference, not the link

    def render_national_id(self, value):
        return masked(value)

    def value_national_id(self, value):
        return masked(value)

    def render_employer(self, record):
        return record.employer.name

    def render_school(self, record):
        return record.school.name

    def render_programme(self, record):
        return self.value_programme(record)

    def value_programme(self, record):
        if record.trade_id:
            return f"{record.trade.name} ({record.trade.diploma})"
        return record.formation.title

    def render_start_date(self, value):
        return date_cell(value)

    def render_end_date(self, value):
        return date_cell(value)

    def render_status(self, record):
        badge = STATUS_BADGES.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', badge, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()
