from typing import Any

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from haet.signals import seed_demo
        from reviews import (  # noqa: F401
            area_chairs,
            conflicts,
            reminders,
            rules,
            search_terms,
            seed,
        )

        # Order matters: assignments first, then the reviews written on them (the
        # decisions app, loaded later, then decides on those reviews).
        seed_demo.connect(seed.seed_reviews, dispatch_uid="reviews-seed")
        seed_demo.connect(seed.seed_demo_reviews, dispatch_uid="reviews-demo-reviews")
        seed_demo.connect(
            seed.seed_author_response, dispatch_uid="reviews-author-response"
        )
        from reviews.area_chair_seed import seed_area_chairs

        seed_demo.connect(seed_area_chairs, dispatch_uid="reviews-area-chairs")
        _audit_area_chairs()
        from reviews.seed_delegation import seed_demo_delegation

        seed_demo.connect(seed_demo_delegation, dispatch_uid="reviews-delegation")
        from reviews.seed_emergency import seed_emergency_reviewer

        seed_demo.connect(seed_emergency_reviewer, dispatch_uid="reviews-emergency")
        reminders.register()
        from reviews import jobs

        jobs.register()
        search_terms.register()
        from reviews.views.responses import response_panel
        from submissions.panels import register_panel

        register_panel("author_response", response_panel)
        audit_models()


def audit_models() -> None:
    """What the audit log records of this app (haet.audit)."""
    from haet.audit.registry import register_audited
    from reviews import models as m

    def own(obj: Any) -> int:
        return obj.submission_id

    register_audited(
        m.Assignment,
        name="assignment",
        fields=["reviewer", "source", "run", "assigned_by", "due_at"],
        submission=own,
    )
    register_audited(
        m.Review,
        name="review",
        fields=["answers", "score", "confidence", "state", "submitted_at"],
        submission=lambda review: review.assignment.submission_id,
        verb=lambda before, after: after.get("state"),
    )
    register_audited(
        m.Conflict,
        name="conflict",
        fields=["user", "source", "reason", "created_by", "is_waived", "waived_by"],
        submission=own,
        verb=lambda before, after: "waived" if after.get("is_waived") else None,
    )
    register_audited(
        m.DiscussionPost, name="discussion", fields=["author", "body"], submission=own
    )
    from reviews import audited

    audited.register()  # the pool, bids, delegation, responses, ratings, settings


def _audit_area_chairs() -> None:
    """Who oversees a submission, in the audit log (haet.audit)."""
    from haet.audit.registry import register_audited
    from reviews.models import AreaChairAssignment

    register_audited(
        AreaChairAssignment,
        name="area_chair_assignment",
        fields=["area_chair", "source", "assigned_by"],
        submission=lambda assignment: assignment.submission_id,
    )
