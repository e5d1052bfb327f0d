"""Pronoun rules of annotate/quotes/coref/pronouns.py added for issue 14 from the PolNeAR train sample: one
speaker's turn across paragraphs, and a subject the parser stranded before its verb."""

from __future__ import annotations


def test_he_said_goes_on_with_the_speaker_of_the_turn_two_paragraphs_back(speaker_of):
    text = (
        "Ban Ki-moon, the secretary general of the United Nations, sat inside the Mayflower Hotel.\n\n"
        '"I\'m not a climatologist. I\'m not a scientist," he said. "But I know what I have seen is true."\n\n'
        "December's global agreement was a defining moment - but also a personal triumph for Ban.\n\n"
        '"I\'m grateful to all the parties involved," he said.'
    )
    speaker = speaker_of(text, "grateful to all")
    assert speaker.kind == "pronoun" and speaker.name == "Ban Ki-moon"


def test_a_turn_is_broken_by_another_subject_between(speaker_of):
    text = (
        "Ban Ki-moon, the secretary general of the United Nations, sat inside the Mayflower Hotel.\n\n"
        '"I\'m not a climatologist," he said.\n\n'
        "Then John Kerry spoke about the deal for an hour.\n\n"
        "Some delegates left early. The next day the talks resumed.\n\n"
        '"I\'m grateful to all the parties involved," he said.'
    )
    speaker = speaker_of(text, "grateful to all")
    assert speaker.name != "Ban Ki-moon"


def test_a_name_set_off_before_a_verb_without_a_parsed_subject_is_its_subject(speaker_of):
    text = (
        "The religious test for refugees originated with Donald Trump, who proclaimed in July that Christians "
        "fleeing Syria \"cannot come into this country.\" Trump, later alleging - again falsely - that President "
        "Obama wanted to admit 250,000 Syrians, said he would deport refugees, who he speculates are \"mostly men\" "
        "and perhaps part of a plot. (On Monday he said he would \"strongly consider\" closing mosques.)"
    )
    speaker = speaker_of(text, "strongly consider")
    # The parser hangs "Trump" on "wanted" and leaves "said" without a subject; before the rule, a chain of "he"
    # reached Obama, the subject of "wanted".
    assert speaker.name == "Donald Trump"


def test_the_owner_of_a_subject_that_is_no_person_is_what_the_sentence_is_about(speaker_of):
    text = (
        "Indeed, Francis' message is to call on all Christians to be more Christian. He has challenged his own "
        "bishops to be humbler. His economic critique is also a moral one, as he laments a \"throwaway culture\" "
        "in which poor people are collateral damage."
    )
    speaker = speaker_of(text, "throwaway culture")
    assert speaker.name == "Francis"


def test_a_person_an_organisation_name_swallowed_after_its_possessive(speaker_of):
    text = (
        "CNN barely even mentioned Clinton's remarks and went right back to its panel of guests.\n\n"
        "Fox News’ Bret Baier noticed that none of the networks cut away for Clinton. He commented that his "
        "network \"held on\" Trump during her event."
    )
    speaker = speaker_of(text, "held on")
    assert speaker.kind == "pronoun" and speaker.name == "Bret Baier"


def test_a_name_inside_a_participle_clause_of_the_pronouns_verb_is_someone_else(speaker_of):
    # The fronted participles are said of "he" himself; Sanders is what inspired him.
    text = (
        "Across town is Wayne Borders, a 33-year-old canvasser who left his restaurant job in November.\n\n"
        "Dismayed by his memory of Bill Clinton's years in office and inspired by Sanders's progressive agenda, "
        "he's committed to the Vermont senator.\n\n"
        '"I\'m knocking on doors all over town," he said.'
    )
    speaker = speaker_of(text, "knocking on doors")
    assert speaker.kind == "pronoun" and speaker.name == "Wayne Borders"


def test_a_name_in_a_clause_with_its_own_subject_may_be_the_pronouns_person(speaker_of):
    text = (
        "The hearing ran late on Tuesday.\n\n"
        "When Senator Bill Jones arrived at the hearing, he said the committee had waited long enough.\n\n"
        '"We have the votes," he added.'
    )
    assert speaker_of(text, "We have the votes").name == "Bill Jones"


