"""The Data Protection Act 2018 s.62 log: append-only, hash-chained."""
