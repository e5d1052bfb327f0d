from newsfacts.dedup import find_near_duplicates, jaccard, shingles

STORY = ("North Korea has sent 1,500 more soldiers to Russia, Seoul's spy agency told lawmakers, with 10,000 "
         "troops expected to be deployed by December, according to the agency's briefing to parliament on Wednesday.")


def test_republished_story_is_linked_to_the_first_id():
    other = "Completely different: the central bank raised interest rates by a quarter point on Thursday afternoon."
    found = find_near_duplicates([("b", STORY + " Share this story."), ("a", STORY), ("c", other)])
    assert list(found) == ["b"] and found["b"][0] == "a" and found["b"][1] >= 0.8


def test_a_different_story_is_not_a_duplicate():
    changed = STORY.replace("1,500 more soldiers", "new missiles").replace("10,000 troops", "artillery shells")
    assert jaccard(shingles(STORY), shingles(changed)) < 0.8
    assert find_near_duplicates([("a", STORY), ("b", changed)]) == {}


def test_order_of_input_does_not_matter():
    docs = [("x", STORY), ("y", STORY + " More."), ("z", STORY + " Even more text.")]
    assert find_near_duplicates(docs) == find_near_duplicates(list(reversed(docs)))


def test_the_index_gives_the_same_flags_in_any_order_and_for_many_copies():
    from newsfacts.dedup import NearDuplicateIndex

    other = "A completely different story about the budget, the minister and the schools in the north."
    docs = [(f"{i:03d}", STORY + (" Share this story." if i % 3 else "")) for i in range(40)] + [("zzz", other)]
    forward, backward = NearDuplicateIndex(), NearDuplicateIndex()
    for doc_id, text in docs:
        forward.add(doc_id, text)
    for doc_id, text in reversed(docs):
        backward.add(doc_id, text)
    found = forward.find()
    assert found == backward.find() == find_near_duplicates(docs)
    assert set(found) == {f"{i:03d}" for i in range(1, 40)} and {o for o, _ in found.values()} == {"000"}


def test_fingerprints_made_elsewhere_give_the_same_flags_as_the_texts():
    # a worker process computes the fingerprint and sends it pickled; the index must not care
    import pickle

    from newsfacts.dedup import NearDuplicateIndex, fingerprint

    docs = [("a", STORY), ("b", STORY + " Share this story."), ("c", "Short."), ("d", ""),
            ("e", "The budget, the minister and the schools in the north, again and again.")]
    by_text, by_fingerprint = NearDuplicateIndex(), NearDuplicateIndex()
    for doc_id, text in docs:
        by_text.add(doc_id, text)
        by_fingerprint.add_fingerprint(doc_id, pickle.loads(pickle.dumps(fingerprint(text))))
    assert by_fingerprint.find() == by_text.find() == {"b": by_text.find()["b"]}
    assert fingerprint("").signature is None and fingerprint("").shingles == b""
