"""Use cases of the bts_fees app, one function per use case named `<entity>_<verb>`.

Each state change is keyword-only, typed, atomic, checks the permission (`permissions`) and the
state, locks the row it changes and writes one journal event (`enums.AuditAction`). Business
errors are `ValidationError`s in French, per field where possible. The modules of this package:

- `base`: limits of what may be typed or uploaded, and the journal entry of a status change;
- `pricing`: the rates in force and the price of an act (CORE-1, CORE-2, BTS-1);
- `bodies`: programmes, people, bodies, the proposals of appointments (BTS-7);
- `appointments`: compositions (BTS-3) and appointments by ministerial order (BTS-2);
- `declarations`: a declaration, its quantities, units and per-day maximums (BTS-4);
- `line_rules`: the rules of seed 004 a declaration line keeps (coordinator, accreditation, acts paid once, papers);
- `lines`: adding and removing a declaration's lines;
- `papers`: the admission exam papers and their first marks (BTS-6);
- `submission`: the attendance sheet, submission, validation, rejection and reopening (BTS-10);
- `lecturers`: external lecturers' contracts and lessons (BTS-5, BTS-8), conflicts of interest (BTS-9);
- `statements`: the frozen yearly statement of a person.

`from bts_fees import services; services.declaration_submit(...)` reaches every one of them. Names that start with
an underscore are shared between the modules of this package only."""

from __future__ import annotations

from ..permissions import can_manage_school  # noqa: E402, F401  (its former home)
from .appointments import (  # noqa: F401
    COMPLETE_TO_SIT,
    _director_message,
    appointment_create,
    appointment_record_order,
    body_kind_is_thesis,
    composition_messages,
    composition_problems,
)
from .base import (  # noqa: F401
    MAX_QUANTITY,
    MAX_SHEET_BYTES,
    SHEET_SIGNATURES,
    _status_audit,
)
from .bodies import (  # noqa: F401
    PERSON_FIELDS,
    _person_snapshot,
    body_create,
    body_record_proposals,
    person_save,
    programme_create,
)
from .declarations import (  # noqa: F401
    _cap_message,
    _check_daily_max,
    _check_quantity,
    _check_whole,
    _curriculum_hours,
    _daily_message,
    _fmt,
    _lock_declaration,
    _lock_person,
    _require_editable,
    _same_person,
    declaration_create,
    unit_count,
    unit_name,
)
from .lecturers import (  # noqa: F401
    CATEGORY_RATE_CODE,
    MIN_EXCEPTION_REASON,
    _exception_reason_message,
    _same_lecturer,
    conflict_declare,
    contract_create,
    contract_record_ministry_signature,
    lesson_record,
)
from .line_rules import (  # noqa: F401
    CORRECTION_ACTS,
    INTERVIEW_ACT,
    PAPER_ACTS,
    _accreditation_error,
    _check_paper,
    _coordinator_error,
    _paid_once_error,
    _paid_once_message,
    _paid_once_problems,
)
from .lines import (  # noqa: F401
    _line_audit,
    declaration_add_line,
    declaration_remove_line,
)
from .papers import (  # noqa: F401
    exam_paper_record,
    parse_marks,
)
from .pricing import (  # noqa: F401
    Price,
    Pricer,
    rates_in_force,
)
from .statements import (  # noqa: F401
    _row_key,
    _statement_parameters,
    statement_issue,
    statement_rows,
)
from .submission import (  # noqa: F401
    _litigation_problems,
    _reason,
    _reprice,
    check_sheet,
    declaration_attach_sheet,
    declaration_reject,
    declaration_reopen,
    declaration_submit,
    declaration_validate,
    declarations_validate_bulk,
    detect_sheet_type,
    submission_problems,
)
