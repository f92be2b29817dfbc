"""`python -m crawler.cli`: the `arshif` command."""

from crawler.cli import main

main()
