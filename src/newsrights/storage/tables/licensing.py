"""Tables of the licensing area."""
