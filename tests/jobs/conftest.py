import pytest

from haet.jobs import services
from tests.decisions.conftest import _eager_celery, committed, world  # noqa: F401 - fixtures
from tests.reviews.conftest import login, make_reviewer, topics  # noqa: F401 - fixtures


@pytest.fixture
def kind():
    """A job kind of the tests' own, removed afterwards: `kind(run, **options)`."""
    names = []

    def register(run, **options):
        name = f"tests.kind{len(names)}"
        names.append(name)
        options.setdefault("title", "A test job")
        return services.register_job_kind(name, run=run, **options)

    yield register
    for name in names:
        services._KINDS.pop(name, None)
