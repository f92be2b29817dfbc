"""Build shim: scrapyd-deploy runs `python setup.py bdist_egg`; pyproject.toml holds it all."""

from setuptools import setup

setup()
