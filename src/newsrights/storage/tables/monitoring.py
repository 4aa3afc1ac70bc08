"""Tables of the monitoring area."""
