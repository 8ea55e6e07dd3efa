"""factory_boy builders of the apprenticeship tests: employers, apprentices, approvals, contracts."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from apprenticeship.models import Apprentice, Approval, Contract, Employer, Trade


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Entreprise {n} SARL")

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        if create and extracted:
            self.accounts.set(extracted)


class ApprenticeFactory(DjangoModelFactory):
    class Meta:
        model = Apprentice

    last_name = factory.Sequence(lambda n: f"Nom{n}")
    first_name = "Alex"
    birth_date = date(2008, 3, 10)
    national_id = factory.Sequence(lambda n: f"{2007000000000 + n:013d}")


class ApprovalFactory(DjangoModelFactory):
    class Meta:
        model = Approval

    employer = factory.SubFactory(EmployerFactory)
    trade = factory.Iterator(Trade.objects.all())
    reference = factory.Sequence(lambda n: f"AGR-{n:04d}")
    granted_on = date(2020, 1, 1)


class ContractFactory(DjangoModelFactory):
    """A complete, active contract (the factory does not go through the service: tests of the
    service build their contracts with `contract_register`)."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"APP-T-{n:05d}")
    apprentice = factory.SubFactory(ApprenticeFactory)
    employer = factory.SubFactory(EmployerFactory)
    school = factory.SubFactory(
        "tests.factories.SchoolFactory", code="LU-A", name="Lycée A", country="LU", sector="lu_public", academy=""
    )
    trade = factory.LazyFunction(lambda: Trade.objects.get(code="CCP-BOUL"))
    tutor_name = "Jean Tuteur"
    tutor_qualification = "Maître artisan"
    signed_on = date(2025, 8, 1)
    start_date = date(2025, 9, 1)
    end_date = date(2028, 7, 15)
    chamber_registered_on = date(2025, 8, 20)
    chamber_reference = "CDM-1"
    status = "active"
