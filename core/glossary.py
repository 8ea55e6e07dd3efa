"""The help page's glossary: the words of the three schemes, as a civil servant would explain them.

Each entry cites where the word comes from (rule ID of docs/rules.md and seed), so the help page and the code
(docs/glossary.md) say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Term:
    term: Promise
    definition: Promise
    scheme: Promise


APPRENTICESHIP = pgettext_lazy("scheme", "Apprentissage (Luxembourg)")
ARE = pgettext_lazy("scheme", "Aide régionale à l'équipement (Île-de-France)")
BTS = pgettext_lazy("scheme", "BTS (Luxembourg)")
ALL = pgettext_lazy("scheme", "Tous les dispositifs")

GLOSSARY: tuple[Term, ...] = (
    Term(
        pgettext_lazy("glossary", "Nombre indice (cote d'application)"),
        _(
            "Indice luxembourgeois des salaires. Les montants fixés « au nombre indice 100 » sont multipliés par "
            "l'indice en vigueur puis divisés par 100, arrondis au centime (règles CORE-1 et CORE-2)."
        ),
        ALL,
    ),
    Term(
        pgettext_lazy("glossary", "SSM"),
        _(
            "Salaire social minimum mensuel non qualifié (18 ans et plus), fixé au nombre indice 100 et porté à "
            "l'indice en vigueur le premier jour du mois (règle CORE-3)."
        ),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "Indemnité d'apprentissage"),
        _(
            "Montant mensuel dû par l'employeur à l'apprenti : un pourcentage du SSM selon le métier, l'année de "
            "formation et la réussite du PII (règle APP-1)."
        ),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "PII"),
        _(
            "Projet intégré intermédiaire. Sa réussite majore l'indemnité dès le mois qui suit la notification "
            "(règle APP-3), pour les métiers qui prévoient un taux majoré."
        ),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "Apprenti adulte"),
        _(
            "Apprenti à qui le SSM est dû en entier ; l'État rembourse à l'employeur la différence avec "
            "l'indemnité ordinaire (règle APP-2)."
        ),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "Aide de promotion de l'apprentissage"),
        _(
            "Aide versée à l'employeur pour une année d'apprentissage terminée : 40 % des indemnités brutes (CCP) "
            "ou 27 % (DAP, DT, apprentissage transfrontalier). La demande doit parvenir avant le 1er juillet de "
            "l'année qui suit la fin de l'année d'apprentissage, sous peine de forclusion (règles APP-6 et APP-7)."
        ),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "Forclusion"),
        _("Perte du droit de demander une aide lorsque la date limite de dépôt est dépassée."),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "Arriérés"),
        _(
            "Différence entre l'indemnité due et ce qui a été versé pour les mois déjà échus d'un contrat "
            "enregistré, en cours ou terminé (règle APP-9)."
        ),
        APPRENTICESHIP,
    ),
    Term(
        pgettext_lazy("glossary", "Dotation"),
        _(
            "Somme attribuée à un lycée pour l'année scolaire, par enveloppe pré-bac et post-bac, calculée sur les "
            "effectifs de première année de l'année précédente (règles ARE-4 et ARE-5)."
        ),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Forfait"),
        _(
            "Montant par élève (ou par concours pour les CPGE) fixé chaque année par arrêté, indexé sur l'indice "
            "des prix à la consommation (règles ARE-2 et ARE-3)."
        ),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Boursier"),
        _(
            "Élève de première année d'une formation post-bac titulaire d'une bourse. Le nombre de boursiers est "
            "calculé à partir du nombre communiqué par l'académie et des effectifs du lycée (règle ARE-5)."
        ),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Reliquat"),
        _(
            "Ce qui reste d'une enveloppe à la fin de l'année scolaire ; il est déduit de la dotation de l'année "
            "suivante, enveloppe par enveloppe (règles ARE-6 et ARE-9)."
        ),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Commission permanente"),
        _("Instance du conseil régional qui vote les dotations ; son vote les fige."),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Dotation complémentaire"),
        _(
            "Somme accordée sur demande écrite du lycée pour des effectifs ou des boursiers supplémentaires "
            "(règle ARE-8)."
        ),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Quotient familial"),
        _(
            "Ressources de la famille rapportées au nombre de parts ; l'aide aux frais de concours des CPGE est "
            "réservée aux quotients d'au plus 10 140 € (règle ARE-10)."
        ),
        ARE,
    ),
    Term(
        pgettext_lazy("glossary", "Nomination par arrêté"),
        _(
            "Seules les personnes nommées par arrêté ministériel dans une instance, pour l'année, peuvent être "
            "indemnisées pour ses travaux (règle BTS-2)."
        ),
        BTS,
    ),
    Term(
        pgettext_lazy("glossary", "Liste de présence"),
        _("Document signé joint à chaque déclaration d'indemnités, qui atteste la présence des membres (BTS-10)."),
        BTS,
    ),
    Term(
        pgettext_lazy("glossary", "Intervenant externe"),
        _(
            "Enseignant extérieur rémunéré à la leçon selon sa qualification, dans la limite de 252 leçons par "
            "année d'études (règles BTS-5 et BTS-8)."
        ),
        BTS,
    ),
)
