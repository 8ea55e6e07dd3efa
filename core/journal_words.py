"""The journal in words a person reads: each recorded action code as a short French phrase."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # apprenticeship
    "apprenticeship.contract_register": _("Enregistrement du contrat"),
    "apprenticeship.contract_update": _("Modification du contrat"),
    "apprenticeship.contract_activate": _("Mise en cours du contrat"),
    "apprenticeship.contract_end": _("Clôture du contrat"),
    "apprenticeship.training_year_record": _("Enregistrement d'une année de formation"),
    "apprenticeship.pii_record": _("Enregistrement de la réussite du PII"),
    "apprenticeship.payment_record": _("Enregistrement d'un versement à l'apprenti"),
    "apprenticeship.statement_issue": _("Émission d'un relevé d'indemnités"),
    "apprenticeship.aid_request_prepare": _("Préparation d'une demande d'aide de promotion"),
    "apprenticeship.reform_adopt": _("Adoption d'une réforme des indemnités"),
    # regional equipment aid
    "lycee_aid.school_year_open": _("Ouverture d'une année scolaire"),
    "lycee_aid.forfaits_confirm": _("Confirmation des forfaits de l'arrêté"),
    "lycee_aid.formations_import": _("Import de la liste des formations éligibles"),
    "lycee_aid.cpi_value_record": _("Saisie d'un indice des prix"),
    "lycee_aid.situation_set": _("Saisie de la situation d'un lycée"),
    "lycee_aid.enrolments_save": _("Saisie des effectifs n-1"),
    "lycee_aid.campaign_run": _("Calcul de la campagne"),
    "lycee_aid.campaign_stale": _("Campagne à recalculer après un changement"),
    "lycee_aid.campaign_vote": _("Vote de la campagne"),
    "lycee_aid.campaign_notify": _("Notification des dotations"),
    "lycee_aid.campaign_paid": _("Campagne entièrement versée"),
    "lycee_aid.dotation_mark_paid": _("Versement d'une dotation"),
    "lycee_aid.supplementary_request_submit": _("Dépôt d'une demande complémentaire"),
    "lycee_aid.supplementary_request_decide": _("Décision sur une demande complémentaire"),
    "lycee_aid.usage_report_submit": _("Dépôt d'un compte rendu d'utilisation"),
    "lycee_aid.cpge_aid_request_submit": _("Dépôt d'une demande d'aide CPGE"),
    # BTS fees
    "bts_fees.programme_create": _("Création d'un programme BTS"),
    "bts_fees.person_create": _("Création d'une fiche de personne"),
    "bts_fees.person_update": _("Modification d'une fiche de personne"),
    "bts_fees.body_create": _("Création d'une instance"),
    "bts_fees.appointment_create": _("Proposition d'une nomination"),
    "bts_fees.appointment_record_order": _("Enregistrement d'un arrêté de nomination"),
    "bts_fees.body_record_proposals": _("Envoi des propositions de nomination"),
    "bts_fees.conflict_declare": _("Déclaration d'une incompatibilité"),
    "bts_fees.declaration_create": _("Création d'une déclaration"),
    "bts_fees.declaration_add_line": _("Ajout d'une ligne à une déclaration"),
    "bts_fees.declaration_remove_line": _("Suppression d'une ligne d'une déclaration"),
    "bts_fees.declaration_attach_sheet": _("Ajout de la liste de présence"),
    "bts_fees.exam_paper_record": _("Enregistrement d'une épreuve"),
    "bts_fees.declaration_submit": _("Soumission d'une déclaration"),
    "bts_fees.declaration_validate": _("Validation d'une déclaration"),
    "bts_fees.declaration_reject": _("Rejet d'une déclaration"),
    "bts_fees.declaration_reopen": _("Réouverture d'une déclaration"),
    "bts_fees.contract_create": _("Création d'un contrat d'intervenant"),
    "bts_fees.contract_record_ministry_signature": _("Signature ministérielle d'un contrat d'intervenant"),
    "bts_fees.lesson_record": _("Enregistrement de leçons"),
    "bts_fees.statement_issue": _("Émission d'un relevé d'indemnités BTS"),
    # reference data
    "core.reference_period_save": _("Enregistrement d'une valeur de référence"),
    "core.reference_period_end": _("Fin de validité d'une valeur de référence"),
    "core.admin_add": _("Ajout dans l'administration"),
    "core.admin_change": _("Modification dans l'administration"),
    "core.second_factor_link_issue": _("Envoi d'un lien d'enrôlement à la double authentification"),
    # JSON API
    "api.api_token_create": _("Création d'une clé d'API"),
    "api.api_token_revoke": _("Révocation d'une clé d'API"),
}


def action_label(action: str) -> str:
    """The phrase for an action code; the code itself when it is not known yet."""
    return str(ACTIONS.get(action, action))
