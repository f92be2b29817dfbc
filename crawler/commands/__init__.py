"""Scrapy commands of the project (COMMANDS_MODULE): `crawl` with Arshif's exit codes."""
