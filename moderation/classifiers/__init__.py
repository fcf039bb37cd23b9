"""Classifiers: the rule-based length classifier and thin wrappers over the model runtime's heads."""
