"""What the award pages share: the award a URL names."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from awards.models import AwardSettings
from haet.models import AwardCategory
from haet.views import current_conference


def get_award(request, slug: str) -> AwardCategory:
    """The award of the current conference with its settings and jury."""
    found = get_object_or_404(
        AwardSettings.objects.select_related("award").prefetch_related("jury"),
        slug=slug,
        award__conference=current_conference(request),
    )
    award = found.award
    award.award_settings = found
    found.award = award
    return award


class AwardMixin:
    """Resolves `slug` to `self.award` (404 if unknown)."""

    @cached_property
    def award(self) -> AwardCategory:
        return get_award(self.request, self.kwargs["slug"])

    @property
    def award_settings(self) -> AwardSettings:
        return self.award.award_settings

    def get_permission_object(self):
        return self.award
