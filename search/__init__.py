"""Search interface with PostgreSQL full-text and Elasticsearch backends. Arrives with the
community issue."""
