"""A cheap Argon2 for the test settings only (bluestone.settings.test).

Production hashes with Django's Argon2 defaults (bluestone.settings.base): about a tenth of a second
of CPU and 100 MB for each password, portal code or check word, on purpose. The test suite hashes
and checks several thousand of them; with the same algorithm at the smallest costs Argon2 allows,
every sign-in still goes through Argon2 (the same code, the same hash format) in under a millisecond.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with one pass over 64 KiB in one lane. Never for real passwords."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
