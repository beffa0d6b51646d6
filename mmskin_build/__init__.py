"""mmskin-build: dermatology textbooks (PDF) to a multimodal instruction dataset."""

__version__ = "0.1.0"
