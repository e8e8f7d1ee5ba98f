"""A ledger that request threads share."""
