# The deposit list's keys come from this index alone (registry.selectors.page_of), so it carries the id too.
# Built and dropped CONCURRENTLY: the ledger keeps taking deposits while the index of two million rows is made.

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0010_user_language"),
    ]

    operations = [
        RemoveIndexConcurrently(
            model_name="creditdeposit",
            name="deposit_course_recent_idx",
        ),
        AddIndexConcurrently(
            model_name="creditdeposit",
            index=models.Index(fields=["course", "-recorded_at", "-id"], name="deposit_course_recent_idx"),
        ),
    ]
