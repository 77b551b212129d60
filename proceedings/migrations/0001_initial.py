# The camera-ready models, moved here from the decisions app (issue 13) without
# touching the database: state only, on the existing decisions_* tables. The
# content types follow (decisions.cameraready -> proceedings.cameraready, ...), so
# permissions and admin history stay attached.

import django.db.models.deletion
import proceedings.models
import rules.contrib.models
import submissions.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["cameraready", "camerareadyversion", "camerareadyextension"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "decisions", "proceedings")


def backwards(apps, schema_editor):
    _relabel(apps, "proceedings", "decisions")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('decisions', '0003_move_camera_ready_to_proceedings'),
        ('haet', '0001_initial'),
        ('submissions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CameraReady',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('title', models.CharField(max_length=250)),
                        ('authors', models.JSONField(default=list)),
                        ('include_in_proceedings', models.BooleanField(default=False)),
                        ('copyright_accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('arxiv_url', models.URLField(blank=True, verbose_name='arXiv link')),
                        ('slides', models.FileField(blank=True, storage=submissions.models.PrivateStorage(), upload_to=proceedings.models.slides_path)),
                        ('poster', models.FileField(blank=True, storage=submissions.models.PrivateStorage(), upload_to=proceedings.models.poster_path)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True)),
                        ('is_late', models.BooleanField(default=False)),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submission', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='camera_ready', to='submissions.submission')),
                    ],
                    options={
                        'db_table': 'decisions_cameraready',
                        'ordering': ['submission__number'],
                    },
                    bases=(rules.contrib.models.RulesModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='CameraReadyExtension',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('until', models.DateTimeField()),
                        ('reason', models.CharField(blank=True, max_length=300)),
                        ('granted_at', models.DateTimeField()),
                        ('granted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='camera_ready_extensions', to='submissions.submission')),
                    ],
                    options={
                        'db_table': 'decisions_camerareadyextension',
                        'ordering': ['submission', 'granted_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CameraReadyVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(storage=submissions.models.PrivateStorage(), upload_to=proceedings.models.camera_ready_path)),
                        ('original_filename', models.CharField(blank=True, max_length=255)),
                        ('sha256', models.CharField(max_length=64)),
                        ('size', models.PositiveIntegerField(help_text='Bytes.')),
                        ('page_count', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('main_body_pages', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('check_report', models.JSONField(default=dict)),
                        ('is_late', models.BooleanField(default=False)),
                        ('uploaded_at', models.DateTimeField()),
                        ('camera_ready', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='proceedings.cameraready')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'decisions_camerareadyversion',
                        'ordering': ['camera_ready', 'uploaded_at', 'pk'],
                    },
                ),
                migrations.AddField(
                    model_name='cameraready',
                    name='current_version',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='proceedings.camerareadyversion'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
