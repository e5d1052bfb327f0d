"""Speakers behind "it" and "they" (annotate/quotes/coref/groups.py), and a pronoun's own reported words.

Each text is a shortened form of a case from the PolNeAR train sample (eval/gold/polnear_referents_train/)."""

from __future__ import annotations


def test_it_is_the_organisation_that_is_the_subject_before_it(speaker_of):
    text = (
        "The advisory panel recommends adjustments. Still, the Business Council of British Columbia opposed an "
        "increase.\n\n"
        '"Keep the carbon tax in place at the current level," it recommended.'
    )
    speaker = speaker_of(text, "Keep the carbon tax")
    assert speaker.kind == "pronoun" and speaker.mention.text == "it"
    assert speaker.name is not None and "Business Council" in speaker.name


def test_it_never_stands_for_a_person(speaker_of):
    text = (
        "Senator Mary Landrieu opposed the bill on Monday.\n\n"
        '"The tax must not rise," it said.'
    )
    speaker = speaker_of(text, "The tax must not rise")
    assert speaker.name is None and speaker.mention.text == "it"


def test_they_names_the_people_coordinated_as_the_subject(speaker_of):
    text = (
        "Professors Nancy Foner and Richard Alba studied immigrants for a decade. Foner and Alba suggest the "
        "problem lies elsewhere.\n\n"
        "In the United States, they write, \"to be religious is to be in sync with mainstream norms.\""
    )
    speaker = speaker_of(text, "to be religious")
    assert speaker.name is not None and "Foner" in speaker.name and "Alba" in speaker.name
    assert speaker.entity_id is None  # several people: no one entity


def test_a_document_speaks_for_the_author_it_names(speaker_of):
    text = (
        "Pence's press release linked to the Associated Press report, which notes, \"More than half the people "
        "who met with Clinton gave money to the foundation.\""
    )
    speaker = speaker_of(text, "More than half")
    assert speaker.name is not None and "Associated Press" in speaker.name


def test_the_words_a_pronoun_reports_are_not_its_antecedent(speaker_of):
    # "Democrats" is the subject of what she said, not who she is.
    text = (
        "Hillary Clinton on Tuesday became the first woman to win the nomination of a major party.\n\n"
        "Democrats had \"put the biggest crack\" yet in the glass ceiling for women, she said in a video message."
    )
    speaker = speaker_of(text, "put the biggest crack")
    assert speaker.kind == "pronoun" and speaker.name == "Hillary Clinton"


def test_it_after_according_to_is_the_source_of_the_sentence(speaker_of):
    text = (
        "The Islamic State has previously called for attacks using vehicles, according to the SITE Intelligence "
        "Group, which monitors extremist statements. It said supporters were \"celebrating the massacre.\""
    )
    speaker = speaker_of(text, "celebrating the massacre")
    assert speaker.name is not None and "SITE" in speaker.name


def test_a_campaign_speaks_for_its_owner(speaker_of):
    text = (
        "Donald Trump said in March that women should be punished.\n\n"
        "Trump's campaign immediately backtracked, putting out a statement contradicting his earlier comments. In "
        "cases of abortion, it said, \"the woman is a victim.\""
    )
    speaker = speaker_of(text, "the woman is a victim")
    assert speaker.name == "Donald Trump"


def test_a_document_speaks_for_who_filed_it(speaker_of):
    text = (
        "Patricia Smith and Charles Woods, the parents of two Americans killed in Benghazi, have filed a wrongful "
        "death lawsuit against Hillary Clinton.\n\n"
        "The lawsuit contends that the deaths were caused by negligence. It goes on to fault her email server, "
        "saying any information sent through it was \"compromised\" and helped the attack."
    )
    speaker = speaker_of(text, "compromised")
    assert speaker.name is not None and "Smith" in speaker.name


def test_they_for_a_named_person_and_unnamed_company_is_the_named_person(speaker_of):
    text = (
        "Hillary Clinton has repeatedly called for her messages to be made public. She and her defenders argue "
        "that the information is widely available. They note that even newspaper articles can be deemed \"top "
        "secret\" under government rules."
    )
    speaker = speaker_of(text, "top")
    assert speaker.name == "Hillary Clinton"


def test_the_newspaper_is_the_organisation_introduced_as_one(speaker_of):
    text = (
        "Louisiana's floods left thousands homeless this month.\n\n"
        "The Wall Street Journal, the country's largest newspaper, chided the president on Aug. 17 for continuing "
        "his vacation.\n\n"
        "The newspaper urged Clinton to make a decision on a basis other than the electoral map.\n\n"
        '"Louisiana\'s crisis should be a call to conscience and compassion," it added.'
    )
    speaker = speaker_of(text, "call to conscience")
    assert speaker.kind == "pronoun" and speaker.mention.text == "it"
    assert speaker.name is not None and "Wall Street Journal" in speaker.name


def test_the_magazine_is_not_a_company_the_article_is_about(speaker_of):
    # A medium points back only to one introduced as such: Apple, the subject before, is not the magazine.
    text = (
        "Apple's iPod has been declared the greatest gadget of all time by a technology magazine.\n\n"
        "Apple sold millions of the players last year. The magazine specified that gadgets needed moving parts.\n\n"
        '"In the end, we tried to get to the heart of what really makes a gadget a gadget," it concluded.'
    )
    speaker = speaker_of(text, "In the end")
    assert speaker.mention.text == "it" and speaker.name is None


