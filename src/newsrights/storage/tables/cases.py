"""Tables of the cases area."""
