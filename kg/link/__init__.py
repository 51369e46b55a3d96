"""Linking: names -> canonical entities and Wikidata QIDs (offline gazetteer first)."""