def test_an_indefinite_newspaper_names_no_organisation(speaker_of):
    text = (
        "Louisiana's floods left thousands homeless.\n\n"
        "A newspaper in Baton Rouge urged Clinton to make a decision on a basis other than the electoral map.\n\n"
        '"Louisiana\'s crisis should be a call to conscience and compassion," it added.'
    )
    speaker = speaker_of(text, "call to conscience")
    assert speaker.mention.text == "it" and speaker.name is None


def test_a_document_sent_by_someone_speaks_for_them_past_a_plural_subject(speaker_of):
    # "Two Americans" cannot be "it": the sentence before it, about the email, is read.
    text = (
        "The email, released by Judicial Watch, was sent at 7:19 p.m. by then-Department of Defense Chief of Staff "
        "Jeremy Bash, three hours after the first attack. Two Americans were killed at each location.\n\n"
        '"I just tried you on the phone but you were all in with S," it reads.'
    )
    speaker = speaker_of(text, "I just tried you")
    assert speaker.kind == "pronoun" and speaker.name == "Jeremy Bash"


def test_a_document_sent_by_someone_unnamed_is_not_the_releasers(speaker_of):
    text = (
        "The email, released by Judicial Watch on Monday, was sent at 7:19 p.m. by a Pentagon official.\n\n"
        '"I just tried you on the phone but you were all in with S," it reads.'
    )
    speaker = speaker_of(text, "I just tried you")
    assert speaker.mention.text == "it" and speaker.name is None


def test_a_document_found_by_someone_is_not_theirs(speaker_of):
    text = (
        "The email was found on a server by investigators from the State Department inspector general.\n\n"
        '"I just tried you on the phone but you were all in with S," it reads.'
    )
    speaker = speaker_of(text, "I just tried you")
    assert speaker.mention.text == "it" and speaker.name is None


def test_sentences_inside_the_quotation_do_not_use_up_the_look_back(speaker_of):
    # Three quoted sentences stand between the last "it said" and the email; only narration counts.
    text = (
        "The email, released by Judicial Watch, was sent at 7:19 p.m. by then-Department of Defense Chief of Staff "
        "Jeremy Bash, three hours after the first attack.\n\n"
        '"I just tried you on the phone but you were all in with S," it reads.\n\n'
        '"After consulting with General Dempsey, we have identified the forces that could move to Benghazi. They are '
        'spinning up as we speak. They include a (REDACTED)," it said.'
    )
    speaker = speaker_of(text, "After consulting")
    assert speaker.kind == "pronoun" and speaker.name == "Jeremy Bash"


def test_narration_between_still_counts(speaker_of):
    text = (
        "The email, released by Judicial Watch, was sent at 7:19 p.m. by then-Department of Defense Chief of Staff "
        "Jeremy Bash, three hours after the first attack. The State Department declined to comment. The Pentagon "
        "did not answer. Officials said little.\n\n"
        '"After consulting with General Dempsey, we have identified the forces," it said.'
    )
    speaker = speaker_of(text, "After consulting")
    assert speaker.mention.text == "it" and speaker.name != "Jeremy Bash"


def test_it_in_a_relative_clause_is_the_organisation_the_clause_modifies(speaker_of):
    text = (
        "The super PACs combined to spend $332,000 on payments to a company called Cambridge Analytica, which "
        'specializes in building what it calls "psychographic" profiles of voters.'
    )
    speaker = speaker_of(text, "psychographic")
    assert speaker.kind == "pronoun" and speaker.name == "Cambridge Analytica"


def test_a_document_sent_by_a_description_speaks_for_the_person_described(speaker_of):
    text = (
        "Ted Cruz is protesting the executive actions by giving away an engraved shotgun.\n\n"
        "The Republican presidential candidate sent out an email to supporters Tuesday.\n\n"
        "The email includes a photo of Cruz holding a gun.\n\n"
        'At the bottom it reads: "P.S. You can further support the cause by chipping in $35."'
    )
    speaker = speaker_of(text, "further support the cause")
    assert speaker.kind == "pronoun" and speaker.name == "Ted Cruz"


def test_it_after_a_person_wrote_in_a_document_is_that_persons_document(speaker_of):
    text = (
        "Police officer Marc Bujnowski interviewed witnesses.\n\n"
        '"Lewandowski grabbed her arm," Bujnowski wrote in the affidavit. It concludes: "Probable cause exists to '
        'charge him with one count of simple battery."'
    )
    speaker = speaker_of(text, "Probable cause")
    assert speaker.kind == "pronoun" and speaker.name == "Marc Bujnowski"


def test_it_after_the_persons_own_website_is_that_person(speaker_of):
    text = (
        "Bernie Sanders has moved on from the primaries.\n\n"
        'On his website, Sanders has already started to reach out to his supporters. "This is your movement," it '
        "read."
    )
    speaker = speaker_of(text, "your movement")
    assert speaker.kind == "pronoun" and speaker.name == "Bernie Sanders"
