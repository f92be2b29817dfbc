"""Topics: topics.yaml validation, explainable matching, the Scrapy stage and the archive view."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from archive.arabic import stem, tokenize
from archive.schema import connect
from archive.store import save_article, save_sources
from pipelines.items import PageItem
from pipelines.topic_definitions import DEFAULT_TOPICS, TopicsError, load_topics, parse_topics
from pipelines.topics import TopicPipeline, article_stems, match_topics, score_topics
from tests.conftest import REPO

ROOT = REPO


def doc(**topic: Any) -> dict[str, Any]:
    """A one-topic document; keyword arguments replace keys of a small valid topic."""
    base: dict[str, Any] = {
        "name": "t",
        "version": 1,
        "min_score": 3,
        "groups": {
            "names": {"weight": 3, "repeat": 2, "terms": ["داعش", "تنظيم الدولة",
                                                         "الدولة الإسلامية"]},
            "places": {"weight": 1, "cap": 2, "terms": ["كركوك", "ديالى", "الموصل"]},
            "media": {"weight": 1, "requires": ["names"], "terms": ["تلغرام"]},
            "exclude": {"weight": -4, "terms": ["إدلب"]},
        },
        "require_any": [["names", "places"]],
    }
    base.update(topic)
    return {"version": 1, "topics": [base]}


@pytest.fixture
def small() -> list:
    return parse_topics(doc())


def only(matches: list) -> Any:
    assert len(matches) == 1
    return matches[0]


# --- loader ---------------------------------------------------------------------------------


def test_shipped_topics_load_and_are_versioned() -> None:
    raw = yaml.safe_load(DEFAULT_TOPICS.read_text("utf-8"))
    assert isinstance(raw["version"], int)
    topics = {t.name: t for t in load_topics()}
    isis = topics["isis-iraq"]
    assert isis.version >= 1 and isis.min_score > 0 and isis.require_any
    written = {t.text for t in isis.terms}
    assert {"داعش", "تنظيم الدولة", "الخلايا النائمة", "حمرين", "عبوة ناسفة", "تلغرام",
            "حظر التجوال"} <= written
    assert "ولاية" not in written  # generic on its own: only ولاية العراق, ولاية كركوك ...


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"topics": []}, "key 'version'"),
        ({"version": 1}, "expected a top-level 'topics:' list"),
        ({"version": 1, "topics": []}, "'topics:' is empty"),
        ({"version": 1, "topics": ["x"]}, r"topics\[0\]: expected a mapping"),
        (doc(colour="red"), r"topics\[0\] \(t\): key 'colour': unknown key"),
        (doc(name="Bad Name"), "key 'name'"),
        (doc(version=0), "key 'version'"),
        (doc(min_score="high"), "key 'min_score'"),
        (doc(groups={}), "key 'groups'"),
        (doc(groups={"g": {"weight": 1, "terms": []}}), "key 'groups.g.terms'"),
        (doc(groups={"g": {"weight": 0, "terms": ["داعش"]}}), "key 'groups.g.weight'"),
        (doc(groups={"g": {"weight": True, "terms": ["داعش"]}}), "key 'groups.g.weight'"),
        (doc(groups={"g": {"weight": 1, "repeat": 0, "terms": ["داعش"]}}),
         "key 'groups.g.repeat'"),
        (doc(groups={"g": {"weight": 1, "cap": -1, "terms": ["داعش"]}}), "key 'groups.g.cap'"),
        (doc(groups={"g": {"weight": 1, "terms": ["داعش"], "colour": 1}}),
         "key 'groups.g.colour': unknown key"),
        (doc(groups={"g": {"weight": 1, "terms": ["داعش", "«»"]}}),
         r"key 'groups.g.terms\[1\]': '«»' has no letters"),
        (doc(groups={"g": {"weight": 1, "requires": ["nope"], "terms": ["داعش"]}}),
         "key 'groups.g.requires': no other group named 'nope'"),
        (doc(groups={"g": {"weight": -1, "terms": ["داعش"]}}), "positive weight"),
        (doc(require_any=[["names", "nope"]]), r"key 'require_any\[0\]': no group named 'nope'"),
        (doc(require_any=[["exclude"]]), "is an exclusion"),
        (doc(require_any="names"), "key 'require_any'"),
    ],
)
def test_invalid_topics_name_the_entry_and_key(data: dict, message: str) -> None:
    with pytest.raises(TopicsError, match=message):
        parse_topics(data)


def test_terms_that_stem_alike_are_rejected_as_duplicates() -> None:
    groups = {"a": {"weight": 1, "terms": ["الدولة الإسلامية"]},
              "b": {"weight": 1, "terms": ["الدَّولة الإسلاميّة"]}}
    with pytest.raises(TopicsError, match=r"groups.b.terms\[0\].*same words as 'الدولة"):
        parse_topics(doc(groups=groups, require_any=None))


def test_duplicate_topic_names_and_bad_files(tmp_path: Path) -> None:
    data = doc()
    data["topics"].append(dict(data["topics"][0]))
    with pytest.raises(TopicsError, match=r"topics\[1\] \(t\): key 'name': duplicate name"):
        parse_topics(data)
    bad = tmp_path / "topics.yaml"
    bad.write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(TopicsError, match="not valid YAML"):
        load_topics(bad)
    with pytest.raises(TopicsError, match="cannot read"):
        load_topics(tmp_path / "missing.yaml")


# --- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("قالت المصادر إن خلايا وداعش تنشط قرب كركوك", "داعش"),
        ("في بيان لـ«داعش» نشر قرب كركوك", "داعش"),
        ("هجوم لـداعــــش في كركوك", "داعش"),
        ("اعتقال متهم بالانتماء بتنظيم الدولة في كركوك", "تنظيم الدولة"),
        ("عناصر من الدَّولة الإسلاميّة في كركوك", "الدولة الإسلامية"),
        ("عناصر من الدولة الاسلاميه في كركوك", "الدولة الإسلامية"),
    ],
)
def test_matching_ignores_spelling_and_prefixes(small: list, text: str, term: str) -> None:
    match = only(match_topics("", None, text, small))
    assert match.terms == {term: 1, "كركوك": 1}


def test_article_stems_are_the_search_stems() -> None:
    text = "أعلنت خلية الإعلام الأمني، اليوم، مقتل «إرهابيين» في كركوك.\nوقال المصدر: لا إصابات"
    assert [s for s in article_stems(text) if s] == [stem(t) for t in tokenize(text)]


def test_phrases_need_consecutive_tokens_in_one_sentence(small: list) -> None:
    assert match_topics("", None, "تنظيم قوي في الدولة. الموصل وكركوك", small) == []
    assert match_topics("", None, "إعادة تنظيم. الدولة في الموصل وكركوك", small) == []
    # A title and the text are separate: no phrase across them either.
    assert match_topics("خطة تنظيم", None, "الدولة في الموصل وكركوك", small) == []
    assert match_topics("", None, "تنظيم الدولة في الموصل", small)


def test_longest_term_wins_at_a_position() -> None:
    groups = {"names": {"weight": 3, "terms": ["تنظيم الدولة", "تنظيم الدولة الإسلامية",
                                               "الدولة الإسلامية"]}}
    (topic,) = parse_topics(doc(groups=groups, require_any=None))
    match = only(match_topics("", None, "تبنى تنظيم «الدولة الإسلامية» الهجوم", [topic]))
    assert match.terms == {"تنظيم الدولة الإسلامية": 1}


def test_score_explains_terms_with_counts_repeat_and_cap(small: list) -> None:
    text = "داعش في كركوك. داعش في ديالى. داعش في الموصل. هاجم داعش."
    match = only(match_topics("", None, text, small))
    assert match.terms == {"داعش": 4, "كركوك": 1, "ديالى": 1, "الموصل": 1}
    # names: 3 × min(4, repeat 2) = 6; places: 3 × 1 capped at 2.
    assert match.groups == {"names": 6, "places": 2}
    assert match.score == 8 and match.rule == "names+places"
    assert match.as_dict() == {"topic": "t", "version": 1, "score": 8,
                               "terms": {"داعش": 4, "كركوك": 1, "ديالى": 1, "الموصل": 1}}


def test_co_terms_only_count_next_to_their_group(small: list) -> None:
    (alone,) = score_topics("", None, "قنوات على تلغرام في كركوك", small)
    assert alone.terms == {"كركوك": 1} and not alone.matched
    match = only(match_topics("", None, "قنوات داعش على تلغرام في كركوك", small))
    assert match.terms == {"داعش": 1, "تلغرام": 1, "كركوك": 1} and match.score == 5


def test_exclusions_subtract_and_are_reported(small: list) -> None:
    (result,) = score_topics("", None, "داعش في إدلب، وقال مصدر في كركوك", small)
    assert not result.matched
    assert result.excluded == {"إدلب": 1} and result.score == 0
    assert "excluded" in result.as_dict()
    assert result.why_not() == "best score 0 < 3 (t)"


def test_rule_must_hold_even_above_min_score(small: list) -> None:
    (result,) = score_topics("", None, "داعش داعش داعش", small)  # no place
    assert result.score == 6 and not result.matched
    assert result.why_not() == "best score 6 but no require_any rule met (t)"


# --- the shipped topic on typical cases -----------------------------------------------------

ON_TOPIC = (
    "أعلنت خلية الإعلام الأمني مقتل أربعة من عناصر تنظيم داعش في ضربة جوية على وادي الشاي "
    "جنوب كركوك. وقالت إن القوات تواصل عمليات التفتيش في حمرين لملاحقة فلول داعش."
)


def test_shipped_topic_matches_an_isis_story_and_says_why() -> None:
    match = only(match_topics("مقتل أربعة من داعش جنوب كركوك", None, ON_TOPIC))
    assert match.topic == "isis-iraq"
    assert match.terms["داعش"] == 3 and match.terms["وادي الشاي"] == 1
    # Terms are reported as written in topics.yaml, whatever form the text used.
    assert {"حمرين", "خلية الإعلام الأمني", "عمليات تفتيش", "كركوك"} <= set(match.terms)


@pytest.mark.parametrize(
    "text",
    [
        # A passing mention in a reconstruction story.
        "أعلنت يونسكو قرب إكمال إعمار جامع النوري في الموصل بعد أن فجره داعش عام 2017، "
        "وقالت إن المشروع وفر فرص عمل لمئات من شباب المدينة.",
        # "الدول الإسلامية" stems like "الدولة الإسلامية".
        "دعا وزير الخارجية العراقي الدول الإسلامية إلى موقف موحد، وقال إن الدول الإسلامية "
        "مطالبة بالتحرك، في اجتماع حضرته الدول الإسلامية في جدة.",
        # The group in Syria with no Iraqi angle.
        "أعلنت قسد اعتقال خلية لداعش في دير الزور، وقالت إن عناصر داعش اغتالوا وجهاء.",
        # COVID-only news in an ISIS-affected province.
        "مددت خلية الأزمة في كركوك حظر التجوال بسبب كورونا، وسجلت صحة كركوك إصابات جديدة.",
    ],
)
def test_shipped_topic_rejects_hard_negatives(text: str) -> None:
    assert match_topics("", None, text) == []


def test_eval_set_meets_the_targets() -> None:
    sys.path.insert(0, str(ROOT / "eval"))
    try:
        from topics_eval import HERE, load_cases
    finally:
        sys.path.remove(str(ROOT / "eval"))
    cases = load_cases(HERE / "articles.yaml")
    assert len(cases) >= 60
    tp = fp = fn = 0
    for case in cases:
        got = bool(match_topics(case["title"], case["description"], case["text"]))
        gold = case["label"] == "on"
        tp += got and gold
        fp += got and not gold
        fn += gold and not got
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.9 and recall >= 0.9


# --- the Scrapy stage -----------------------------------------------------------------------


def pipeline(**settings: Any) -> TopicPipeline:
    return TopicPipeline.from_crawler(get_crawler(settings_dict=settings))


def item(title: str, text: str) -> PageItem:
    return PageItem(url="https://shafaq.com/ar/x", source="shafaq", title=title,
                    description=None, text=text)


def test_pipeline_tags_on_topic_items() -> None:
    out = pipeline().process_item(item("مقتل أربعة من داعش جنوب كركوك", ON_TOPIC))
    assert out["topics"] == ["isis-iraq"]
    (record,) = out["topic_matches"]
    assert record["topic"] == "isis-iraq" and record["score"] >= 6
    assert record["terms"]["داعش"] == 3
    json.dumps(dict(out), ensure_ascii=False)  # JSON-able for the store


def test_pipeline_drops_off_topic_items_with_a_reason() -> None:
    text = "سجل سعر صرف الدولار ارتفاعاً جديداً في بورصة الكفاح ببغداد وسط تذمر التجار. " * 3
    with pytest.raises(DropItem, match=r"^off_topic: best score [\d.]+ < 6 \(isis-iraq\)$"):
        pipeline().process_item(item("الدينار يتراجع", text))


def test_all_topics_keeps_and_tags_off_topic_items() -> None:
    text = "سجل سعر صرف الدولار ارتفاعاً جديداً في بورصة الكفاح ببغداد وسط تذمر التجار."
    out = pipeline(ARSHIF_ALL_TOPICS=True).process_item(item("الدينار يتراجع", text))
    assert out["topics"] == [] and out["topic_matches"] == []
    out = pipeline(ARSHIF_ALL_TOPICS="True").process_item(item("داعش", ON_TOPIC))
    assert out["topics"] == ["isis-iraq"]


def test_pipeline_reads_another_topics_file(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(yaml.safe_dump(doc(), allow_unicode=True), encoding="utf-8")
    out = pipeline(ARSHIF_TOPICS=str(path)).process_item(item("", "داعش في كركوك"))
    assert out["topics"] == ["t"]
    path.write_text("version: 1\ntopics: [{name: t}]\n", encoding="utf-8")
    with pytest.raises(TopicsError, match=r"topics\[0\] \(t\): key 'version'"):
        pipeline(ARSHIF_TOPICS=str(path))


# --- the archive ----------------------------------------------------------------------------


def test_topic_matches_are_stored_and_counted_per_term(tmp_path: Path) -> None:
    db = connect(tmp_path / "arshif.db")
    save_sources(db, [{"name": "shafaq", "title": "شفق نيوز", "homepage": "https://shafaq.com/ar",
                       "feeds": []}])
    for n, text in enumerate([ON_TOPIC, ON_TOPIC + " داعش"]):
        tagged = pipeline().process_item(item("داعش في كركوك", text))
        save_article(db, {**dict(tagged), "url": f"https://shafaq.com/ar/{n}"})
    # Kept with ARSHIF_ALL_TOPICS, and an article stored before topics existed (NULL).
    save_article(db, {"url": "https://shafaq.com/ar/none", "source": "shafaq", "text": "نص",
                      "topics": [], "topic_matches": []})
    save_article(db, {"url": "https://shafaq.com/ar/old", "source": "shafaq", "text": "نص آخر"})
    rows = db.execute("select topics, topic_matches from articles order by id").fetchall()
    assert json.loads(rows[0][0]) == ["isis-iraq"]
    assert json.loads(rows[0][1])[0]["terms"]["داعش"] >= 3
    hits = {(t, term): (a, m) for t, term, a, m in
            db.execute("select topic, term, articles, mentions from topic_term_hits")}
    assert hits[("isis-iraq", "وادي الشاي")] == (2, 2)
    assert hits[("isis-iraq", "داعش")][0] == 2
    db.close()
