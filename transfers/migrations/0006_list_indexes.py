# Indexes that serve the list pages' filter and ORDER BY, so a page reads 50 index entries however long the list:
# the staff queue (waiting requests, oldest submission first), the requests list and the rules list (newest first).
# Built CONCURRENTLY: requests keep arriving while they are made.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("transfers", "0005_request_submitted_by"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="transferrequest",
            index=models.Index(
                condition=models.Q(("status__in", ["submitted", "under_review"])),
                fields=["submitted_at", "id"],
                name="transfer_request_waiting_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="transferrequest",
            index=models.Index(fields=["-created_at", "-id"], name="transfer_request_recent_idx"),
        ),
        AddIndexConcurrently(
            model_name="equivalence",
            index=models.Index(fields=["-proposed_at", "-id"], name="equivalence_recent_idx"),
        ),
    ]
