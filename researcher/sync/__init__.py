"""Feed synchronisation: fetch, parse, store (the news issue builds it)."""
