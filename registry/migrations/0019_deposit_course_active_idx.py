# An institution's learners are those of its active deposits (registry.access): their ids come from this partial
# index alone. Built CONCURRENTLY: the ledger keeps taking deposits while two million rows are indexed.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0018_import_discarded"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="creditdeposit",
            index=models.Index(
                condition=models.Q(("status", "active")), fields=["course", "learner"], name="deposit_course_active_idx"
            ),
        ),
    ]