def test_a_list_in_apposition_introduces_no_one(speaker_of):
    # "Dirty Dancing, 98 Degrees and Justin Timberlake posters" is no role given to a person named first.
    text = (
        "Those who take on heavy debt struggle, even with a good job, he said.\n\n"
        "Christyn Gionfriddo, a Neptune, N.J., native and 2009 Centenary College graduate, is saddled with about "
        "$92,000 in student loan debt. At 29 years old, she still lives in her childhood bedroom, walls plastered "
        "with the same Dirty Dancing, 98 Degrees and Justin Timberlake posters from her tween years.\n\n"
        '"Who wants to live at home at 29?" she said.'
    )
    speaker = speaker_of(text, "Who wants to live")
    assert speaker.kind == "pronoun" and speaker.name == "Christyn Gionfriddo"


def test_he_after_the_writers_sentence_is_the_one_the_writer_met(speaker_of):
    # The writer is the subject ("I met with Sanders"), and no "he": the person the writer met is, not the man
    # who was the subject before.
    text = (
        "Donald Trump held a rally in Ohio this month, and the crowd was large.\n\n"
        "I met with Sanders in his office two days after his endorsement of Clinton to discuss where all this "
        "will take him. He's looking ahead to many more endorsements.\n\n"
        '"What is absolutely imperative is that we keep the movement alive," he said.'
    )
    speaker = speaker_of(text, "absolutely imperative")
    assert speaker.kind == "pronoun" and speaker.name == "Sanders"


def test_the_writers_sentence_naming_two_men_names_no_one(speaker_of):
    text = (
        "The race tightened this month, and both campaigns were short of money.\n\n"
        "I met with Bernie Sanders and Martin O'Malley in Des Moines to discuss where all this will take them. "
        "He's looking ahead to many more endorsements.\n\n"
        '"What is absolutely imperative is that we keep the movement alive," he said.'
    )
    speaker = speaker_of(text, "absolutely imperative")
    assert speaker.mention.text == "he" and speaker.name is None


def test_the_subject_of_a_parenthetical_speech_verb_outranks_the_main_subject(speaker_of):
    text = (
        "At a meeting of the Republican Governors Association on Tuesday, Mike Pence used his keynote speech to "
        "offer encouragement.\n\n"
        "Time, Mr. Pence added, was on their side. \"It's preseason, for heaven's sake,\" he said."
    )
    speaker = speaker_of(text, "preseason")
    assert speaker.kind == "pronoun" and speaker.name == "Mike Pence"


def test_a_person_of_its_gender_as_subject_of_its_own_words_is_the_one_reporting_them(speaker_of):
    text = (
        '"Skateboarding is a political act," said Arianna Gil, whose family moved to Washington Heights.\n\n'
        "These rapid changes are a pressing fact of life for the group.\n\n"
        "Though Samantha Olivieri has spent most of her life in Washington Heights, the influx of wealthier "
        "residents has led to an increased police presence, she said.\n\n"
        '"Cops have taken over the entire neighborhood," she said.'
    )
    speaker = speaker_of(text, "Cops have taken")
    # Olivieri, by the reading of the annotators; never the earlier speaker (1.3.2 left her unnamed).
    assert speaker.kind == "pronoun" and speaker.name is not None and "Olivieri" in speaker.name


def test_a_partner_is_someone_unnamed_between_the_pronoun_and_an_earlier_name(speaker_of):
    text = (
        "William Birdthistle, a law professor, studies retirement plans.\n\n"
        "A partner at Mr. Birdthistle's former firm once gave the associates advice.\n\n"
        "The solution, the partner told them, was simple. \"Just put your money in Vanguard,\" he said."
    )
    speaker = speaker_of(text, "Vanguard")
    assert speaker.kind == "pronoun" and speaker.name is None


# Rules of the fourth round (issue 14), fitted on the PolNeAR train sample and the rest of train; the texts are
# made up in the shape of the train cases.

def test_a_description_of_no_one_in_particular_does_not_stand_between_she_and_her_name(speaker_of):
    text = (
        "Hillary Clinton called into three networks on Thursday.\n\n"
        "Clinton added that she acted no differently from her predecessors. However, no other secretary of state "
        "had a private server like the one set up for Clinton during her four years in the job.\n\n"
        '"I have turned over all of my emails. No one else can say that," she said.'
    )
    assert speaker_of(text, "turned over all").name == "Hillary Clinton"


