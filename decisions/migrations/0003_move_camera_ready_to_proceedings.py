# The camera-ready models moved to the proceedings app (issue 13). State only:
# their tables keep the decisions_* names and their rows; proceedings 0001 takes
# them over in the state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_scheduled_release"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="cameraready", name="current_version"),
                migrations.DeleteModel(name="CameraReadyVersion"),
                migrations.DeleteModel(name="CameraReady"),
                migrations.DeleteModel(name="CameraReadyExtension"),
            ],
            database_operations=[],
        ),
    ]
