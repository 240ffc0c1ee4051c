"""Learning a ranking from coordinators' decisions: features, training, evaluation against the
hand-set weights, versioned models in PostgreSQL, and the ranking the matcher applies. Part of
the matcher, which runs its job: it uses the matcher's domain, settings and tables, never its
runtime."""
