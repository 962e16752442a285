"""The catalog tests' fixtures: an organisation, its column, one member per role (tests.catalog.factories)."""

from tests.catalog.factories import column, org, staff  # noqa: F401 — fixtures for every test here
