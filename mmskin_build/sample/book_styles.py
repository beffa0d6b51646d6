"""The sample book's layout families, light enough for the CLI to list them without importing the generator."""

from __future__ import annotations

from enum import StrEnum


class BookStyle(StrEnum):
    textbook = "textbook"
    handbook = "handbook"
    ebook = "ebook"
    atlas = "atlas"
