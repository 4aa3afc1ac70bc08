"""Tables of the accounts area."""
