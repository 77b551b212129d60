from django.views.generic import TemplateView

from api.docs import endpoints


class DocsView(TemplateView):
    """/api/docs/: every endpoint with its parameters and fields, from the schema."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["info"], context["endpoints"] = endpoints()
        return context
