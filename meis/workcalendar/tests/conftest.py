import pytest

from meis.workcalendar.selectors import national_calendar_invalidate


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test sees the calendar of its own database (rolled-back overrides included)."""
    national_calendar_invalidate()
    yield
    national_calendar_invalidate()
