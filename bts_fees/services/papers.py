"""The admission exam papers recorded (BTS-6), with their first marks (parsed in
`selectors.declarations`), from which the corrections are paid."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import User
from core.services import audit_record

from .. import permissions, rules
from ..enums import (
    AuditAction,
    BodyKind,
    PaperKind,
)
from ..models import (
    Declaration,
    ExamPaper,
)
from ..selectors.declarations import (
    parse_marks,
)
from ..selectors.line_rules import (
    CORRECTION_ACTS,
    INTERVIEW_ACT,
)
from ..selectors.quantities import (
    decimal_text,
)
from .base import declaration_lock, declaration_require_editable

# -- admission exam papers (BTS-6) ----------------------------------------------------------------


@transaction.atomic
def exam_paper_record(*, actor: User, declaration: Declaration, number: int, kind: str, first_marks) -> ExamPaper:
    """BTS-6: record (or correct) a paper of the admission exam with the candidates' first marks.

    The corrections paid for it follow from these marks (`rules.payable_corrections`): marks that
    would pay fewer corrections than those already declared for the paper are refused.
    """
    declaration = declaration_lock(declaration.pk)
    permissions.require_school(actor, declaration.body.school_id)
    declaration_require_editable(declaration)
    if declaration.body.kind != BodyKind.ADMISSION_COMMITTEE:
        raise ValidationError(_("Seule une déclaration de la commission d'admission comporte des épreuves."))
    papers = declaration.papers or rules.MAX_ADMISSION_PAPERS
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= papers:
        raise ValidationError(
            {
                "number": ngettext("L'examen compte %(n)s épreuve.", "L'examen compte %(n)s épreuves.", papers)
                % {"n": papers}
            }
        )
    if kind not in PaperKind.values:
        raise ValidationError({"kind": _("Choisissez la nature de l'épreuve.")})
    marks = parse_marks(first_marks)
    if declaration.candidates is not None and len(marks) > declaration.candidates:
        raise ValidationError(
            {
                "first_marks": _("Une note par candidat : %(n)s notes saisies pour %(c)s candidats.")
                % {"n": len(marks), "c": declaration.candidates}
            }
        )
    paper = ExamPaper.objects.filter(declaration=declaration, number=number).first()
    before = None
    if paper is None:
        paper = ExamPaper(declaration=declaration, number=number)
    else:
        before = {"kind": paper.kind, "first_marks": list(paper.first_marks)}
    paper.kind, paper.first_marks = kind, marks
    if paper.pk:
        corrections = sum(
            paper.lines.filter(act__code__in=CORRECTION_ACTS).values_list("quantity", flat=True), Decimal(0)
        )
        if corrections > paper.payable_corrections:
            raise ValidationError(
                {
                    "first_marks": _(
                        "Ces notes donnent %(payable)s corrections payables, mais %(done)s sont déjà déclarées pour "
                        "cette épreuve : retirez d'abord les lignes en trop."
                    )
                    % {"payable": paper.payable_corrections, "done": decimal_text(corrections)}
                }
            )
        if kind != PaperKind.INTERVIEW and paper.lines.filter(act__code=INTERVIEW_ACT).exists():
            raise ValidationError({"kind": _("Des examinateurs sont déjà déclarés pour l'entretien de cette épreuve.")})
    paper.full_clean()
    paper.save()
    audit_record(
        actor=actor,
        action=AuditAction.EXAM_PAPER_RECORD,
        obj=declaration,
        before=before,
        after={"paper": number, "kind": kind, "first_marks": marks, "payable_corrections": paper.payable_corrections},
    )
    return paper
