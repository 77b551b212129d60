import uuid
from types import SimpleNamespace
from typing import cast
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.encoding import force_str

from haet.outbox.services import queue_rendered, text_to_html


def conference_site() -> SimpleNamespace:
    """What allauth's mails call "the site": the conference by its short name, at
    the address of SITE_URL (never the host a request happened to use)."""
    from haet.models import Conference

    conference = Conference.objects.current()
    return SimpleNamespace(
        name=conference.acronym or conference.name,
        domain=urlsplit(settings.SITE_URL).netloc,
    )


class AccountAdapter(DefaultAccountAdapter):
    def get_from_email(self) -> str:
        from haet.outbox.delivery import sender

        return sender()

    def format_email_subject(self, subject: str) -> str:
        return f"[{conference_site().name}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (verification, password reset) go through the outbox too,
        so they are delivered, retried and shown to chairs like every other mail.
        Each send is its own cause (a user may ask for a reset twice), hence the uuid
        in the key; they are essential, so no preference turns them off.
        Every one is sensitive: resets, verifications, email changes and login codes
        carry a credential, so chairs see that they were sent, never their text."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": conference_site(),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        rendered = cast(str, message.body)  # rendered from a template: text
        text, html = rendered, ""
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (
                    cast(str, body)
                    for body, kind in message.alternatives
                    if kind == "text/html"
                ),
                "",
            )
        if message.content_subtype == "html":  # allauth found only an HTML template
            text, html = "", rendered
        queue_rendered(
            to=email,
            template=template_prefix.rsplit("/", 1)[-1],
            subject=message.subject,
            body_text=text.strip() + "\n",
            body_html=html or text_to_html(text),
            dedupe_key=f"account:{template_prefix}:{uuid.uuid4()}",
            sensitive=True,
        )
