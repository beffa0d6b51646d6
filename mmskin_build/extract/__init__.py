"""PDF -> figures: caption-anchored figure search over pypdfium2's page objects and text."""
