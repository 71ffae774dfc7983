"""The rule kernel: the rule-set vocabulary (`params`), the pure rating rules (`grading`) and the rule cases
(`cases`, with the reference cases YAML). Plain values and functions; it imports no app, so the catalogue
that publishes rule sets, collection that checks records against them, rating and dynamic management all
build on it."""
