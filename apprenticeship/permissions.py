"""Who may do what in the apprenticeship app: one predicate per right, `(user, object) -> bool`.

Selectors use `is_apprenticeship_officer` to scope what a user sees; services and views ask the
`can_*` predicates before a change. Officers of the apprenticeship scheme may do everything;
lycée staff act for the contracts of their schools; employers for the payments of their company.
"""

from __future__ import annotations

from core.enums import Scheme
from core.selectors import is_employer, is_lycee_staff, is_officer, schools_for

SCHEME = Scheme.APPRENTICESHIP


def is_apprenticeship_officer(user) -> bool:
    return is_officer(user, SCHEME)


def can_edit_contract(user, contract) -> bool:
    """Lycée staff of the contract's school (and apprenticeship officers) register and update it."""
    if is_apprenticeship_officer(user):
        return True
    return is_lycee_staff(user) and schools_for(user, scheme=SCHEME).filter(pk=contract.school_id).exists()


def can_record_payments(user, contract) -> bool:
    """The employer of the contract records what it paid (APP-9); officers may correct."""
    if is_apprenticeship_officer(user):
        return True
    return is_employer(user) and contract.employer.accounts.filter(pk=user.pk).exists()
