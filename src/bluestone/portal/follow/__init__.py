"""Follow my case: a victim's sign-in with a one-time code, their updates, messages and preferences."""
