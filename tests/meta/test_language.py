"""Language guesses (newsfacts.meta.language)."""

from __future__ import annotations

import pytest

from newsfacts.meta.language import guess_language, script_language

ENGLISH = ("The government said on Tuesday that it would raise the minimum wage by five per cent next year, and "
           "the unions welcomed the decision while employers said it was too expensive for small firms.")


@pytest.mark.parametrize("text, code", [
    ("東京都は火曜日、来年の最低賃金を五パーセント引き上げると発表した。労働組合はこの決定を歓迎した。" * 2, "ja"),
    ("정부는 화요일 내년 최저임금을 5퍼센트 인상하겠다고 발표했다. 노동조합은 이 결정을 환영했다." * 2, "ko"),
    ("政府周二宣布明年将最低工资提高百分之五，工会对这一决定表示欢迎，雇主则认为成本太高。" * 2, "zh"),
    ("أعلنت الحكومة يوم الثلاثاء أنها سترفع الحد الأدنى للأجور بنسبة خمسة في المئة العام المقبل", "ar"),
])
def test_a_script_names_its_language(text, code):
    assert script_language(text) == code
    assert guess_language(text) == code


def test_latin_and_cyrillic_text_is_judged_by_its_function_words():
    assert script_language(ENGLISH) is None
    assert guess_language(ENGLISH) == "en"
    # accented letters are not ASCII, and still name no script of their own
    assert script_language("Die Regierung hat am Dienstag angekündigt, den Mindestlohn zu erhöhen, für alle.") is None
    russian = ("Правительство во вторник объявило, что в следующем году повысит минимальную зарплату на пять "
               "процентов, и профсоюзы приветствовали это решение, а работодатели сказали, что это не так и что "
               "для малого бизнеса это слишком дорого, но они это примут.")
    assert guess_language(russian) == "ru"


def test_a_few_words_name_no_language():
    assert guess_language("The minister said so.") is None
    assert script_language("東京") is None


def test_the_function_word_copy_matches_the_installed_wordfreq():
    """data/function_words.yaml is wordfreq's top words, copied for speed; a wordfreq upgrade that changes them
    must regenerate it (scripts/function_words.py)."""
    from wordfreq import top_n_list

    from newsfacts.meta.language import LANGUAGES, TOP_WORDS, function_words

    for code in LANGUAGES:
        assert function_words(code) == frozenset(top_n_list(code, TOP_WORDS)), code
