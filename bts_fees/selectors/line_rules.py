"""The rules of seed 004 a declaration line keeps, checked when it is added and again at
submission: the coordinator's acts, the programme's accreditation, acts paid once, exam papers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import rules
from ..enums import (
    BodyKind,
    CurriculumPhase,
    MemberRole,
    PaidOnce,
    PaperKind,
)
from ..models import (
    Act,
    Appointment,
    Body,
    Declaration,
    DeclarationLine,
    ExamPaper,
)
from .quantities import (
    decimal_text,
)

# -- rules of seed 004 that a line must keep (checked when added and again at submission) ------

CORRECTION_ACTS = ("ADM_CORRECTION_2H", "ADM_CORRECTION_3H", "ADM_CORRECTION_OVER_3H")
INTERVIEW_ACT = "ADM_ORAL"
PAPER_ACTS = (*CORRECTION_ACTS, INTERVIEW_ACT)


def coordinator_error(body: Body, appointment: Appointment) -> str:
    """Seed 004, I.1: the coordinator is paid as a curriculum-group member only for accreditation work."""
    if (
        body.kind == BodyKind.CURRICULUM_GROUP
        and appointment.role == MemberRole.COORDINATOR
        and not rules.coordinator_paid_in_phase(body.phase)
    ):
        return _(
            "Le coordinateur n'est indemnisé comme membre du groupe curriculaire que pour les travaux "
            "d'accréditation initiale et de réaccréditation, jamais pendant le fonctionnement du programme."
        )
    return ""


def accreditation_error(body: Body, act_date: date) -> str:
    """Seed 004, I.2 b: accreditation work within 24 months of the notification of admissibility."""
    if body.kind != BodyKind.CURRICULUM_GROUP or body.phase != CurriculumPhase.ACCREDITATION:
        return ""
    notified = body.programme.admissibility_notified_on if body.programme_id else None
    if notified is None:
        return _(
            "Indiquez d'abord la date de notification de la recevabilité du programme : les travaux "
            "d'accréditation sont limités à 24 mois à compter de cette date."
        )
    end = rules.accreditation_work_end(notified)
    if not notified <= act_date <= end:
        return _(
            "Les travaux d'accréditation sont limités à 24 mois à compter de la notification de la "
            "recevabilité : du %(start)s au %(end)s."
        ) % {"start": notified.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    return ""


def paid_once_error(*, declaration: Declaration, appointment: Appointment, act: Act) -> str:
    """Acts paid once (seed 004): the admission committee's final deliberation once a year per member,
    the exam board's deliberation once per session; never again in another declaration of the body."""
    if not act.paid_once:
        return ""
    same = DeclarationLine.objects.filter(appointment=appointment, act=act).select_related("declaration")
    return _paid_once_message(act, declaration, list(same.order_by("declaration_id", "pk")))


def _paid_once_message(act: Act, declaration: Declaration, others: list[DeclarationLine]) -> str:
    """The refusal when one of `others` (lines of the same member and act) already pays it."""
    if act.paid_once == PaidOnce.SESSION:  # the sessions whose periods overlap this one
        others = [
            o
            for o in others
            if o.declaration.period_start <= declaration.period_end
            and o.declaration.period_end >= declaration.period_start
        ]
    if not others:
        return ""
    other = others[0]
    if other.declaration_id == declaration.pk:
        return _("Cette indemnité est unique : elle figure déjà pour ce membre dans cette déclaration.")
    values = {"ref": other.declaration.reference, "period": other.declaration.period_label}
    if act.paid_once == PaidOnce.ACADEMIC_YEAR:
        return (
            _(
                "Cette indemnité est payée une seule fois par année d'études et par membre : elle figure déjà "
                "pour ce membre dans la déclaration %(ref)s (%(period)s)."
            )
            % values
        )
    return (
        _(
            "Cette indemnité est payée une seule fois par session et par membre : elle figure déjà pour ce "
            "membre dans la déclaration %(ref)s (%(period)s), dont la période recouvre celle-ci."
        )
        % values
    )


def paid_once_problems(declaration: Declaration, lines: list[DeclarationLine]) -> dict[int, str]:
    """Line id → refusal, for the lines of `declaration` paid twice (one query for all of them)."""
    once = [line for line in lines if line.act.paid_once]
    if not once:
        return {}
    related = defaultdict(list)
    for other in (
        DeclarationLine.objects.filter(
            appointment_id__in={line.appointment_id for line in once}, act_id__in={line.act_id for line in once}
        )
        .select_related("declaration")
        .order_by("declaration_id", "pk")
    ):
        related[(other.appointment_id, other.act_id)].append(other)
    problems = {}
    for line in once:
        others = [o for o in related[(line.appointment_id, line.act_id)] if o.pk != line.pk]
        message = _paid_once_message(line.act, declaration, others)
        if message:
            problems[line.pk] = message
    return problems


