"""Use cases of the apprenticeship app, one function per use case named `<entity>_<verb>`.

Each state change is keyword-only, typed, atomic, checks the permission and the state, locks the
row it changes and writes one journal event (`enums.AuditAction`). Business errors are
`ValidationError`s in French, per field where possible. The modules of this package:

- `base`: date wording shared by the messages;
- `schedule`: the amounts due month by month (APP-1 to APP-5) and the arrears;
- `checks`: the contract checks of APP-8 and the validation of a contract's fields;
- `contracts`: register, update, activate, end a contract; training years and the PII;
- `payments`: what the employer paid (APP-9);
- `statements`: frozen statements, issued and compared;
- `aid`: the employer's aid (APP-6, APP-7);
- `calculator`: the public calculator.

`from apprenticeship import services; services.contract_register(...)` reaches every one of them. Names that start with
an underscore are shared between the modules of this package only."""

from __future__ import annotations

from core.rules import ZERO  # noqa: E402, F401  (the views add amounts from zero)

from .aid import (  # noqa: F401
    AidPreview,
    _aid_year_check,
    aid_default_year,
    aid_preview,
    aid_request_premature,
    aid_request_prepare,
    aid_year_error,
    aid_years,
)
from .base import (  # noqa: F401
    _d,
    _month_label,
)
from .calculator import (  # noqa: F401
    Calculation,
    CalculationStep,
    calculator_compute,
    calculator_steps,
)
from .checks import (  # noqa: F401
    BLOCKING_CHECKS,
    CHECK_FIELDS,
    CONTRACT_FIELDS,
    _apprentice_get_or_create,
    _registered_status,
    _snapshot,
    _validate_contract,
    contract_checks,
    employer_is_approved,
)
from .contracts import (  # noqa: F401
    _AMOUNT,
    MAX_AMOUNT,
    _amount,
    _lock,
    contract_activate,
    contract_end,
    contract_register,
    contract_update,
    pii_record,
    training_year_record,
)
from .payments import (  # noqa: F401
    payment_record,
)
from .schedule import (  # noqa: F401
    Comparison,
    Schedule,
    ScheduleRow,
    _missing_message,
    arrears_overview,
    contract_dates_error,
    contract_school_years,
    current_month,
    schedule_compare,
    schedule_compute,
)
from .statements import (  # noqa: F401
    StatementComparison,
    _as_known_on,
    _parameters,
    _same_figures,
    statement_compare,
    statement_issue,
    statement_oversized,
)
