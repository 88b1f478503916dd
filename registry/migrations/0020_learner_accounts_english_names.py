# A learner's account is named in English as the learner is: accounts opened before their English name was given,
# or before it was kept in step, take it from the learner's record.

from django.db import migrations

SQL = """
UPDATE registry_user AS u
   SET first_name_en = l.first_name_en, last_name_en = l.last_name_en
  FROM registry_learner AS l
 WHERE l.user_id = u.id
   AND (u.first_name_en, u.last_name_en) IS DISTINCT FROM (l.first_name_en, l.last_name_en)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_deposit_course_active_idx"),
    ]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
