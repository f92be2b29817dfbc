"""Feed exports (`scrapy crawl news -O FILE`): the article as the archive stores it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scrapy.exporters import CsvItemExporter
from scrapy.item import Field


class ArticleCsvItemExporter(CsvItemExporter):
    """CSV whose list and dict cells (topics, tags…) are JSON, as in the archive, not repr()."""

    def serialize_field(self, field: Mapping[str, Any] | Field, name: str, value: Any) -> Any:
        """JSON for lists and dicts; Scrapy's CSV serialisation for the rest."""
        if isinstance(value, list | tuple | dict):
            return json.dumps(value, ensure_ascii=False)
        return super().serialize_field(field, name, value)
