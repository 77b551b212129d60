from django.db import migrations, models

import haet.timezones


class Migration(migrations.Migration):
    dependencies = [
        ("haet", "0002_cfp_scope_and_awards_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conference",
            name="time_zone",
            field=models.CharField(
                default="UTC-11",
                help_text="Deadlines are given in this zone: an offset such as UTC-11 "
                "or UTC+2, AoE (Anywhere on Earth, UTC-12), or an IANA name such as "
                "Europe/Paris.",
                max_length=64,
                validators=[haet.timezones.validate_zone],
            ),
        ),
    ]
