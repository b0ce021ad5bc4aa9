"""The prediction systems' maths and what they share: distributions, odds, markets, the decision, the ensembles."""
