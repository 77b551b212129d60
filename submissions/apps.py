from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from haet.signals import seed_demo
        from submissions import reminders, seed, signals
        from submissions.search import terms as search_terms

        # A co-author sees the submission once their address is verified.
        email_confirmed.connect(signals.link_on_confirmation, dispatch_uid="subs-ec")
        user_logged_in.connect(signals.link_on_login, dispatch_uid="subs-login")
        seed_demo.connect(seed.seed_submissions, dispatch_uid="subs-seed")
        reminders.register()
        search_terms.register()
