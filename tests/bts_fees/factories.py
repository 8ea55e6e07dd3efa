"""Small builders of bts_fees objects for the tests (direct ORM: test set-up only)."""

import itertools
from datetime import date

from bts_fees.models import Appointment, Body, Person, Programme

_counter = itertools.count(1)


def make_programme(school, *, code="BTS-X", title="BTS X"):
    return Programme.objects.create(school=school, code=code, title=title, accredited_from=date(2020, 9, 15))


def make_person(school, **fields):
    n = next(_counter)
    defaults = {"last_name": f"Nom{n}", "first_name": f"Prénom{n}", "email": f"p{n}@example.lu"}
    defaults.update(fields)
    return Person.objects.create(school=school, **defaults)


def make_body(programme, year, kind, *, phase="", label="", school=None):
    return Body.objects.create(
        school=school or programme.school,
        programme=programme if kind != "litigation_committee" else None,
        academic_year=year,
        kind=kind,
        phase=phase,
        label=label,
    )


def appoint(body, person, role, *, appointed=True):
    year = body.academic_year
    return Appointment.objects.create(
        body=body,
        person=person,
        role=role,
        valid_from=year.start_date,
        valid_until=year.end_date,
        proposed_on=date(year.start_date.year, 10, 1),
        order_reference=f"MESR-{body.pk}-{person.pk}" if appointed else "",
        order_date=date(year.start_date.year, 10, 20) if appointed else None,
    )
