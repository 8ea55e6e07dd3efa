"""factory_boy builders of lycee_aid objects for the tests (test set-up only: the services are
tested through their own calls). The figures of the 2023-2024 year are those of seed 003."""

from datetime import date
from decimal import Decimal as D

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from lycee_aid.enums import FormationLevel
from lycee_aid.models import EligibleFormation, Enrolment, SchoolSituation, SchoolYear

GROUPING_LEVEL = {FormationLevel.INFRA_V: 6, FormationLevel.PRE_BAC: 5, FormationLevel.POST_BAC: 3}


class SchoolYearFactory(DjangoModelFactory):
    """2023-2024 with the forfaits of seed 003 (151 €, 54 € prépa-métiers, 308 € per CPGE
    competition), confirmed."""

    class Meta:
        model = SchoolYear

    start_year = 2023
    forfait_amount = D("151")
    forfait_prepa_metiers_amount = D("54")
    forfait_cpge_amount = D("308")
    order_reference = "2023-087"
    order_date = date(2023, 3, 17)
    cpi_evolution_percent = D("6.31")
    forfaits_confirmed_at = factory.LazyFunction(timezone.now)


class EligibleFormationFactory(DjangoModelFactory):
    """An eligible formation; the NSF code of a 3e prépa-métiers is always 100 (ARE-1)."""

    class Meta:
        model = EligibleFormation

    school_year = factory.SubFactory(SchoolYearFactory)
    level = FormationLevel.PRE_BAC
    grouping_level = factory.LazyAttribute(lambda f: GROUPING_LEVEL[f.level])
    diploma_code = factory.Sequence(lambda n: f"{50000000 + n}")
    diploma_type = "TYPE"
    title = factory.LazyAttribute(lambda f: f"FORMATION {f.diploma_code}")

    @factory.lazy_attribute
    def nsf_code(self):
        return "100" if self.level == FormationLevel.INFRA_V else "221"


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    first_year_count = 0


class SchoolSituationFactory(DjangoModelFactory):
    class Meta:
        model = SchoolSituation
        django_get_or_create = ("school", "school_year")

    survey_answered = True
