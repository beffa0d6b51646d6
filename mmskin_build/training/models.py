"""Loading a local vision-language model and its processor, per supported model family."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mmskin_build.training import TrainingInputError


@dataclass(frozen=True)
class Family:
    """What differs between the supported model families."""

    name: str
    projector: str  # module trained in full (at the projector learning rate) next to the LoRA adapters


FAMILIES: dict[str, Family] = {
    "llava": Family("llava", "multi_modal_projector"),
    "llava_next": Family("llava_next", "multi_modal_projector"),
    "qwen2_vl": Family("qwen2_vl", "merger"),
    "qwen2_5_vl": Family("qwen2_5_vl", "merger"),
}

# LoRA goes on the language model's linear layers only; the vision tower stays frozen, as in LLaVA-Med.
LORA_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"


def family_of(model_dir: Path) -> Family:
    """The family of the model in `model_dir`; TrainingInputError when it is not a supported VLM."""
    config_path = Path(model_dir) / "config.json"
    if not config_path.is_file():
        raise TrainingInputError(f"{model_dir}: not a model directory (no config.json)")
    config = json.loads(config_path.read_text())
    model_type = config.get("model_type", "?")
    if model_type not in FAMILIES:
        kind = "a vision-language model" if "vision_config" in config else "not a vision-language model"
        raise TrainingInputError(
            f"{config_path}: model_type '{model_type}' is {kind} this tool supports; supported: {', '.join(FAMILIES)}"
        )
    return FAMILIES[model_type]


def _image_only(processor_cls: type) -> type:
    """A Qwen-VL processor without the video processor (which needs torchvision, absent on CPU installs)."""
    from transformers.processing_utils import ProcessorMixin

    class ImageOnlyProcessor(processor_cls):
        def __init__(self, image_processor=None, tokenizer=None, chat_template=None, **kwargs):
            self.image_token = getattr(tokenizer, "image_token", "<|image_pad|>")
            self.image_token_id = tokenizer.convert_tokens_to_ids(self.image_token)
            self.video_token = "<|video_pad|>"
            self.video_token_id = tokenizer.convert_tokens_to_ids(self.video_token)
            ProcessorMixin.__init__(self, image_processor, tokenizer, chat_template=chat_template)

    ImageOnlyProcessor.__name__ = ImageOnlyProcessor.__qualname__ = processor_cls.__name__
    return ImageOnlyProcessor


def load_processor(model_dir: Path, family: Family, max_pixels: int | None = None):
    """The processor (tokenizer, image processor, chat template) saved in `model_dir`, padding on the left for
    generation in batches; `max_pixels` caps the image size of Qwen-VL models (more pixels, more image tokens)."""
    from transformers import AutoProcessor
    from transformers.processing_utils import ProcessorMixin

    try:
        processor = AutoProcessor.from_pretrained(model_dir)
    except (ImportError, OSError):  # the Qwen-VL video processor needs torchvision
        processor = None
    if not isinstance(processor, ProcessorMixin) and family.name.startswith("qwen"):
        from transformers import Qwen2_5_VLProcessor, Qwen2VLProcessor

        base = Qwen2VLProcessor if family.name == "qwen2_vl" else Qwen2_5_VLProcessor
        processor = _image_only(base).from_pretrained(model_dir)
    if not isinstance(processor, ProcessorMixin) or not hasattr(processor, "image_processor"):
        raise TrainingInputError(f"{model_dir}: no image processor found (preprocessor_config.json)")
    if processor.chat_template is None and processor.tokenizer.chat_template is None:
        raise TrainingInputError(f"{model_dir}: the processor has no chat template")
    if max_pixels is not None:
        if not family.name.startswith("qwen"):
            raise TrainingInputError(f"--max-pixels applies to Qwen-VL models; {family.name} resizes to a fixed size")
        processor.image_processor.size = {**dict(processor.image_processor.size), "longest_edge": max_pixels}
    processor.tokenizer.padding_side = "left"
    if processor.tokenizer.pad_token is None:
        processor.tokenizer.pad_token = processor.tokenizer.eos_token
    return processor


def load_model(model_dir: Path, dtype, device: str):
    """The full model (no adapter) from a local directory, on `device`."""
    from transformers import AutoModelForImageTextToText

    family_of(model_dir)
    # Resolved, so the adapter records an absolute base path that merge and evaluate can find again.
    model = AutoModelForImageTextToText.from_pretrained(Path(model_dir).resolve(), dtype=dtype, local_files_only=True)
    return model.to(device)


def load_for_inference(model_dir: Path, dtype, device: str):
    """(model, processor) from a training run directory (base + adapter), an adapter directory, or a full
    (merged or base) model directory."""
    from peft import PeftModel

    model_dir = Path(model_dir)
    if (model_dir / "run.json").is_file():
        model_dir = model_dir / "adapter"
    adapter_config = model_dir / "adapter_config.json"
    if not adapter_config.is_file():
        family = family_of(model_dir)
        return load_model(model_dir, dtype, device), load_processor(model_dir, family)
    base = Path(json.loads(adapter_config.read_text())["base_model_name_or_path"])
    family = family_of(base)
    model = PeftModel.from_pretrained(load_model(base, dtype, device), model_dir).to(device)
    return model, load_processor(model_dir, family)
