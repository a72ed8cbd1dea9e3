"""Identities from linkage, link review, the repeat-suspect register, priority and disruption."""