def test_a_lone_name_the_article_quotes_as_a_speaker_is_a_name_for_the_pronoun(speaker_of):
    text = (
        '"It is not like the candidate is less pure than the last nominee," Powe wrote.\n\n'
        '"Desperate times call for desperate measures, but is this the best they can do?" she wrote.'
    )
    speaker = speaker_of(text, "Desperate times")
    assert speaker.kind == "pronoun" and speaker.name == "Powe"


def test_the_one_the_pronoun_speaks_to_is_not_its_antecedent(speaker_of):
    text = (
        "Sean Hannity hosted the event in Austin on Wednesday.\n\n"
        "Hannity asked Donald Trump how high the wall would be.\n\n"
        '"I think the height could be 35 to 45 feet," he told Hannity.'
    )
    speaker = speaker_of(text, "height could be")
    assert speaker.kind == "pronoun" and speaker.name == "Donald Trump"


def test_her_owning_the_subject_makes_the_sentence_hers(speaker_of):
    text = (
        "Hillary Clinton unveiled a plan to repair roads and bridges on Monday.\n\n"
        "Her plan comes as Congress is wrestling with a six-year transportation bill. \"This would be on top of "
        'what Congress should finally authorize," she said.'
    )
    speaker = speaker_of(text, "on top of")
    assert speaker.kind == "pronoun" and speaker.name == "Hillary Clinton"


def test_his_brother_is_the_brother_the_article_introduced_by_name(speaker_of):
    text = (
        "Omar Haddad, 40, worked as an engineer, according to an interview his brother Karim Haddad gave to a "
        "local radio station. He and his wife had just welcomed a second daughter, his brother added.\n\n"
        '"He\'s a new dad," he said.'
    )
    speaker = speaker_of(text, "new dad")
    assert speaker.kind == "pronoun" and speaker.name == "Karim Haddad"


def test_she_reporting_her_own_experience_is_the_one_the_words_are_about(speaker_of):
    text = (
        "The protests grew louder through March.\n\n"
        "In Louisville on March 1, Ms. Nwanguma was shocked by the reaction from the crowd, she said in an "
        "interview later.\n\n"
        '"I could not believe what was happening," she said.'
    )
    speaker = speaker_of(text, "could not believe")
    assert speaker.kind == "pronoun" and speaker.name and "Nwanguma" in speaker.name


def test_a_name_heading_a_described_phrase_after_the_is_still_the_person(speaker_of):
    text = (
        "Bill Clinton campaigned in New Hampshire on Wednesday for his wife.\n\n"
        "A more subdued Bill Clinton may not be such a bad thing, say some Democrats, who recall his words about "
        "Barack Obama in 2008.\n\n"
        "But the Clinton of lore, who fought back to win his party's nomination in 1992, has yet to appear.\n\n"
        "In 1992, in a speech at an Elks lodge, he drove grown men to tears. He promised to fight \"until the last "
        'dog dies."'
    )
    speaker = speaker_of(text, "last dog")
    assert speaker.kind == "pronoun" and speaker.name == "Bill Clinton"


def test_a_parenthetical_she_said_reports_the_clause_it_hangs_from(speaker_of):
    text = (
        '"The accessibility of this convention will be unprecedented," said Audrey Scagnelli, press secretary '
        "for the committee. AT&T just finished laying 50,000 feet of fiber downtown, she said, to handle what "
        'organizers expect to be "a surge of data."'
    )
    speaker = speaker_of(text, "surge of data")
    assert speaker.kind == "pronoun" and speaker.name == "Audrey Scagnelli"


def test_the_agent_of_a_passive_acts_before_the_owner_of_its_subject(speaker_of):
    text = (
        "Hillary Clinton has said the emails were not marked classified.\n\n"
        "Clinton's position was supported Friday by Sen. Dianne Feinstein of California, the ranking Democrat on "
        "the committee, who said the emails were sent by others.\n\n"
        '"The only reason to hold them back is politics," she said.'
    )
    speaker = speaker_of(text, "only reason")
    assert speaker.kind == "pronoun" and speaker.name == "Dianne Feinstein"


