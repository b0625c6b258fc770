"""The access log tests start from the person page's tenant, person and coach."""

from tests.people.conftest import coach, person, tenant  # noqa: F401 - fixtures
