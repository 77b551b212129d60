from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("haet", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="conference",
            name="scope",
            field=models.TextField(
                blank=True,
                help_text="The scope paragraph, shown above the list of topics.",
            ),
        ),
        migrations.AddField(
            model_name="conference",
            name="awards_text",
            field=models.TextField(
                blank=True, help_text="Shown above the award categories."
            ),
        ),
        migrations.AlterField(
            model_name="conference",
            name="instructions",
            field=models.TextField(
                blank=True,
                help_text="Author instructions. Lines starting with '- ' are list "
                "items, other lines paragraphs; [text](https://…) makes a link.",
            ),
        ),
    ]
