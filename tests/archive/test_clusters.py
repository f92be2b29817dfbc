"""Story clusters: MinHash/LSH kept in SQLite; a wire story republished by three outlets."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import yaml

from archive import clusters
from archive.schema import connect
from crawler.demo.server import SiteServer
from tests.conftest import FAST, REPO, query, run_arshif

sys.path.insert(0, str(REPO / "eval"))
from clusters_eval import evaluate, load  # noqa: E402


def _art(i: int, text: str, source: str, published: str | None = None) -> dict:
    return {"id": i, "text": text, "content_sha256": f"h{i}", "source": source,
            "published": published, "first_seen_at": f"2024-01-01T00:00:0{i}+00:00"}


def test_copies_join_one_cluster_independent_reports_do_not(tmp_path):
    texts, _ = load()
    db = connect(tmp_path / "a.db")
    assert clusters.assign(db, _art(1, texts["e01_wire"], "a")) == 1
    assert clusters.assign(db, _art(2, texts["e01_a"], "b")) == 1
    assert clusters.assign(db, _art(3, texts["e01_own"], "c")) == 3
    db.close()
    # Persisted: a new connection (another run, another process) finds the cluster.
    db = connect(tmp_path / "a.db")
    assert clusters.assign(db, _art(4, texts["e01_b"], "d")) == 1
    # Same text again: nothing recomputed, same cluster.
    assert clusters.assign(db, _art(4, texts["e01_b"], "d")) == 1
    assert db.execute("select count(*) from story_clusters").fetchone()[0] == 4
    db.close()


def test_only_stories_from_the_same_weeks_are_compared(tmp_path):
    """A copy published three months later starts its own cluster unless the window is off."""
    texts, _ = load()
    db = connect(tmp_path / "a.db")
    assert clusters.assign(db, _art(1, texts["e01_wire"], "a", "2024-01-01T09:00:00+03:00")) == 1
    assert clusters.assign(db, _art(2, texts["e01_a"], "b", "2024-01-20T09:00:00+03:00")) == 1
    assert clusters.assign(db, _art(3, texts["e01_b"], "c", "2024-04-01T09:00:00+03:00")) == 3
    assert clusters.assign(db, _art(4, texts["e01_b"], "d", "2024-04-02T09:00:00+03:00")) == 3
    # Article 2's exact text again in April: outside the window it is not found ...
    assert clusters.assign(db, _art(5, texts["e01_a"], "e", "2024-04-02T09:00:00+03:00")) != 1
    # ... and with the window off, the whole archive is searched and it joins cluster 1.
    assert clusters.assign(db, _art(6, texts["e01_a"], "e", "2024-04-02T09:00:00+03:00"),
                           window_days=None) == 1
    db.close()


def test_signatures_and_banding_are_datasketchs():
    # Stored signatures must stay comparable with those datasketch 2 computed (older archives).
    from datasketch import MinHash, MinHashLSH

    texts, _ = load()
    for text in [*list(texts.values())[:12], "كلمة", ""]:
        grams = clusters.shingles(text)
        words = clusters.index_text(text).split()
        assert grams == ({" ".join(words[i:i + 3]).encode() for i in range(len(words) - 2)}
                         if len(words) > 3 else ({" ".join(words).encode()} if words else set()))
        mh = MinHash(num_perm=clusters.NUM_PERM, seed=clusters.SEED, scheme=clusters.SCHEME)
        mh.update_batch(list(grams))
        blob, size = clusters.signature_blob(text)
        assert blob == mh.hashvalues.astype("<u4").tobytes() and size == len(grams)
    lsh = MinHashLSH(threshold=clusters.LSH_THRESHOLD, num_perm=clusters.NUM_PERM)
    assert clusters.banding() == (lsh.b, lsh.r)


def test_vectorised_similarities_equal_the_scalar_estimate():
    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, clusters.NUM_PERM, dtype=np.uint64).astype("<u4")
    sigs = np.array([np.where(rng.random(clusters.NUM_PERM) < share, base,
                              rng.integers(0, 2**32, clusters.NUM_PERM, dtype=np.uint64))
                     for share in np.linspace(0, 1, 40)]).astype("<u4")
    sizes = rng.integers(0, 900, len(sigs))
    sizes[:3] = 0  # an empty text: Jaccard only
    for size in (0, 5, 450, 2000):
        got = clusters.similarities(base, size, sigs, sizes)
        want = [clusters.similarity(base, size, s, int(n))
                for s, n in zip(sigs, sizes, strict=True)]
        assert got.tolist() == want  # the same floats, so the same cluster decisions
    assert 0.0 in want and 1.0 in want


def test_the_most_similar_candidate_wins_first_stored_on_ties(tmp_path):
    texts, _ = load()
    db = connect(tmp_path / "a.db")
    # Two copies of one wire story start two clusters (forced apart by a window of 1 day), then
    # a third copy published between them sees both: equal similarity, the first stored wins.
    assert clusters.assign(db, _art(1, texts["e01_wire"], "a", "2024-03-01"), 1) == 1
    assert clusters.assign(db, _art(2, texts["e01_wire"], "b", "2024-03-05"), 1) == 2
    assert clusters.assign(db, _art(3, texts["e01_wire"], "c", "2024-03-03"), 3) == 1
    # An exact copy beats an earlier, rewritten one: the highest similarity wins, not the first.
    assert clusters.assign(db, _art(4, texts["e01_a"], "a", "2024-05-01"), 1) == 4
    assert clusters.assign(db, _art(5, texts["e01_wire"], "b", "2024-05-05"), 1) == 5
    assert clusters.assign(db, _art(6, texts["e01_wire"], "c", "2024-05-03"), 3) == 5
    db.close()


def test_eval_set_scores():
    result = evaluate()
    assert result["pairs"] >= 40
    assert result["precision"] >= 0.95 and result["recall"] >= 0.9, result["errors"]


# -- three fixture outlets republish one wire dispatch -------------------------------------

WIRE = [
    "قال مصدر أمني في محافظة كركوك إن عناصر من تنظيم داعش هاجموا برج مراقبة للجيش العراقي "
    "قرب قرية الزركة في قضاء الدبس فجر الاثنين، ما أسفر عن مقتل جندي وإصابة اثنين آخرين.",
    "وأضاف المصدر أن المهاجمين استخدموا أسلحة قناصة حرارية وانسحبوا نحو الوديان المحاذية "
    "لسلسلة جبال قرة جوغ قبل وصول التعزيزات العسكرية من مقر اللواء القريب.",
    "وأشار إلى أن قوة مشتركة من الجيش والبيشمركة باشرت عملية تفتيش واسعة في القرى القريبة، "
    "فيما نقل المصابون إلى مستشفى كركوك العام لتلقي العلاج اللازم.",
    "وتشهد المناطق الفاصلة بين القوات الاتحادية وإقليم كردستان هجمات متكررة تنفذها خلايا "
    "التنظيم مستغلة الفراغ الأمني والتضاريس الوعرة في تلك المناطق.",
]
OUTLETS = {
    # name: (published, paragraphs)
    "wire_a": ("2024-03-04T06:10:00+03:00", WIRE),
    "wire_b": ("2024-03-04T07:45:00+03:00", ["عاجل | " + WIRE[0], WIRE[1],
               "وبين أن قوة من الجيش والبيشمركة بدأت تفتيش القرى ونقل الجرحى إلى المستشفى.",
               WIRE[3]]),
    "wire_c": ("2024-03-04T09:30:00+03:00", [WIRE[0].replace("فجر الاثنين", "صباح الاثنين"),
               WIRE[1], WIRE[3], "تابعوا آخر الأخبار الأمنية على موقعنا وقناتنا على تلغرام."]),
}
OTHER = ("أعلنت وزارة التربية العراقية موعد امتحانات الصف السادس الإعدادي للدور الأول، "
         "مبينة أنها ستبدأ منتصف حزيران المقبل وتستمر ثلاثة أسابيع في جميع المحافظات، "
         "وأكدت الوزارة أن الجداول ستنشر على موقعها الرسمي، وأن الطلبة النازحين من المناطق "
         "التي شهدت هجمات داعش سيؤدون امتحاناتهم في مراكز قريبة من المخيمات بإشراف لجان خاصة.")


def _page(title: str, published: str, paragraphs: list[str]) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": published}
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{title}</title><meta property=\"og:type\" content=\"article\">"
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            f"</head><body><article><h1>{title}</h1>{body}</article></body></html>")


def build_wire_sites(root: Path) -> Path:
    """Three small outlets under root, each with an RSS feed and the wire story."""
    for name, (published, paragraphs) in OUTLETS.items():
        pub = root / name / "public"
        (pub / "news").mkdir(parents=True)
        items = [("news/attack", f"هجوم لداعش على برج مراقبة في الدبس ({name})", published,
                  paragraphs)]
        if name == "wire_b":
            items.append(("news/exams", "موعد الامتحانات الوزارية", published, [OTHER]))
        rss = []
        for path, title, when, paras in items:
            (pub / f"{path}.html").write_text(_page(title, when, paras), "utf-8")
            rss.append(f"<item><title>{title}</title><link>{{base}}/{path}</link>"
                       f"<pubDate>{when}</pubDate></item>")
        (pub / "feed.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
            + "".join(rss) + "</channel></rss>", "utf-8")
        (pub / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
        site = {"source": {"name": name, "title": name, "homepage": "{base}/",
                           "feeds": ["{base}/feed.xml"], "allow_private_network": True},
                "routes": {"/feed.xml": {"file": "feed.xml",
                                         "content_type": "application/rss+xml"}}}
        (root / name / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True))
    return root


def test_wire_story_from_three_outlets_is_one_cluster(tmp_path):
    root = build_wire_sites(tmp_path / "sites")
    with SiteServer(root) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "arshif.db"
        result = run_arshif("crawl", "--sources", sources, "--db", db, *FAST,
                            "-s", "ARSHIF_ALL_TOPICS=True")
        assert result.returncode == 0, result.stderr[-3000:]
    stored = {r["source"] for r in query(db, "select source from articles")}
    assert stored == {"wire_a", "wire_b", "wire_c"}
    summary = query(db, "select * from story_cluster_summary")
    assert len(summary) == 1, summary
    story = summary[0]
    assert story["articles"] == 3 and story["outlets"] == 3
    assert story["first_source"] == "wire_a"
    assert story["first_published"].startswith("2024-03-04T06:10")
    [exams] = query(db, "select c.cluster_id, a.id from story_clusters c join articles a "
                        "on a.id = c.article_id where a.url like '%exams'")
    assert exams["cluster_id"] == exams["id"]  # the unrelated article is a cluster of its own
