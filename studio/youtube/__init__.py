"""YouTube Live over the YouTube Data API v3 (google-api-python-client): the adapter and its pure helpers."""
