"""`generate-vqa`: grounded question-answer pairs from captions (rules) or an LLM served by vLLM."""
