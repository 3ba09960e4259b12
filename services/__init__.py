"""The center: Redis ingest, store, search and the FastAPI control room."""
