"""Whether an article looks English, the language of the pipelines here."""

from __future__ import annotations

import pytest

from annotator.core.resources import resource
from annotator.nlp.language import looks_english

OTHERS = {
    "French": "Des frappes aériennes ont tué au moins trente personnes dans la nuit à Gaza, "
    "selon les autorités sanitaires locales. L'armée a déclaré avoir visé des positions du "
    "Hamas. Les habitants du nord de la bande ont reçu des ordres d'évacuation, a indiqué un "
    "porte-parole de l'ONU.",
    "Spanish": "Las FARC anunciaron el martes que liberarán a los rehenes en la región del "
    "Cauca, según informó el gobierno colombiano. Los combates entre el ejército y los "
    "disidentes dejaron al menos doce muertos en la última semana, dijeron fuentes militares.",
    "Arabic": "قال مسؤولون في وزارة الصحة إن الغارات الجوية أسفرت عن مقتل ثلاثين شخصا على "
    "الأقل في غزة خلال الليل، بينما أعلن الجيش أنه استهدف مواقع لحركة حماس في شمال القطاع "
    "وأصدر أوامر إخلاء جديدة للسكان في المدينة.",
}


OTHERS["Ukrainian"] = (
    "Обстріл Харкова: російські війська завдали ракетного удару по центру міста, повідомив "
    "голова обласної військової адміністрації. Загинули щонайменше троє людей, ще "
    "дванадцять поранені, сказали в поліції."
)
OTHERS["German"] = (
    "Bei russischen Luftangriffen auf die ostukrainische Stadt Charkiw sind nach Angaben der "
    "Behörden mindestens drei Menschen getötet worden. Zwölf weitere wurden verletzt, teilte "
    "der Gouverneur mit."
)

#: Terse English with few English stop words, which the first check took for another
#: language (4–9 % of them).
TERSE_ENGLISH = {
    "a table": "Casualty figures by province, week 14\nProvince Killed Wounded Displaced\n"
    "Kharkiv 12 40 1,200\nDonetsk 31 77 3,400\nZaporizhzhia 9 21 800\nKherson 14 33 950\n"
    "Sumy 3 8 120\nDnipropetrovsk 5 19 300\nOdesa 2 6 90\nMykolaiv 4 11 150\nTotal 80 215",
    "a wire brief": "Sudan: RSF shells El Fasher; 14 dead. KHARTOUM, May 3 (Reuters) - RSF "
    "artillery hit El Fasher's Abu Shouk camp, Zamzam, Tawila; 14 dead, 40 hurt, medics: "
    "MSF, UNICEF. SAF jets struck Nyala, Kutum, Kabkabiya. Sennar, Gedaref, Kassala calm.",
}


@pytest.mark.parametrize("language", OTHERS)
def test_news_in_other_languages_does_not_look_english(language):
    assert not looks_english(OTHERS[language])


@pytest.mark.parametrize("kind", TERSE_ENGLISH)
def test_terse_english_of_names_and_figures_still_looks_english(kind):
    assert looks_english(TERSE_ENGLISH[kind])


def test_the_bundled_english_news_looks_english_and_a_headline_is_not_judged():
    for sample in resource("samples").iterdir():
        if sample.name.endswith(".txt"):
            assert looks_english(sample.read_text(encoding="utf-8")), sample.name
    assert looks_english("Київ")  # too short to tell
    assert looks_english("Shelling in Kharkiv")  # too few words to judge by stop words


SHORT_BRIEFS = {  # under 100 letters or 25 words: they passed as English
    "Russian": "Киев заявил о новых ударах по Харькову и Одессе.",
    "Arabic": "قصف على حمص وحماة يوم الثلاثاء.",
    "Greek": "Η ΑΘΗΝΑ ανακοίνωσε ότι ο Στρατός έπληξε θέσεις στη Συρία.",
    "French": "Des frappes ont tué douze personnes à Gaza, selon les autorités de la ville.",
}


@pytest.mark.parametrize("language", SHORT_BRIEFS)
def test_a_short_brief_in_another_language_does_not_look_english(language):
    assert not looks_english(SHORT_BRIEFS[language])


@pytest.mark.parametrize(
    "text",
    [
        "Syria: Hay'at Tahrir al-Sham seized Saraqib and Maarat al-Numan.",  # "al" twice
        "Drone strikes hit Ta\u200bizz and Ho\u00addeidah overnight, residents said.",
        "Forces of Abu Bakr al-Baghdadi and Ibn Taymiyyah brigade clashed in Dar al-Salam.",
    ],
)
def test_short_english_with_arabic_names_or_invisible_marks_looks_english(text):
    assert looks_english(text)
