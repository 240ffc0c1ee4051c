"""HTTP API: sign-in, postings of schools and providers, CSV offer import, public catalogue."""
