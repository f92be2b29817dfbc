"""Tests for pipelines.language: keep Arabic, reject other Arabic-script and Latin languages."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.items import PageItem
from pipelines.language import LanguagePipeline, LanguageResult, detect_language

MSA = (
    "أعلنت وزارة الداخلية العراقية، اليوم الثلاثاء، عن إلقاء القبض على شبكة لتهريب المخدرات "
    "في محافظة البصرة جنوبي البلاد. وقال المتحدث باسم الوزارة في مؤتمر صحفي عقده في بغداد إن "
    "العملية جاءت بعد متابعة استخبارية استمرت عدة أشهر، مشيراً إلى أن المتهمين أحيلوا إلى "
    "القضاء لاستكمال الإجراءات القانونية. وأضاف أن القوات الأمنية ضبطت كميات كبيرة من المواد "
    "المخدرة كانت معدة للتوزيع في عدد من المحافظات."
)
MSA_DIACRITICS = (
    "أَعْلَنَتْ وِزَارَةُ الدَّاخِلِيَّةِ العِرَاقِيَّةُ عَنْ إِلْقَاءِ القَبْضِ عَلَى شَبَكَةٍ "
    "لِتَهْرِيبِ المُخَدِّرَاتِ فِي مُحَافَظَةِ البَصْرَةِ. وَقَالَ المُتَحَدِّثُ بِاسْمِ الوِزَارَةِ "
    "إِنَّ العَمَلِيَّةَ جَاءَتْ بَعْدَ مُتَابَعَةٍ اسْتِخْبَارِيَّةٍ اسْتَمَرَّتْ عِدَّةَ أَشْهُرٍ."
)
MSA_TATWEEL = (
    "أعلـــنت الحكـــومة العراقيـــة عن خطـــة جديدة لإعـــادة إعمار المـــدن المتضررة من "
    "الحرب، وقال رئيـــس الوزراء إن المشاريع ستنطلق مطلع العام المقبل في الموصل والأنبار "
    "وصلاح الدين."
)
# Iraqi news prose with a dialect quote (including چ, which Iraqi Arabic writes).
IRAQI = (
    "شهدت العاصمة بغداد، مساء الجمعة، تظاهرات حاشدة في ساحة التحرير للمطالبة بتوفير فرص العمل "
    "وتحسين الخدمات، فيما انتشرت القوات الأمنية بكثافة في الشوارع المؤدية إلى المنطقة الخضراء. "
    "وقال أحد المتظاهرين لمراسلنا: «إحنا ما نريد غير الكهرباء والماي، صارلنا سنين ننتظر، چا "
    "وين نروح؟». وفي محافظة ذي قار، قطع محتجون طرقاً رئيسية في مدينة الناصرية احتجاجاً على "
    "انقطاع التيار الكهربائي، بينما أعلنت مديرية الشرطة عن فتح تحقيق في أعمال العنف التي رافقت "
    "الاحتجاجات."
)
SHORT_ARABIC = (
    "استقبل رئيس الجمهورية في بغداد وفداً من الأمم المتحدة. "
    "وبحث الجانبان سبل دعم الاستقرار في العراق."
)
PERSIAN = (
    "وزیر امور خارجه ایران روز سه‌شنبه در سفری رسمی وارد بغداد شد و با نخست‌وزیر عراق دیدار و "
    "گفتگو کرد. در این دیدار دو طرف درباره گسترش همکاری‌های اقتصادی، امنیت مرزها و وضعیت "
    "زائران ایرانی در ایام اربعین گفتگو کردند. وی همچنین گفت که تهران از ثبات و امنیت عراق "
    "حمایت می‌کند و آماده است در بازسازی مناطق آسیب‌دیده مشارکت داشته باشد."
)
# Persian typed on an Arabic keyboard: ي and ك, no پ چ ژ گ, no zero-width non-joiner.
PERSIAN_ARABIC_LETTERS = (
    "وزير امور خارجه ايران روز سه شنبه وارد بغداد شد و با نخست وزير عراق ديدار كرد. در اين "
    "ديدار دو طرف درباره همكاري هاي اقتصادي و امنيت مرزها صحبت كردند. وي هم اعلام كرد كه "
    "تهران از ثبات عراق حمايت مي كند و آماده است در بازسازي مناطق آسيب ديده مشاركت داشته باشد."
)
URDU = (
    "عراق کے وزیر اعظم نے بغداد میں ایک پریس کانفرنس سے خطاب کرتے ہوئے کہا کہ حکومت ملک میں "
    "امن و امان کی صورتحال بہتر بنانے کے لیے ہر ممکن اقدامات کر رہی ہے۔ انہوں نے بتایا کہ حالیہ "
    "مہینوں میں دہشت گردی کے واقعات میں نمایاں کمی آئی ہے اور سکیورٹی فورسز نے کئی اہم ملزمان کو "
    "گرفتار کیا ہے۔"
)
SORANI = (
    "سەرۆک وەزیرانی عێراق لە بەغدا پێشوازی لە شاندێکی هەرێمی کوردستان کرد. لەو کۆبوونەوەیەدا "
    "باس لە کێشەی بودجە و مووچەی فەرمانبەران کرا. هەردوو لا ڕێککەوتن کە گفتوگۆکان لە هەفتەی "
    "داهاتوودا بەردەوام بن."
)
PASHTO = (
    "د عراق لومړي وزیر په بغداد کې له خبریالانو سره په خبرو کې وویل چې حکومت د هېواد د امنیت "
    "د ښه کولو لپاره هڅې کوي. هغه زیاته کړه چې په تېرو میاشتو کې د تاوتریخوالي پېښې کمې شوې دي "
    "او امنیتي ځواکونو ګڼ شمېر شکمن کسان نیولي دي."
)
ENGLISH = (
    "Iraq's prime minister met a delegation from the United Nations in Baghdad on Tuesday to "
    "discuss reconstruction in the areas retaken from the Islamic State group. Officials said "
    "the talks focused on housing, electricity and the return of displaced families to Mosul "
    "and Anbar."
)
FRENCH = (
    "Le Premier ministre irakien a reçu mardi à Bagdad une délégation des Nations unies pour "
    "discuter de la reconstruction des régions reprises au groupe État islamique. Selon des "
    "responsables, les discussions ont porté sur le logement, l'électricité et le retour des "
    "familles déplacées à Mossoul."
)
MIXED = (
    "أعلنت شركة Google عن افتتاح مكتب إقليمي جديد في أربيل، في خطوة تهدف إلى دعم الشركات "
    "الناشئة في العراق. وقال مدير المشروع إن برنامج Startup Campus سيقدم تدريبات في مجالات "
    "الذكاء الاصطناعي و Cloud Computing للشباب العراقي خلال العام المقبل."
)


@pytest.mark.parametrize(
    "text",
    [MSA, MSA_DIACRITICS, MSA_TATWEEL, IRAQI, SHORT_ARABIC, MIXED, MSA + "\n\n" + IRAQI],
    ids=["msa", "diacritics", "tatweel", "iraqi", "short", "mixed-english", "two-paragraphs"],
)
def test_arabic_is_kept(text: str) -> None:
    result = detect_language(text)
    assert result.lang == "ar", result
    assert 0.5 <= result.score <= 1.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (PERSIAN, "fa"),
        (PERSIAN_ARABIC_LETTERS, "fa"),
        (URDU, "ur"),
        (SORANI, "ckb"),
        (PASHTO, "ps"),
        (ENGLISH, "en"),
        (FRENCH, "fr"),
    ],
    ids=["persian", "persian-arabic-letters", "urdu", "sorani", "pashto", "english", "french"],
)
def test_other_languages_are_named(text: str, lang: str) -> None:
    result = detect_language(text)
    assert result.lang == lang, result
    assert 0.5 <= result.score <= 1.0


def test_persian_reason_names_the_letters() -> None:
    result = detect_language(PERSIAN)
    assert result.reason.startswith("script:") and "Persian letters" in result.reason
    assert "گ" in result.reason and "ی" in result.reason


def test_sorani_is_not_called_persian() -> None:
    result = detect_language(SORANI)
    assert result.lang == "ckb" and "Sorani" in result.reason


@pytest.mark.parametrize("text", ["", "   \n\t ", "عن", "١٢٣ ٤٥٦ — 2024", "!!!"])
def test_empty_or_tiny_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == LanguageResult("und", 0.0, detect_language(text).reason)


def test_sample_is_bounded() -> None:
    # Only the first sample_chars characters count: an Arabic lead decides a long page.
    text = MSA + " " + ENGLISH * 50
    assert detect_language(text, sample_chars=len(MSA)).lang == "ar"
    assert detect_language(text, sample_chars=5000).lang == "en"


@pytest.mark.parametrize("text", [MSA, SHORT_ARABIC, PERSIAN_ARABIC_LETTERS, MIXED])
def test_deterministic(text: str) -> None:
    results = {detect_language(text) for _ in range(20)}
    assert len(results) == 1


def make_pipeline(**settings: object) -> LanguagePipeline:
    return LanguagePipeline.from_crawler(get_crawler(settings_dict=settings))


def test_pipeline_keeps_arabic_even_when_html_lang_lies() -> None:
    pipeline = make_pipeline()
    # The title alone would fool langdetect; the page claims English; body text decides.
    item = PageItem(title="خبر عاجل", text=MSA, html_lang="en-US")
    out = pipeline.process_item(item)
    assert out is item
    assert item["language"] == "ar" and 0.5 <= item["language_score"] <= 1.0


def test_pipeline_drops_persian() -> None:
    pipeline = make_pipeline()
    item = PageItem(title="خبر", text=PERSIAN, html_lang="ar")
    with pytest.raises(DropItem, match=r"^not_arabic: fa \(script: .*Persian letters"):
        pipeline.process_item(item)
    assert item["language"] == "fa"


def test_pipeline_drops_empty_text() -> None:
    with pytest.raises(DropItem, match=r"^not_arabic: und "):
        make_pipeline().process_item({"text": ""})


def test_pipeline_settings() -> None:
    pipeline = make_pipeline(ARSHIF_LANGUAGES=["ar", "fa"], ARSHIF_LANGUAGE_SAMPLE=500)
    assert pipeline.languages == {"ar", "fa"} and pipeline.sample_chars == 500
    assert pipeline.process_item({"text": PERSIAN})["language"] == "fa"
    with pytest.raises(DropItem, match="not_arabic: ur"):
        pipeline.process_item({"text": URDU})
    default = make_pipeline()
    assert default.languages == {"ar"} and default.sample_chars == 1000


def test_clearly_arabic_text_skips_langdetect(monkeypatch):
    """langdetect is the stage's slowest step; it runs only where it can change the answer."""
    import pipelines.language as language

    calls = []
    real = language._langdetect
    monkeypatch.setattr(language, "_langdetect", lambda s: calls.append(s) or real(s))
    arabic = ("قالت قيادة العمليات المشتركة إن القوات الأمنية نفذت عملية في حوض حمرين "
              "وإنها عثرت على مخبأ لتنظيم داعش كان يستخدمه في الهجمات على القرى. ") * 6
    result = detect_language(arabic)
    assert (result.lang, result.score, calls) == ("ar", 1.0, [])
    assert "langdetect not needed" in result.reason
    # Short Arabic and Persian still go through langdetect.
    assert detect_language("قال الوزير في بغداد").lang == "ar" and len(calls) == 1
    persian = ("نیروهای امنیتی عراق می‌گویند که گروه داعش در منطقه حمرین فعال است و "
               "حملات خود را افزایش داده است. ") * 6
    assert detect_language(persian).lang == "fa" and len(calls) == 2
