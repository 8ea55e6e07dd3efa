"""factory_boy builders every app's tests share: schools and users, and a period of reference data."""

import factory
from factory.django import DjangoModelFactory

from core.enums import Role
from core.models import School, User


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n:07d}X")
    name = factory.Sequence(lambda n: f"Lycée {n}")
    country = "FR"
    sector = "public_eple"
    academy = "paris"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.LYCEE_STAFF
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.schools.set(extracted)


def add_period(instance):
    """Enter a period of reference data as an officer would: fitted into its series (CORE-2)."""
    from core.services import effective_dated_save

    effective_dated_save(actor=None, instance=instance)
    return instance
