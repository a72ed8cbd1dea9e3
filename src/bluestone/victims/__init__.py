"""The Victims' Code engine, victim profiles, contact plans and log, withdrawal, notifications."""
