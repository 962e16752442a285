"""Fixtures for the workspace tests: the catalog's organisation, column and staff (tests.catalog.factories)."""

from tests.catalog.factories import column, org, staff  # noqa: F401 — fixtures for every test here