def paper_check(*, declaration: Declaration, appointment: Appointment, act: Act, paper, quantity: Decimal):
    """BTS-6: corrections come from the paper's first marks; an interview is two examiners, once."""
    if act.code not in PAPER_ACTS:
        if paper is not None:
            raise ValidationError({"paper": _("Seules les corrections et les entretiens se rapportent à une épreuve.")})
        return None
    if paper is None:
        raise ValidationError({"paper": _("Choisissez l'épreuve à laquelle cet acte se rapporte (BTS-6).")})
    paper = ExamPaper.objects.filter(pk=paper.pk, declaration=declaration).first()
    if paper is None:
        raise ValidationError({"paper": _("Cette épreuve n'appartient pas à cette déclaration.")})
    if act.code == INTERVIEW_ACT:
        if paper.kind != PaperKind.INTERVIEW:
            raise ValidationError(
                {
                    "paper": _(
                        "L'épreuve n° %(n)s est écrite : la présence à un entretien se déclare sur une épreuve "
                        "remplacée par un entretien."
                    )
                    % {"n": paper.number}
                }
            )
        examiners = set(paper.lines.filter(act__code=INTERVIEW_ACT).values_list("appointment_id", flat=True))
        if appointment.pk in examiners:
            raise ValidationError(
                {
                    "appointment": _(
                        "Cet examinateur est déjà déclaré pour l'entretien de l'épreuve n° %(n)s : un entretien "
                        "se déclare une fois par examinateur."
                    )
                    % {"n": paper.number}
                }
            )
        if len(examiners) >= rules.INTERVIEW_EXAMINERS:
            raise ValidationError(
                {
                    "appointment": _(
                        "L'entretien qui remplace l'épreuve n° %(n)s se tient devant deux examinateurs, déjà "
                        "déclarés (BTS-6)."
                    )
                    % {"n": paper.number}
                }
            )
        return paper
    if paper.kind != PaperKind.WRITTEN:
        raise ValidationError(
            {
                "paper": _("L'épreuve n° %(n)s est remplacée par un entretien : elle n'a pas de correction écrite.")
                % {"n": paper.number}
            }
        )
    if not paper.first_marks:
        raise ValidationError(
            {
                "paper": _(
                    "Enregistrez d'abord les notes de première correction de l'épreuve n° %(n)s : les corrections "
                    "payées en découlent (BTS-6)."
                )
                % {"n": paper.number}
            }
        )
    corrections = paper.lines.filter(act__code__in=CORRECTION_ACTS)
    done = sum(corrections.values_list("quantity", flat=True), Decimal(0))
    payable = paper.payable_corrections
    if done + quantity > payable:
        raise ValidationError(
            {
                "quantity": _(
                    "Épreuve n° %(n)s : %(payable)s au plus pour %(copies)s (une par copie, et une deuxième pour "
                    "chaque note de 8,5 à 9,9 ; BTS-6). Déjà déclaré : %(done)s ; il reste %(left)s."
                )
                % {
                    "n": paper.number,
                    "payable": ngettext("%(k)s correction", "%(k)s corrections", payable) % {"k": payable},
                    "copies": ngettext("%(k)s copie", "%(k)s copies", len(paper.first_marks))
                    % {"k": len(paper.first_marks)},
                    "done": decimal_text(done),
                    "left": decimal_text(max(payable - done, Decimal(0))),
                }
            }
        )
    mine = sum(corrections.filter(appointment=appointment).values_list("quantity", flat=True), Decimal(0))
    if mine + quantity > len(paper.first_marks):
        raise ValidationError(
            {
                "quantity": _(
                    "Un correcteur corrige chaque copie une fois au plus : %(copies)s pour l'épreuve n° %(n)s, "
                    "dont %(mine)s déjà déclarées pour ce correcteur."
                )
                % {
                    "copies": ngettext("%(k)s copie", "%(k)s copies", len(paper.first_marks))
                    % {"k": len(paper.first_marks)},
                    "n": paper.number,
                    "mine": decimal_text(mine),
                }
            }
        )
    return paper
