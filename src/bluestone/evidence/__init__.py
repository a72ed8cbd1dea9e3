"""Exhibits and continuity, digital and third-party requests, the phone return clock, SARC samples."""
