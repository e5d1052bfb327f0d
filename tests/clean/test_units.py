from newsfacts.clean.blocks import split_blocks
from newsfacts.clean.body import main_region, revise_with_context
from newsfacts.clean.captions import split_credit
from newsfacts.clean.furniture import furniture_kind, section_start_kind
from newsfacts.clean.repairs import best_split, repair_text


def test_blocks_keep_raw_offsets_and_runs():
    raw = "Menu\nHome\nNews\n\n  A paragraph.  \n\nEnd"
    blocks = split_blocks(raw)
    assert [b.text for b in blocks] == ["Menu", "Home", "News", "A paragraph.", "End"]
    assert all(raw[b.start : b.end] == b.text for b in blocks)
    assert [b.run_length for b in blocks] == [3, 3, 3, 1, 1]


def test_furniture_patterns():
    assert furniture_kind("SUBSCRIBE NOW")[0] == "subscription"
    assert furniture_kind("Views: 0")[0] == "counter"
    assert furniture_kind("0 490,607")[0] == "counter"
    assert furniture_kind("Leave a Reply")[0] == "comments"
    assert furniture_kind("The minister said the talks would resume in Geneva next week.") is None
    assert section_start_kind("References:") == "references"
    assert section_start_kind("The references were checked by the court.") is None


def test_context_revision_like_justext():
    assert revise_with_context(["good", "short", "good"]) == ["good", "good", "good"]
    assert revise_with_context(["bad", "short", "bad"]) == ["bad", "bad", "bad"]
    assert revise_with_context(["bad", "neargood", "bad"]) == ["bad", "bad", "bad"]


def test_main_region_is_the_densest_stretch():
    assert main_region([-50, 300, -10, 200, -400, 100]) == (1, 3)
    assert main_region([-1, -2]) is None


def test_credit_split_glued_and_bracketed():
    line = "troops expected to be deployed by December.Anthony WALLACE / AFP"
    end, credit = split_credit(line)
    assert line[:end] == "troops expected to be deployed by December." and credit == "Anthony WALLACE / AFP"
    assert split_credit("Kim meets Putin. (Photo: Reuters)")[1] == "Photo: Reuters"
    assert split_credit("The U.S. / EU position was clear.")[1] is None


def test_word_split_only_when_confident():
    assert best_split("initialclaims") == ("initial", "claims")
    assert best_split("withUkraine") == ("with", "Ukraine")
    assert best_split("escalationin") == ("escalation", "in")
    # Names, brands and closed compounds are left alone.
    for word in ("Pyongyang", "Deschauer", "YouTube", "escalation", "Ryabkov", "AppleSkin", "Vizzion", "skywatching",
                 "boomeranging", "WeWorkers"):
        assert best_split(word) is None


def test_repairs_recorded_with_offsets():
    text, repairs = repair_text("DoesnÃ¢â‚¬â„¢t stop escalationin\u00a0Kursk")
    assert text == "Doesn’t stop escalation in Kursk"
    assert {r.kind for r in repairs} == {"mojibake", "word_split", "whitespace"}
    assert all(text[r.start : r.end] == r.after for r in repairs)


def test_word_split_never_inside_a_web_address():
    text, repairs = repair_text("Figures from gamesindustry.biz and www.initialclaims.com show initialclaims rose.")
    assert text == "Figures from gamesindustry.biz and www.initialclaims.com show initial claims rose."
    assert [r.before for r in repairs] == ["initialclaims"]


def test_word_split_inside_quotation_marks_only_at_a_case_seam():
    text, _ = repair_text('He said: "We set the groundrules withUkraine. "Then initialclaims fell." But initialclaims rose.')
    assert text == 'He said: "We set the groundrules with Ukraine. "Then initialclaims fell." But initial claims rose.'
