"""Regular-expression pieces for calendar words, shared by date finding (meta) and figure exclusion
(annotate/figures), so both stages agree on what a month name is."""

# English month names and their abbreviations, as one alternation (no group, no trailing period):
# "jan", "january", "sep", "sept", "september" ... Use case-insensitively.
MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
