import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable
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
    """Columns with render_<name> (no TemplateColumn: TRAPS, hot list)."""

    reference = tables.Column(verbose_name=_("référence"))
    apprentice = tables.Column(verbose_name=_("apprenti"), order_by=("apprentice__last_name", "apprentice__first_name"))
    national_id = tables.Column(verbose_name=_("matricule"), accessor="apprentice__national_id", orderable=False)
    employer = tables.Column(verbose_name=_("employeur"), order_by=("employer__name",))
    school = tables.Column(verbose_name=_("lycée"), order_by=("school__name",))
    programme = tables.Column(
        verbose_name=_("métier ou formation"), accessor="pk", order_by=("trade__name", "formation__title")
    )
    start_date = tables.DateColumn(verbose_name=_("début"), format="d/m/Y")
    end_date = tables.DateColumn(verbose_name=_("fin"), format="d/m/Y")
    status = tables.Column(verbose_name=_("statut"))

    class Meta(BaseTable.Meta):
        model = Contract
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

    def render_reference(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("apprenticeship:contract_detail", args=[record.pk]), value)

    def render_national_id(self, value):
        return masked(value)

    def value_national_id(self, value):
        return masked(value)

    def render_school(self, record):
        return record.school.name

    def render_programme(self, record):
        return str(record.programme)

    def value_programme(self, record):
        return str(record.programme)

    def render_status(self, value, record):
        badge = STATUS_BADGES.get(record.status, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', badge, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()
