"""Console widgets, grouped by the screen area they belong to."""
