"""Use cases of the ARE (lycee_aid), one function per use case named `<entity>_<verb>`.

Each state change is keyword-only, typed, atomic, checks the permission (`permissions`) and the
state, locks the row it changes and writes one journal event (`enums.AuditAction`). Business
errors are `ValidationError`s in French, per field where possible. The modules of this package:

- `base`: the plumbing the use cases share (the year locked, refused once voted, the campaign marked stale);
- `years`: school years, CPI values and forfaits (ARE-2, ARE-3);
- `formations`: the list of eligible formations (ARE-1);
- `situations`: a lycée's scholarship count, survey and carry-overs (ARE-5 to ARE-7);
- `enrolments`: enrolments n-1 typed or uploaded (ARE-4, ARE-5);
- `campaign_sql`: the set-based writes of the campaign (plumbing, no use case);
- `campaign`: the campaign run, every dotation of the year (ARE-4 to ARE-7);
- `decisions`: the vote, the notification and the payment of the dotations;
- `requests`: supplementary requests (ARE-8);
- `reports`: usage reports (ARE-9);
- `cpge`: the CPGE competition-fee aid (ARE-10).

`from lycee_aid import services; services.campaign_run(...)` reaches every use case.
What is only read (the forfaits proposed, the figures per envelope) lives in `selectors`."""

from __future__ import annotations

from .campaign import campaign_run  # noqa: F401
from .campaign_sql import CampaignResult  # noqa: F401
from .cpge import cpge_aid_request_submit  # noqa: F401
from .decisions import campaign_notify, campaign_vote, dotation_mark_paid  # noqa: F401
from .enrolments import enrolments_put, enrolments_save, enrolments_upload  # noqa: F401
from .formations import ImportReport, formations_import  # noqa: F401
from .reports import UsageLineInput, usage_report_submit  # noqa: F401
from .requests import supplementary_request_decide, supplementary_request_submit  # noqa: F401
from .situations import situation_set  # noqa: F401
from .years import cpi_value_record, forfaits_confirm, school_year_open  # noqa: F401
