"""Annotation stages: one spaCy parse per article, shared by entities, quotes and figures."""
