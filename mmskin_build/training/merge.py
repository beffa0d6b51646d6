"""Merge a run's LoRA adapter (and its trained projector) into the base model: a standalone model directory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mmskin_build.training import TrainingInputError
from mmskin_build.training.train import ADAPTER_DIR, read_run

MERGED_DIR = "merged"


def run_merge(run_dir: Path, out: Path | None = None) -> Path:
    """Writes the merged model and its processor to OUT (default RUN_DIR/merged), in the base model's dtype.

    Merges in float32 on the CPU (exact, and no GPU needed); the directory appears only when complete.
    """
    base = Path(read_run(run_dir)["base"])
    adapter = Path(run_dir) / ADAPTER_DIR
    if not (adapter / "adapter_config.json").is_file():
        raise TrainingInputError(f"{adapter}: no adapter_config.json; did training finish?")

    import torch

    from mmskin_build.training.models import load_for_inference

    base_config = json.loads((base / "config.json").read_text())
    dtype = getattr(torch, base_config.get("dtype") or base_config.get("torch_dtype") or "float32")
    out = Path(out) if out else Path(run_dir) / MERGED_DIR
    model, processor = load_for_inference(run_dir, torch.float32, "cpu")
    merged = model.merge_and_unload().to(dtype)
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    merged.save_pretrained(tmp)
    processor.save_pretrained(tmp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out
