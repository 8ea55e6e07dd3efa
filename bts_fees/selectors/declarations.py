"""A declaration as read and checked, changing nothing: what stops its submission (BTS-3, BTS-10,
the rules of seed 004), the composition of its body (BTS-3), its attendance sheet recognised by its
content, the first marks of an exam paper parsed (BTS-6)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.uploads import UploadRefused, check_size

from .. import rules
from ..enums import BodyKind, MemberRole
from ..models import Body, Declaration, Person
from .line_rules import (
    accreditation_error,
    coordinator_error,
    paid_once_problems,
)


def body_kind_is_thesis(kind: str) -> bool:
    return kind == BodyKind.THESIS_COMMITTEE


# Bodies whose complete composition is a condition of their sitting (seed 004, I.6 and I.8): a
# declaration of theirs is submitted only when the body is complete.
COMPLETE_TO_SIT = (BodyKind.THESIS_COMMITTEE, BodyKind.LITIGATION_COMMITTEE)


def composition_problems(body: Body, *, complete: bool, extra_role: str = "") -> list[str]:
    """BTS-3 breaches of a body's appointments (with one more member of `extra_role`, when given)."""
    appointments = list(body.appointments.select_related("person"))
    counts = Counter(a.role for a in appointments)
    if extra_role:
        counts[extra_role] += 1
    promoter_teaches = any(a.role == MemberRole.PROMOTER and a.teaches_in_programme for a in appointments)
    breaches = rules.composition_breaches(body.kind, counts, complete=complete, promoter_teaches=promoter_teaches)
    messages = composition_messages(body.kind, breaches)
    if complete and body.kind == BodyKind.LITIGATION_COMMITTEE:
        messages += [
            director_message(a.person) for a in appointments if a.role == MemberRole.DIRECTION and a.person.is_director
        ]
    return messages


def director_message(person: Person) -> str:
    return _(
        "%(p)s est le directeur du lycée : la direction est représentée à la commission des litiges par un autre "
        "de ses membres (BTS-3)."
    ) % {"p": person}


def composition_messages(kind: str, breaches) -> list[str]:
    messages = []
    for breach in breaches:
        role = MemberRole(breach.role).label if breach.role in MemberRole.values else ""
        if breach.code == "role_not_allowed":
            messages.append(_("La fonction « %(role)s » n'existe pas dans cette instance.") % {"role": role})
        elif breach.code == "too_many" and breach.role == "staff_seats":
            messages.append(
                _("La commission des litiges compte %(n)s membres du personnel au plus.") % {"n": breach.limit}
            )
        elif breach.role == "staff_seats":
            messages.append(
                _(
                    "La commission des litiges compte %(n)s membres du personnel du lycée (BTS-3) ; elle en a %(actual)s."
                )
                % {"n": breach.limit, "actual": breach.actual}
            )
        elif breach.code == "too_few" and body_kind_is_thesis(kind) and breach.role == MemberRole.TEACHER:
            messages.append(
                _(
                    "La commission pour le travail de fin d'études doit compter au moins un membre du corps "
                    "enseignant du programme ; le promoteur peut l'être (BTS-3)."
                )
            )
        elif breach.code == "too_many":
            messages.append(
                _("Cette instance compte au plus %(n)s « %(role)s » (BTS-3) ; elle en aurait %(actual)s.")
                % {"n": breach.limit, "role": role, "actual": breach.actual}
            )
        elif breach.role:
            messages.append(
                _("Cette instance doit compter au moins %(n)s « %(role)s » (BTS-3).")
                % {"n": breach.limit, "role": role}
            )
        else:
            messages.append(_("Cette instance doit compter au moins %(n)s membres (BTS-3).") % {"n": breach.limit})
    return messages


MAX_SHEET_BYTES = 10 * 1024 * 1024


# Attendance sheets are recognised by their first bytes, never by their name or declared type.
SHEET_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)


