from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haet.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun

        from haet.audit import registrations, tasks

        task_prerun.connect(tasks.bind_task, dispatch_uid="audit-task-prerun")
        task_postrun.connect(tasks.unbind_task, dispatch_uid="audit-task-postrun")
        registrations.register_haet_models()
