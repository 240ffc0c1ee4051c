"""One router per area; ``services.api.app`` includes them all."""
