"""Test data, built with factory-boy: one place that knows how to make a person, a
submission, a declared conflict, a review.

Each factory writes rows straight to the database, as the hand builders it replaced
did: tests of permissions, lists and services need a world quickly, and the tests of
the submission and review flows drive the real services themselves. Where the app
keeps an invariant outside the model (a user's verified address and role, a
submission's author rows and contact), the factory keeps it too.

    UserFactory(email="a@x.example", name="Ada", role="chair")
    ReviewerFactory.create_batch(3)             # distinct people, distinct domains
    SubmissionFactory(number=1, contact=ada, authors=[("Bo", "bo@x", "Lab")])
    SubmissionFactory(contact=ada, uploaded=True, authors=[cora])  # with a PDF
    DeclaredConflictFactory(submission=s, value="example.org", kind=...)
    ReviewFactory(assignment=a, score=2, originality=3)
"""

import hashlib
from datetime import UTC, datetime

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from haet import clock
from haet.models import Conference, User
from haet.services import set_role
from reviews.models import Review
from submissions.models import Author, DeclaredConflict, Submission, SubmissionVersion

PASSWORD = "correct horse battery staple"
REVIEWED_AT = datetime(2022, 6, 8, tzinfo=UTC)


class UserFactory(DjangoModelFactory):
    """A person who can sign in with PASSWORD through a verified address; `role`
    ("chair", "reviewer") is granted as the app grants it."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = ""
    affiliation = ""
    role = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role = kwargs.pop("role")
        email = kwargs.pop("email")
        user = model_class.objects.create_user(email, PASSWORD, **kwargs)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if role:
            set_role(user, role, granted=True)
        return user


class ReviewerFactory(UserFactory):
    """A reviewer at an institution of their own (no two share a mail domain, so
    none is conflicted with another's papers by domain)."""

    email = factory.Sequence(lambda n: f"r{n}@rev{n}.example.net")
    name = factory.Sequence(lambda n: f"Reviewer Person {n}")
    role = "reviewer"


def _next_number(stub) -> int:
    return Submission.objects.count() + 1


class SubmissionFactory(DjangoModelFactory):
    """A submission of the current conference, its contact listed as first author.

    `authors`: further authors, each a User or a (name, email, affiliation) tuple;
    `topics`: Topic objects. `uploaded=True` gives what an author who went through
    the form leaves behind: submitted at the clock's now, the main-conference box
    ticked, the first topic, and a checked PDF with its reviewer copy."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    class Params:
        uploaded = factory.Trait(
            submitted_at=factory.LazyAttribute(
                lambda s: clock.now() if s.state == Submission.State.SUBMITTED else None
            ),
            not_accepted_at_main=True,
            title="Sparse Training at Scale",
            abstract="We train with less energy.",
            with_pdf=True,
            first_topic=True,
        )

    conference = factory.LazyFunction(Conference.objects.current)
    number = factory.LazyAttribute(_next_number)
    title = factory.LazyAttribute(
        lambda s: f"Efficient training method number {s.number}"
    )
    abstract = "We train networks with less energy."
    keywords = ""
    state = Submission.State.SUBMITTED
    contact = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("contact")
    with_pdf = False  # not fields: _create takes them out
    first_topic = False

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        people = [self.contact, *(extracted or ())]
        for order, person in enumerate(people):
            if hasattr(person, "email"):
                row = (person.name, person.email, person.affiliation, person)
            else:
                row = (*person, None)
            name, email, affiliation, user = row
            Author.objects.create(
                submission=self,
                order=order,
                name=name,
                email=email,
                affiliation=affiliation,
                user=user,
            )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with_pdf = kwargs.pop("with_pdf")
        first_topic = kwargs.pop("first_topic")
        submission = super()._create(model_class, *args, **kwargs)
        if first_topic:
            submission.topics.set(submission.conference.topics.all()[:1])
        if with_pdf:
            attach_checked_pdf(submission)
        return submission


def attach_checked_pdf(submission: Submission) -> SubmissionVersion:
    """A version that passed the checks (no PDF parsing: the bytes only need to be
    distinct per submission), with its reviewer copy, made current."""
    data = b"%PDF-1.4 demo " + str(submission.number).encode() + b"\n%%EOF\n"
    version = SubmissionVersion(
        submission=submission,
        original_filename="mine.pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=5,
        main_body_pages=4,
        check_report={"ok": True, "errors": [], "warnings": []},
        uploaded_by=submission.contact,
        uploaded_at=clock.now(),
    )
    version.original.save("x.pdf", ContentFile(data), save=False)
    version.reviewer_copy.save("x.pdf", ContentFile(data + b"copy"), save=False)
    version.save()
    submission.current_version = version
    submission.save()
    return version


class DeclaredConflictFactory(DjangoModelFactory):
    """A conflict the authors declared (a person's address by default), by the
    submission's contact, before the deadline."""

    class Meta:
        model = DeclaredConflict

    kind = DeclaredConflict.Kind.PERSON
    declared_by = factory.SelfAttribute("submission.contact")
    declared_at = datetime(2022, 5, 1, tzinfo=UTC)


class ReviewFactory(DjangoModelFactory):
    """A review of an assignment; extra keyword arguments are answers to the form's
    questions. `submitted=False` leaves a draft."""

    class Meta:
        model = Review

    class Params:
        submitted = True

    score = None
    confidence = 3
    state = factory.LazyAttribute(
        lambda r: Review.State.SUBMITTED if r.submitted else Review.State.DRAFT
    )
    submitted_at = factory.LazyAttribute(lambda r: REVIEWED_AT if r.submitted else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        fields = {f.name for f in model_class._meta.get_fields()} | {"assignment_id"}
        answers = {k: kwargs.pop(k) for k in list(kwargs) if k not in fields}
        kwargs["answers"] = {
            "score": kwargs.get("score"),
            "confidence": kwargs.get("confidence"),
            **answers,
        }
        return super()._create(model_class, *args, **kwargs)
