"""pipelines.entries: the checks sources.yaml and topics.yaml entries share."""

import pytest

from pipelines.entries import (
    check_keys,
    check_unique_names,
    entry_where,
    is_name,
    is_number,
    is_string_list,
    is_whole,
    read_yaml,
)


class ListError(ValueError):
    pass


def test_entry_label_names_the_entry_and_refuses_non_mappings():
    assert entry_where(ListError, "things", {"name": "a"}, 2) == "things[2] (a)"
    assert entry_where(ListError, "things", {"name": 3}, 0) == "things[0]"
    with pytest.raises(ListError, match=r"^things\[1\]: expected a mapping, got list$"):
        entry_where(ListError, "things", [], 1)


def test_unknown_and_duplicate_keys_are_named():
    check_keys(ListError, "w", {"a": 1}, {"a", "b"})
    with pytest.raises(ListError, match=r"^w: key 'g.c': unknown key \(known: a, b\)$"):
        check_keys(ListError, "w", {"d": 1, "c": 2}, {"b", "a"}, prefix="g.")
    check_unique_names(ListError, "things", ["a", "b"])
    with pytest.raises(ListError, match=r"^things\[2\] \(a\): key 'name': duplicate name$"):
        check_unique_names(ListError, "things", ["a", "b", "a"])


def test_value_checks():
    assert is_name("shafaq-news_2") and not is_name("Shafaq") and not is_name(3)
    assert is_number(2.5) and is_number(-1) and not is_number(True) and not is_number("1")
    assert is_whole(1, 1) and not is_whole(0, 1) and not is_whole(True, 0) and not is_whole(1.0, 1)
    assert is_string_list([]) and is_string_list(["a"]) and not is_string_list(["a", 1])
    assert not is_string_list("a")


def test_read_yaml_names_the_file(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("a: [1, 2]\n", encoding="utf-8")
    assert read_yaml(ListError, str(good)) == {"a": [1, 2]}
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(ListError, match="bad.yaml: not valid YAML"):
        read_yaml(ListError, bad)
    with pytest.raises(ListError, match="missing.yaml: cannot read"):
        read_yaml(ListError, tmp_path / "missing.yaml")
