"""The JSON encoder of old/new changes how Python writes values, not the column.

State only: on SQLite an AlterField remakes the table, which would drop the append-only trigger.
Any future migration that must remake audit_auditentry has to re-create that trigger (0003).
"""

from django.db import migrations, models

import ciqcredit.audit.models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name=name,
                    field=models.JSONField(blank=True, encoder=ciqcredit.audit.models.ReadableJSONEncoder, null=True),
                )
                for name in ("new", "old")
            ],
            database_operations=[],
        ),
    ]
