"""Use cases of the bts_fees app, one function per use case named `<entity>_<verb>`.

Each state change is keyword-only, typed, atomic, checks the permission (`permissions`) and the
state, locks the row it changes and writes one journal event (`enums.AuditAction`). Business
errors are `ValidationError`s in French, per field where possible. The modules of this package:

- `base`: the plumbing the use cases share (a declaration or a person locked, a status change journalled);
- `bodies`: programmes, people, bodies, the proposals of appointments (BTS-7);
- `appointments`: compositions (BTS-3) and appointments by ministerial order (BTS-2);
- `declarations`: a declaration created (BTS-4);
- `lines`: adding and removing a declaration's lines;
- `papers`: the admission exam papers and their first marks (BTS-6);
- `submission`: the attendance sheet attached, submission, validation, rejection and reopening (BTS-10);
- `lecturers`: external lecturers' contracts and lessons (BTS-5, BTS-8), conflicts of interest (BTS-9);
- `statements`: the frozen yearly statement of a person.

`from bts_fees import services; services.declaration_submit(...)` reaches every use case.
What is only read or checked (prices, quantities and units, the rules of seed 004 a line keeps, what
stops a submission, a statement's rows) lives in `selectors`."""

from __future__ import annotations

from .appointments import appointment_create, appointment_record_order  # noqa: F401
from .bodies import PERSON_FIELDS, body_create, body_record_proposals, person_save, programme_create  # noqa: F401
from .declarations import declaration_create  # noqa: F401
from .lecturers import (  # noqa: F401
    CATEGORY_RATE_CODE,
    MIN_EXCEPTION_REASON,
    conflict_declare,
    contract_create,
    contract_record_ministry_signature,
    lesson_record,
)
from .lines import declaration_add_line, declaration_remove_line  # noqa: F401
from .papers import exam_paper_record  # noqa: F401
from .statements import statement_issue  # noqa: F401
from .submission import (  # noqa: F401
    declaration_attach_sheet,
    declaration_reject,
    declaration_reopen,
    declaration_submit,
    declaration_validate,
    declarations_validate_bulk,
)
