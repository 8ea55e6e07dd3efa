"""The bench's bulk notifications render what a lycée is notified: its formation lines.

The campaign stopped writing the formation lines before the vote; the bench, which keeps its
campaign computed (so that it can re-run it), then rendered notifications with no formation at all:
0.13 s each instead of about 1 s, and a bulk throughput that measured nothing real.
"""

from lycee_aid import bench
from lycee_aid.models import Dotation
from tests.core.test_views import pdf_text


def test_a_bench_notification_of_a_computed_campaign_lists_the_formations(computed, lycee_a):
    dotation = Dotation.objects.get(school=lycee_a, school_year=computed)
    assert not dotation.lines.exists()  # computed, not voted: nothing frozen yet

    text = pdf_text(bench.render_notification(dotation.pk))

    # lycée A's enrolments (conftest `computed`): prépa-métiers 24, CAP cuisine 36, BTS 35
    assert "3EME PREPA-METIERS" in text
    assert "CUISINE (CAP)" in text
    assert "ELECTROTECHNIQUE (BTS)" in text
