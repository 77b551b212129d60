"""Reviewing: the reviewer pool, conflicts, bids, affinity, assignments and reviews.

One module per concept; every model is imported here so `from reviews.models import X`
works and Django finds them all (a new concept module goes in the imports and
`__all__` below).

- `review_settings`: `ReviewSettings`, the review policy as data, one row per
  conference.
- `pool`: `Invitation` → a person joins the pool; `ReviewerProfile` says what they know.
- `publications`: `ReviewerPublication`, a reviewer's own paper, imported from a
  publication list they uploaded (`reviews.expertise_profile`).
- `conflicts`: `Conflict`, *stored* conflict facts only (reviewer- or chair-declared,
  and waivers of any kind). Detected conflicts (author-declared, same domain, is an
  author, co-author) are computed on the fly by `reviews.conflicts`, the ONE place that
  answers "is this user conflicted with this submission"; `ConflictLog` keeps what
  chairs did.
- `area_chairs`: `AreaChairSettings`, `AreaChairAssignment` (one area chair per
  submission), `AreaChairInvitation`.
- `bidding`, `affinity`: `Bid`, `AffinityScore` feed the solver.
- `assignment`: `Assignment`, and `AssignmentRun`, a proposal chairs inspect before
  deploying it into `Assignment` rows.
- `delegation`: `Delegation` (a sub-reviewer writes an assigned review),
  `DelegationComment`, `EmergencyInvitation` (a late reviewer for a submission
  short of reviews).
- `reviewing`: `ReviewForm`/`ReviewQuestion` are data chairs edit; a `Review` stores its
  answers keyed by question, with `score`/`confidence` denormalized for fast
  statistics; `ReviewNomination`; `DiscussionPost`, the reviewers' and chairs'
  discussion of a submission.

State changes go through the concept modules one level up (`reviews.pool`,
`reviews.bidding`, `reviews.assigning`, `reviews.reviewing`, ...); reads are QuerySet
methods here.
"""

from reviews.models.affinity import AffinityScore
from reviews.models.area_chairs import (
    AreaChairAssignment,
    AreaChairInvitation,
    AreaChairSettings,
)
from reviews.models.assignment import Assignment, AssignmentRun
from reviews.models.bidding import Bid
from reviews.models.conflicts import (
    DETECTED_SOURCES,
    UNWAIVABLE_SOURCES,
    Conflict,
    ConflictLog,
    ConflictSource,
)
from reviews.models.delegation import (
    Delegation,
    DelegationComment,
    EmergencyInvitation,
)
from reviews.models.pool import Invitation, ReviewerProfile, new_token
from reviews.models.publications import ReviewerPublication
from reviews.models.ratings import ListingConsent, Recognition, ReviewRating
from reviews.models.responses import (
    AuthorResponse,
    ResponseWindow,
    ReviewAfterResponse,
)
from reviews.models.review_settings import (
    PUBLIC_MAIL_DOMAINS,
    ReviewSettings,
    parse_domains,
)
from reviews.models.reviewing import (
    CONFIDENCE_CHOICES,
    DEFAULT_QUESTIONS,
    OVERALL_SCORE_CHOICES,
    DiscussionPost,
    Review,
    ReviewForm,
    ReviewNomination,
    ReviewQuestion,
)

__all__ = [
    "CONFIDENCE_CHOICES",
    "DEFAULT_QUESTIONS",
    "DETECTED_SOURCES",
    "OVERALL_SCORE_CHOICES",
    "PUBLIC_MAIL_DOMAINS",
    "UNWAIVABLE_SOURCES",
    "AffinityScore",
    "AreaChairAssignment",
    "AreaChairInvitation",
    "AreaChairSettings",
    "Assignment",
    "AssignmentRun",
    "AuthorResponse",
    "Bid",
    "Conflict",
    "ConflictLog",
    "ConflictSource",
    "Delegation",
    "DelegationComment",
    "DiscussionPost",
    "EmergencyInvitation",
    "Invitation",
    "ListingConsent",
    "Recognition",
    "ResponseWindow",
    "Review",
    "ReviewAfterResponse",
    "ReviewForm",
    "ReviewNomination",
    "ReviewQuestion",
    "ReviewRating",
    "ReviewSettings",
    "ReviewerProfile",
    "ReviewerPublication",
    "new_token",
    "parse_domains",
]
