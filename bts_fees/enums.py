"""Every state and kind of the bts_fees app (docs/rules.md "bts_fees", seed 004)."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    """The groups, committees and juries of seed 004, section I."""

    CURRICULUM_GROUP = "curriculum_group", _("groupe curriculaire")
    ADMISSION_COMMITTEE = "admission_committee", _("commission d'admission")
    VAE_COMMITTEE = "vae_committee", _("commission de validation des acquis de l'expérience")
    EXAM_BOARD = "exam_board", _("jury d'examen")
    THESIS_COMMITTEE = "thesis_committee", _("commission pour le travail de fin d'études")
    LITIGATION_COMMITTEE = "litigation_committee", _("commission des litiges")
    REASONABLE_ACCOMMODATION = "reasonable_accommodation", _("commission des aménagements raisonnables")
    EXTERNAL_TUTOR = "external_tutor", _("tutorat (intervenant externe)")


class CurriculumPhase(models.TextChoices):
    """Phase of a curriculum group's work (seed 004, I.2 b–d): each has its own caps (BTS-4)."""

    NONE = "", _("sans objet")
    ACCREDITATION = "accreditation", _("accréditation d'un nouveau programme")
    OPERATION = "operation", _("fonctionnement du programme")
    REACCREDITATION = "reaccreditation", _("renouvellement de l'accréditation")


class MemberRole(models.TextChoices):
    COMMISSIONER = "commissioner", _("commissaire du Gouvernement")
    DIRECTION = "direction", _("membre de la direction")
    COORDINATOR = "coordinator", _("coordinateur")
    TEACHER = "teacher", _("enseignant du programme")
    PROFESSIONAL = "professional", _("expert du milieu professionnel")
    PROMOTER = "promoter", _("promoteur")
    STAFF = "staff", _("membre du personnel du lycée")
    STAFF_OUTSIDE_BTS = "staff_outside_bts", _("enseignant hors programme BTS")
    SUBSTITUTE = "substitute", _("membre suppléant")
    SECRETARY = "secretary", _("secrétaire")
    MEMBER = "member", _("membre")
    EXTERNAL_EXPERT = "external_expert", _("expert externe")
    TUTOR = "tutor", _("tuteur")


class ActSection(models.TextChoices):
    JURIES = "juries", _("jurys et commissions (section I.10)")
    EXTERNAL = "external", _("prestataires externes (section II)")


class ActUnit(models.TextChoices):
    HOUR = "hour", _("heure")
    UNIT = "unit", _("unité")
    CANDIDATE = "candidate", _("candidat")
    PAPER = "paper", _("épreuve")
    FILE = "file", _("dossier")
    STUDENT = "student", _("étudiant")
    DECISION = "decision", _("décision")
    MEETING = "meeting", _("réunion")
    YEAR = "year", _("année")
    SEMESTER = "semester", _("semestre")
    LESSON = "lesson", _("leçon")


class PaidOnce(models.TextChoices):
    """Acts paid once per period whatever the number of sittings (seed 004, I.3 a and I.10)."""

    NO = "", _("non")
    ACADEMIC_YEAR = "academic_year", _("une fois par année d'études et par membre")
    SESSION = "session", _("une fois par session et par membre")


class PaperKind(models.TextChoices):
    """A paper of the admission exam (BTS-6): written, or replaced by an interview before two examiners."""

    WRITTEN = "written", _("épreuve écrite")
    INTERVIEW = "interview", _("entretien devant deux examinateurs (remplace une épreuve)")


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SUBMITTED = "submitted", _("soumise")
    VALIDATED = "validated", _("validée")
    REJECTED = "rejected", _("rejetée")
    REOPENED = "reopened", _("rouverte")


EDITABLE_STATUSES = (DeclarationStatus.DRAFT, DeclarationStatus.REJECTED, DeclarationStatus.REOPENED)


class LecturerCategory(models.TextChoices):
    """Seed 004, section II: external lecturer, guest lecturer, auxiliary collaborator."""

    EXTERNAL_LECTURER = "external_lecturer", _("intervenant externe")
    GUEST_LECTURER = "guest_lecturer", _("conférencier spécialisé")
    AUXILIARY_COLLABORATOR = "auxiliary_collaborator", _("collaborateur auxiliaire")


class RegulatedLevel(models.TextChoices):
    """Level of a regulated-profession authorisation, article 11 of the law of 28 October 2016."""

    NONE = "", _("aucune")
    A = "a", _("article 11, lettre a)")
    B = "b", _("article 11, lettre b)")
    C = "c", _("article 11, lettre c)")
    D = "d", _("article 11, lettre d)")
    E = "e", _("article 11, lettre e)")


class Relationship(models.TextChoices):
    """BTS-9: relationships that make a member incompatible with a student's decisions."""

    SPOUSE = "spouse", _("conjoint")
    PARTNER = "partner", _("partenaire")
    RELATIVE = "relative", _("parent (jusqu'au 4e degré)")
    IN_LAW = "in_law", _("allié (jusqu'au 4e degré)")


class StatementLineKind(models.TextChoices):
    ACT = "act", _("acte d'une déclaration validée")
    LESSON = "lesson", _("leçons")


class AuditAction(StrEnum):
    """The name of each event this app writes to the journal: `bts_fees.<use case>` (the service
    that writes it, or the event a use case records besides its own)."""

    PROGRAMME_CREATE = "bts_fees.programme_create"
    PERSON_CREATE = "bts_fees.person_create"
    PERSON_UPDATE = "bts_fees.person_update"
    BODY_CREATE = "bts_fees.body_create"
    BODY_RECORD_PROPOSALS = "bts_fees.body_record_proposals"
    APPOINTMENT_CREATE = "bts_fees.appointment_create"
    APPOINTMENT_RECORD_ORDER = "bts_fees.appointment_record_order"
    DECLARATION_CREATE = "bts_fees.declaration_create"
    DECLARATION_ADD_LINE = "bts_fees.declaration_add_line"
    DECLARATION_REMOVE_LINE = "bts_fees.declaration_remove_line"
    EXAM_PAPER_RECORD = "bts_fees.exam_paper_record"
    DECLARATION_ATTACH_SHEET = "bts_fees.declaration_attach_sheet"
    DECLARATION_SUBMIT = "bts_fees.declaration_submit"
    DECLARATION_VALIDATE = "bts_fees.declaration_validate"
    DECLARATION_REJECT = "bts_fees.declaration_reject"
    DECLARATION_REOPEN = "bts_fees.declaration_reopen"
    CONTRACT_CREATE = "bts_fees.contract_create"
    CONTRACT_RECORD_MINISTRY_SIGNATURE = "bts_fees.contract_record_ministry_signature"
    LESSON_RECORD = "bts_fees.lesson_record"
    CONFLICT_DECLARE = "bts_fees.conflict_declare"
    STATEMENT_ISSUE = "bts_fees.statement_issue"
