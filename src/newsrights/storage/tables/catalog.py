"""Tables of the catalog area."""
