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


@pytest.mark.parametrize("language", OTHERS)
def test_news_in_other_languages_does_not_look_english(language):
    assert not looks_english(OTHERS[language])


def test_the_bundled_english_news_looks_english_and_a_headline_is_not_judged():
    for sample in resource("samples").iterdir():
        if sample.name.endswith(".txt"):
            assert looks_english(sample.read_text(encoding="utf-8")), sample.name
    assert looks_english("Обстріл Харкова")  # too short to tell
