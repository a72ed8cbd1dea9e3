"""Identity resolution: person records in, identities out (Splink). Framework-free: never imports Django."""
