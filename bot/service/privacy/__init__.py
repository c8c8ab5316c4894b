"""A customer's data on request: found in every store, exported whole, erased without losing report counts."""
