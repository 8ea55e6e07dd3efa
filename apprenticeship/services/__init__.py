"""Use cases of the apprenticeship app, one function per use case named `<entity>_<verb>`.

Each state change is keyword-only, typed, atomic, checks the permission and the state, locks the
row it changes and writes one journal event (`enums.AuditAction`). Business errors are
`ValidationError`s in French, per field where possible. The modules of this package:

- `base`: the plumbing the use cases share (a contract locked, its journal snapshot, an amount typed);
- `contracts`: register, update, activate, end a contract; training years and the PII;
- `payments`: what the employer paid (APP-9);
- `statements`: frozen statements, issued;
- `aid`: the employer's aid request (APP-6, APP-7).

What is only read (the schedule, the checks, the aid preview, the calculator, a statement's
comparison) lives in `selectors`.

`from apprenticeship import services; services.contract_register(...)` reaches every use case."""

from __future__ import annotations

from .aid import aid_request_prepare  # noqa: F401
from .contracts import (  # noqa: F401
    CONTRACT_FIELDS,
    contract_activate,
    contract_end,
    contract_register,
    contract_update,
    pii_record,
    training_year_record,
)
from .payments import payment_record  # noqa: F401
from .statements import statement_issue  # noqa: F401
