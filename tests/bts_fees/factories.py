"""factory_boy builders of bts_fees objects for the tests (test set-up only: the services are
tested through their own calls). `make_*` and `appoint` are the short forms the tests use."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from bts_fees.models import Appointment, Body, Person, Programme
from tests.factories import SchoolFactory


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    school = factory.SubFactory(SchoolFactory, country="LU", sector="", academy="")
    code = "BTS-X"
    title = "BTS X"
    accredited_from = date(2020, 9, 15)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    school = factory.SubFactory(SchoolFactory, country="LU", sector="", academy="")
    last_name = factory.Sequence(lambda n: f"Nom{n + 1}")
    first_name = factory.Sequence(lambda n: f"Prénom{n + 1}")
    email = factory.Sequence(lambda n: f"p{n + 1}@example.lu")


class BodyFactory(DjangoModelFactory):
    """A body of a programme for an academic year (the litigation committee has no programme)."""

    class Meta:
        model = Body

    programme = factory.SubFactory(ProgrammeFactory)
    school = factory.LazyAttribute(lambda body: body.programme.school)
    phase = ""
    label = ""


class AppointmentFactory(DjangoModelFactory):
    """An appointment for the body's whole academic year, ordered by the ministry unless
    `order_reference=""` and `order_date=None` are given."""

    class Meta:
        model = Appointment

    valid_from = factory.LazyAttribute(lambda a: a.body.academic_year.start_date)
    valid_until = factory.LazyAttribute(lambda a: a.body.academic_year.end_date)
    proposed_on = factory.LazyAttribute(lambda a: date(a.body.academic_year.start_date.year, 10, 1))
    order_reference = factory.LazyAttribute(lambda a: f"MESR-{a.body.pk}-{a.person.pk}")
    order_date = factory.LazyAttribute(lambda a: date(a.body.academic_year.start_date.year, 10, 20))


def make_programme(school, *, code="BTS-X", title="BTS X"):
    return ProgrammeFactory(school=school, code=code, title=title)


def make_person(school, **fields):
    return PersonFactory(school=school, **fields)


def make_body(programme, year, kind, *, phase="", label="", school=None):
    return BodyFactory(
        school=school or programme.school,
        programme=programme if kind != "litigation_committee" else None,
        academic_year=year,
        kind=kind,
        phase=phase,
        label=label,
    )


def appoint(body, person, role, *, appointed=True):
    unordered = {} if appointed else {"order_reference": "", "order_date": None}
    return AppointmentFactory(body=body, person=person, role=role, **unordered)
