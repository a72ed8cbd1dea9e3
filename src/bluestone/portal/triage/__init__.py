"""Triage (staff side): online reports waiting, callbacks, and turning a report into a case or intelligence."""
