"""What the audit log (haet.audit) records of the reviewing models the first
registrations (reviews/apps.py `audit_models`) did not cover: the pool and its
invitations, profiles, bids, delegation and emergency reviewers, author responses,
ratings and the chairs' settings. Tokens are redacted by their field's name
(haet.audit.chain.is_secret). Derived or history rows are exempt, with the reason,
in tests/audit/test_coverage.py."""

from typing import Any

from haet.audit.registry import fields_of, register_audited, register_audited_m2m
from reviews import models as m


def own(obj: Any) -> int:
    return obj.submission_id


def of_review(obj: Any) -> int:
    return obj.review.assignment.submission_id


def register() -> None:
    # The chairs' settings and forms: no submission.
    for model, name in [
        (m.ReviewSettings, "review_settings"),
        (m.AreaChairSettings, "area_chair_settings"),
        (m.ResponseWindow, "response_window"),
        (m.ReviewForm, "review_form"),
        (m.ReviewQuestion, "review_question"),
        (m.Recognition, "recognition"),
    ]:
        register_audited(model, name=name, fields=fields_of(model))
    # People: invitations to the pool, their profiles and consents.
    for model, name in [
        (m.Invitation, "reviewer_invitation"),
        (m.AreaChairInvitation, "area_chair_invitation"),
        (m.ReviewerProfile, "reviewer_profile"),
        (m.ListingConsent, "listing_consent"),
    ]:
        register_audited(model, name=name, fields=fields_of(model))
    register_audited_m2m(m.ReviewerProfile, "topics")
    register_audited(
        m.ReviewerPublication,
        name="reviewer_publication",
        fields=["reviewer", "source", "title", "year", "filename"],  # not the text
    )
    # About one submission.
    register_audited(m.Bid, name="bid", fields=["reviewer", "value"], submission=own)
    register_audited(
        m.EmergencyInvitation,
        name="emergency_invitation",
        fields=fields_of(m.EmergencyInvitation, exclude=["submission"]),
        submission=own,
        verb=lambda before, after: after.get("status"),
    )
    register_audited(
        m.AuthorResponse,
        name="author_response",
        fields=fields_of(m.AuthorResponse, exclude=["submission"]),
        submission=own,
        verb=lambda before, after: after.get("state"),
    )
    register_audited(
        m.Delegation,
        name="delegation",
        fields=[*fields_of(m.Delegation, exclude=["assignment"]), "assignment"],
        submission=lambda delegation: delegation.assignment.submission_id,
        verb=lambda before, after: after.get("status"),
    )
    register_audited(
        m.DelegationComment,
        name="delegation_comment",
        fields=fields_of(m.DelegationComment),
        submission=lambda comment: comment.delegation.assignment.submission_id,
    )
    for model, name in [
        (m.ReviewRating, "review_rating"),
        (m.ReviewAfterResponse, "review_after_response"),
        (m.ReviewNomination, "review_nomination"),
    ]:
        register_audited(
            model, name=name, fields=fields_of(model), submission=of_review
        )