def test_the_owner_of_a_subordinate_clauses_subject_is_not_what_the_sentence_is_about(speaker_of):
    text = (
        "Footage of the preacher appears again. He adds that the faithful have two choices.\n\n"
        "The idea that Trump’s anti-Muslim rhetoric could be used as a recruiting tool for terror groups came up in a "
        "Democratic debate in December, when Hillary Clinton called the Republican frontrunner a recruiter. She also "
        "said, without evidence, that “they are going to people, showing videos of Donald Trump.”"
    )
    speaker = speaker_of(text, "showing videos")
    assert speaker.kind == "pronoun" and speaker.name == "Hillary Clinton"


def test_a_name_right_before_a_verb_the_parser_left_without_a_subject_is_its_subject(speaker_of):
    # The parser hangs "Brenda Walsh" on the place before it ("in Marion, Ohio, ... Walsh"), leaving "railed"
    # without a subject; only an adverb stands between the name and the verb.
    text = (
        "At a June Trump campaign event in Marion, Ohio, 62-year-old Brenda Walsh also railed against immigrants, "
        "and explained how much it upset her to hear them speak in other languages.\n\n"
        '"They should speak English in public," she said.'
    )
    speaker = speaker_of(text, "speak English")
    assert speaker.kind == "pronoun" and speaker.name == "Brenda Walsh"


def test_a_noun_named_after_its_person_is_that_person_as_subject(speaker_of):
    # "a retiree named Gloria Banks" is the sentence's subject (through "One voter"), and so is Gloria Banks.
    text = (
        "One voter, a retiree named Gloria Banks, said the race in her county was close.\n\n"
        '"Nobody here has made up their mind," she said.'
    )
    speaker = speaker_of(text, "Nobody here")
    assert speaker.kind == "pronoun" and speaker.name == "Gloria Banks"


# Fifth round (issue 14): fitted on the pronoun quotes of PolNeAR train left unnamed; texts made up in their shape.

def test_a_front_runner_described_as_subject_is_followed_back_to_her_name(speaker_of):
    text = (
        '"We are not winning yet," Ann Holt said on Sunday. "We need more time."\n\n'
        'The Democratic front-runner and former governor said the state needed a new budget.\n\n'
        '"I think you will hear that from the council," she said.'
    )
    assert speaker_of(text, "hear that from the council").name == "Ann Holt"


def test_she_about_someone_described_after_a_name_is_no_evidence_of_his_gender(speaker_of):
    # "... mocked the qualifications of the Democratic front-runner, saying she would be a bad mayor" is about the
    # front-runner: it must not make Victor Mendel a woman, whom the later "he" then could not continue.
    text = (
        "Victor Mendel mocked the qualifications of the Democratic front-runner, saying she would be a bad mayor.\n\n"
        "Mendel spoke again on Wednesday. \"It is not personal,\" Mendel said on the radio.\n\n"
        "He also made fun of the debate rules.\n\n"
        '"I have not quite recovered from that debate," he said.'
    )
    assert speaker_of(text, "not quite recovered").name == "Victor Mendel"


def test_a_noun_describing_the_subject_itself_keeps_its_agreement_vote(nlp):
    from newsfacts.annotate.entities import find_entities
    from newsfacts.annotate.quotes.coref import SpeakerResolver

    text = ("Dana Price is a candidate for the board, and she has no plans of stopping.\n\n"
            "Price, the founder of the charity, said she would run again.")
    doc = nlp(text)
    resolver = SpeakerResolver(doc, find_entities(doc))
    person = next(e for e in resolver.entities if e.name == "Dana Price")
    assert resolver.gender[person.id] == "female"


def test_the_admiral_is_the_officer_the_article_introduced(speaker_of):
    text = (
        "Admiral Harold Vance, who leads the Pacific fleet, makes no apologies for his candor.\n\n"
        "The Pacific Command has grown since its founding in 1947.\n\n"
        "Asked later about the islands, the admiral chuckled.\n\n"
        '"It is good that my voice is low," he said.'
    )
    assert speaker_of(text, "my voice is low").name == "Harold Vance"
