"""The `arshif` commands: thin functions over the crawler, the pipelines and the archive."""

from crawler.cli.app import cli, main

__all__ = ["cli", "main"]
