"""Deliberately empty: the audit log is not in the admin site, where entries could be edited.

Auditors read it through their own screens (`bluestone.audit.selectors`), which are themselves logged.
"""
