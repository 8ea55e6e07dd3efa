"""Reference fixtures and demo data of core: schools, demo accounts, the officers' group."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db.models import Q

from .enums import Academy, Country, Role, Scheme, SchoolSector
from .models import LuxIndex, School, SocialMinimumWage, User

DEMO_PASSWORD = "bareme-demo"

# Codes the domain apps' demo data refer to.
PARIS_LP = "0750001A"
PARIS_PRIVATE = "0750002B"
CRETEIL_LP = "0930003C"
CRETEIL_EREA = "0940004D"
VERSAILLES_AGRI = "0780005E"
VERSAILLES_LPO = "0910006F"
LU_BONNEVOIE = "LU-LTB"
LU_ETTELBRUCK = "LU-LTE"

DEMO_SCHOOLS = [
    (PARIS_LP, "Lycée professionnel Jean Jaurès", Country.FRANCE, SchoolSector.PUBLIC_EPLE, Academy.PARIS, "Paris"),
    (PARIS_PRIVATE, "Lycée Saint-Nicolas", Country.FRANCE, SchoolSector.PRIVATE_CONTRACT, Academy.PARIS, "Paris"),
    (
        CRETEIL_LP,
        "Lycée des métiers Eugène Hénaff",
        Country.FRANCE,
        SchoolSector.PUBLIC_EPLE,
        Academy.CRETEIL,
        "Bagnolet",
    ),
    (CRETEIL_EREA, "EREA Jean Monnet", Country.FRANCE, SchoolSector.EREA, Academy.CRETEIL, "Vitry-sur-Seine"),
    (
        VERSAILLES_AGRI,
        "Lycée agricole de Saint-Germain-en-Laye",
        Country.FRANCE,
        SchoolSector.AGRICULTURAL,
        Academy.VERSAILLES,
        "Saint-Germain-en-Laye",
    ),
    (
        VERSAILLES_LPO,
        "Lycée polyvalent Parc des Loges",
        Country.FRANCE,
        SchoolSector.PUBLIC_EPLE,
        Academy.VERSAILLES,
        "Évry-Courcouronnes",
    ),
    (LU_BONNEVOIE, "Lycée technique de Bonnevoie", Country.LUXEMBOURG, SchoolSector.LU_PUBLIC, "", "Luxembourg"),
    (LU_ETTELBRUCK, "Lycée technique d'Ettelbruck", Country.LUXEMBOURG, SchoolSector.LU_PUBLIC, "", "Ettelbruck"),
]

# username, first name, last name, role, schools, schemes, what they do (printed at start)
DEMO_ACCOUNTS = [
    ("admin", "Alex", "Admin", Role.ADMIN, [], [], "administrateur (Django admin, comptes)"),
    ("agent", "Claire", "Martin", Role.OFFICER, [], Scheme.values, "agent ministère / Région, tous les dispositifs"),
    (
        "lycee.paris",
        "Paul",
        "Durand",
        Role.LYCEE_STAFF,
        [PARIS_LP],
        [],
        "personnel du Lycée professionnel Jean Jaurès (Paris)",
    ),
    (
        "lycee.creteil",
        "Nadia",
        "Benali",
        Role.LYCEE_STAFF,
        [CRETEIL_LP],
        [],
        "personnel du Lycée Eugène Hénaff (Créteil)",
    ),
    (
        "lycee.bonnevoie",
        "Luc",
        "Weber",
        Role.LYCEE_STAFF,
        [LU_BONNEVOIE],
        [],
        "personnel du Lycée technique de Bonnevoie (LU)",
    ),
    (
        "lycee.ettelbruck",
        "Anne",
        "Schmit",
        Role.LYCEE_STAFF,
        [LU_ETTELBRUCK],
        [],
        "personnel du Lycée technique d'Ettelbruck (LU)",
    ),
    ("employeur.a", "Marc", "Hoffmann", Role.EMPLOYER, [], [], "employeur : Boulangerie Hoffmann SARL"),
    ("employeur.b", "Sophie", "Klein", Role.EMPLOYER, [], [], "employeur : Électricité Klein SA"),
]

OFFICERS_GROUP = "Agents"


def load_reference(stdout) -> None:
    if not LuxIndex.objects.exists() and not SocialMinimumWage.objects.exists():
        call_command("loaddata", "core__luxindex", "core__socialminimumwage", verbosity=0)
        stdout.write("  core : nombres indices et SSM chargés")


def load_demo(stdout) -> None:
    for code, name, country, sector, academy, city in DEMO_SCHOOLS:
        School.objects.get_or_create(
            code=code, defaults={"name": name, "country": country, "sector": sector, "academy": academy, "city": city}
        )
    officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
    officers.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=["apprenticeship", "lycee_aid", "bts_fees"])
            | Q(content_type__app_label="core", content_type__model__in=["luxindex", "socialminimumwage", "school"])
        )
    )
    for username, first, last, role, schools, schemes, _label in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.invalid",
            role=role,
            schemes=list(schemes),
            is_staff=role in (Role.ADMIN, Role.OFFICER),
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.schools.set(School.objects.filter(code__in=schools))
        if role == Role.OFFICER:
            user.groups.add(officers)
    stdout.write("  core : établissements et comptes de démonstration prêts")


def accounts_table() -> str:
    lines = [f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})"]
    for username, _f, _l, _role, _s, _sch, label in DEMO_ACCOUNTS:
        lines.append(f"  {username:<18} {label}")
    return "\n".join(lines)
