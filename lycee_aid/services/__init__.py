"""Use cases of the ARE (lycee_aid), one function per use case named `<entity>_<verb>`.

Each state change is keyword-only, typed, atomic, checks the permission (`permissions`) and the
state, locks the row it changes and writes one journal event (`enums.AuditAction`). Business
errors are `ValidationError`s in French, per field where possible. The modules of this package:

- `base`: the year locked, refused once voted, the campaign marked stale;
- `years`: school years, CPI values and forfaits (ARE-2, ARE-3);
- `formations`: the list of eligible formations (ARE-1);
- `situations`: a lycée's scholarship count, survey and carry-overs (ARE-5 to ARE-7);
- `enrolments`: enrolments n-1 typed or uploaded (ARE-4, ARE-5);
- `campaign_sql`: the set-based writes of the campaign;
- `campaign`: the campaign run, every dotation of the year (ARE-4 to ARE-7);
- `decisions`: the vote, the notification and the payment of the dotations;
- `requests`: supplementary requests (ARE-8);
- `reports`: usage reports (ARE-9);
- `cpge`: the CPGE competition-fee aid (ARE-10).

`from lycee_aid import services; services.campaign_run(...)` reaches every one of them. Names that start with
an underscore are shared between the modules of this package only."""

from __future__ import annotations

from .base import (  # noqa: F401
    BATCH,
    DOTATION_COMPUTED_FIELDS,
    _lock_year,
    _mark_stale,
    _refuse_if_voted,
)
from .campaign import (  # noqa: F401
    campaign_run,
)
from .campaign_sql import (  # noqa: F401
    _PER_DOTATION_FIELDS,
    _SHARED_FIELDS,
    CampaignResult,
    _campaign_schools,
    _cents,
    _counts_mismatch_sql,
    _dotations_history_insert,
    _dotations_update,
    _lines_insert_sql,
    _missing_scholarship_counts,
)
from .cpge import (  # noqa: F401
    _cpge_duplicate,
    _normalised_name,
    cpge_aid_request_submit,
    pupil_key,
)
from .decisions import (  # noqa: F401
    campaign_notify,
    campaign_vote,
    dotation_mark_paid,
)
from .enrolments import (  # noqa: F401
    _check_enrolment_window,
    _save_enrolments,
    enrolments_fingerprint,
    enrolments_put,
    enrolments_save,
    enrolments_upload,
)
from .formations import (  # noqa: F401
    _FORMATION_FIELDS,
    ImportReport,
    formations_import,
)
from .reports import (  # noqa: F401
    UsageLineInput,
    carryover_per_envelope,
    received_per_envelope,
    usage_report_submit,
)
from .requests import (  # noqa: F401
    _formations_of,
    supplementary_request_decide,
    supplementary_request_submit,
)
from .situations import (  # noqa: F401
    _scholarship_errors,
    situation_set,
)
from .years import (  # noqa: F401
    ForfaitProposal,
    _cpi_for,
    _school_year_for,
    cpi_value_record,
    forfaits_confirm,
    forfaits_propose,
    school_year_open,
)
