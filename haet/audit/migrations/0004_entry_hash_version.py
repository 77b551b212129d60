from django.db import migrations, models


class Migration(migrations.Migration):
    """Entries already written were hashed over their values (version 1); new ones
    over each value's digest (version 2, haet.audit.chain), so they can be
    redacted."""

    dependencies = [
        ("audit", "0003_entry_private_to"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
    ]
