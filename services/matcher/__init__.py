"""The matching engine: scores open needs against open offers and publishes suggestions."""