def detect_sheet_type(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an attendance sheet from its first bytes, or None."""
    for signature, extension, content_type in SHEET_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def check_sheet(upload) -> tuple[str, str]:
    """BTS-10: a PDF, PNG or JPEG file of at most 10 Mo, checked by its content."""
    if upload is None:
        raise ValidationError({"attendance_sheet": _("Joignez la liste de présence.")})
    try:
        check_size(upload.size, MAX_SHEET_BYTES)
    except UploadRefused as exc:
        raise ValidationError({"attendance_sheet": exc.message}) from None
    upload.seek(0)
    detected = detect_sheet_type(upload.read(16))
    upload.seek(0)
    if detected is None:
        raise ValidationError({"attendance_sheet": _("La liste de présence doit être un fichier PDF, PNG ou JPEG.")})
    return detected


def submission_problems(declaration: Declaration) -> list[str]:
    """What prevents submitting this declaration (empty when it can be submitted).

    The rules checked when each line was added are checked again here, on the lines as they are:
    a line entered before a rule existed, or a body changed since, cannot slip through.
    """
    problems = []
    lines = list(declaration.lines.select_related("appointment", "appointment__person", "act"))
    if not lines:
        problems.append(_("La déclaration ne comporte aucune ligne."))
    if not declaration.attendance_sheet:
        problems.append(_("La liste de présence est obligatoire : joignez-la avant de soumettre."))
    body = declaration.body
    problems += composition_problems(body, complete=body.kind in COMPLETE_TO_SIT)
    for line in lines:
        if not line.appointment.is_appointed:
            problems.append(_("%(p)s n'est pas nommé par arrêté ministériel.") % {"p": line.appointment.person})
    paid_twice = paid_once_problems(declaration, lines)
    for line in lines:
        person = line.appointment.person
        for message in (
            coordinator_error(body, line.appointment),
            accreditation_error(body, line.act_date),
            paid_twice.get(line.pk, ""),
        ):
            if message:
                problems.append(f"{person} — {line.act} — {line.act_date:%d/%m/%Y} : {message}")
    if body.kind == BodyKind.EXAM_BOARD:
        present = defaultdict(set)
        for line in lines:
            present[line.act_date].add(line.appointment_id)
        for day, members in sorted(present.items()):
            if not rules.quorum_met(body.kind, len(members)):
                problems.append(
                    ngettext(
                        "Le %(d)s, %(n)s membre seulement : le quorum de %(q)s n'est pas atteint (BTS-3).",
                        "Le %(d)s, %(n)s membres seulement : le quorum de %(q)s n'est pas atteint (BTS-3).",
                        len(members),
                    )
                    % {"d": day.strftime("%d/%m/%Y"), "n": len(members), "q": rules.QUORUM[body.kind]}
                )
    if body.kind == BodyKind.LITIGATION_COMMITTEE:
        problems += _litigation_problems(lines)
    return problems


def _litigation_problems(lines) -> list[str]:
    """BTS-3: each decision of the litigation committee needs 3 voting members (the secretary does not vote)."""
    by_day = defaultdict(list)
    for line in lines:
        by_day[line.act_date].append(line)
    problems = []
    for day, day_lines in sorted(by_day.items()):
        decisions = int(max(line.quantity for line in day_lines))
        voters = defaultdict(Decimal)
        for line in day_lines:
            if line.appointment.role in rules.LITIGATION_VOTING_ROLES:
                voters[line.appointment_id] += line.quantity
        if not rules.litigation_decisions_valid(list(voters.values()), decisions):
            problems.append(
                _(
                    "Le %(d)s, %(decisions)s pour %(members)s : une décision de la commission des litiges n'est "
                    "acquise que si trois membres au moins s'y rallient ; le secrétaire ne vote pas (BTS-3)."
                )
                % {
                    "d": day.strftime("%d/%m/%Y"),
                    "decisions": ngettext("%(n)s décision", "%(n)s décisions", decisions) % {"n": decisions},
                    "members": ngettext("%(n)s membre votant", "%(n)s membres votants", len(voters))
                    % {"n": len(voters)},
                }
            )
    return problems


def parse_marks(marks) -> list[str]:
    """The first marks of a paper, as stored: texts with a point ("8.5"). ValidationError naming the
    values that are not marks out of 20."""
    if isinstance(marks, str):
        marks = [m for m in re.split(r"[;\s]+", marks) if m]
    parsed, bad = [], []
    for mark in marks:
        try:
            parsed.append(rules.parse_mark(mark))
        except ValueError:
            bad.append(str(mark)[:20])
    if bad:
        raise ValidationError(
            {
                "first_marks": ngettext(
                    "Ceci n'est pas une note sur 20 : %(v)s. Saisissez des notes de 0 à 20 (8,5 par exemple).",
                    "Ce ne sont pas des notes sur 20 : %(v)s. Saisissez des notes de 0 à 20 (8,5 par exemple).",
                    len(bad),
                )
                % {"v": " ; ".join(f"« {value} »" for value in bad[:5])}
            }
        )
    return [f"{mark.normalize():f}" if mark == mark.to_integral() else str(mark) for mark in parsed]
