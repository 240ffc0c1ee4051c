"""Learning a ranking from coordinators' decisions: features, training, evaluation against the
hand-set weights, versioned models in PostgreSQL, and the ranking the matcher applies."""
