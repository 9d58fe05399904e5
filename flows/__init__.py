"""Composition: HTTP, settings, Prefect flows and the CLI. The only place that does I/O over
the network."""
