"""sources.yaml loading and validation."""

from pathlib import Path

import pytest
import yaml

from crawler.sources import DEFAULT_SOURCES, SourcesError, load_sources


def write(tmp_path: Path, sources) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), "utf-8")
    return path


GOOD = {
    "name": "shafaq", "title": "شفق نيوز", "homepage": "https://shafaq.com/ar",
    "feeds": ["https://shafaq.com/rss/ar"], "sitemaps": [], "sections": [],
}


def test_shipped_sources_are_valid_and_curated():
    sources = load_sources(DEFAULT_SOURCES)
    assert len(sources) >= 12
    names = [s.name for s in sources]
    assert len(set(names)) == len(names)
    for s in sources:
        assert s.feeds or s.sitemaps or s.sections, s.name
        assert not s.allow_private_network, s.name
    # Iraqi outlets come first.
    assert [s.country for s in sources[:5]] == ["IQ"] * 5


def test_valid_entry_loads(tmp_path):
    (src,) = load_sources(write(tmp_path, [GOOD]))
    assert src.name == "shafaq" and src.feeds == ("https://shafaq.com/rss/ar",)
    assert src.owns("https://shafaq.com/ar/أمن/خبر")
    assert src.owns("https://www.shafaq.com/ar/x")
    assert not src.owns("https://evil.example/ar/x")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "Bad Name"}, "sources[0] (Bad Name): key 'name'"),
        ({"homepage": "ftp://x"}, "key 'homepage'"),
        ({"feeds": ["not a url"]}, "key 'feeds[0]'"),
        ({"feeds": "https://x.example/feed"}, "key 'feeds': expected a list"),
        ({"colour": "blue"}, "key 'colour': unknown key"),
        ({"article_url_pattern": "("}, "key 'article_url_pattern'"),
        ({"allow_private_network": "yes"}, "key 'allow_private_network'"),
        ({"title": ""}, "key 'title': required"),
    ],
)
def test_bad_entry_names_entry_and_key(tmp_path, change, message):
    with pytest.raises(SourcesError) as err:
        load_sources(write(tmp_path, [GOOD | change]))
    assert message in str(err.value)


def test_duplicate_names_and_unknown_selection(tmp_path):
    with pytest.raises(SourcesError, match="duplicate name"):
        load_sources(write(tmp_path, [GOOD, GOOD]))
    with pytest.raises(SourcesError, match="no source named nope"):
        load_sources(write(tmp_path, [GOOD]), ["nope"])


def test_not_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [\n", "utf-8")
    with pytest.raises(SourcesError, match="not valid YAML"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "missing.yaml")
