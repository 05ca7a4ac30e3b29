"""Logic package of the dashboard: data contracts, loading, URL state, strings and transforms."""
