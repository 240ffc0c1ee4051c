"""What every Schakel service shares: contracts, settings, database, outbox/inbox, taxonomy."""
