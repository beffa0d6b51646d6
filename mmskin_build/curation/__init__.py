"""Curate: extracted, classified images -> caption pairs, demographics QA, dropped images and splits."""
