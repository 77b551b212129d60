"""The reviewing side's URLs, included into the `reviews` namespace."""

from django.urls import path

from reviews.reviewing import views

urlpatterns = [
    # Reviewers: one page per assignment, keyed by the paper number.
    path("<int:number>/", views.AssignmentView.as_view(), name="submission"),
    path(
        "<int:number>/review/",
        views.AssignmentView.as_view(http_method_names=["post"]),
        name="review",
    ),
    path("<int:number>/paper/", views.PaperView.as_view(), name="paper"),
    path(
        "<int:number>/supplementary/",
        views.SupplementaryView.as_view(),
        name="supplementary",
    ),
    path(
        "<int:number>/discussion/",
        views.DiscussionPostView.as_view(),
        name="discussion",
    ),
    # Chairs
    path("chair/reviews/", views.ChairReviewListView.as_view(), name="chair-reviews"),
    path(
        "chair/reviews/<int:number>/",
        views.ChairSubmissionView.as_view(),
        name="chair-submission",
    ),
    path("chair/review-form/", views.ReviewFormEditView.as_view(), name="review-form"),
]
