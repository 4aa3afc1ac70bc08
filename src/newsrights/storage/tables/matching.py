"""Tables of the matching area."""
