"""Bluestone: investigations of rape and serious sexual offences, on the Soteria Bluestone model."""

__version__ = "0.1.0"
