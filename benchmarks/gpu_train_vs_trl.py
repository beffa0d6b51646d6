"""`mmskin-build train` against a plain TRL SFTTrainer run: same model, data, LoRA, batch size and steps.

Prints samples/s and peak GPU memory of each and the ratio ours / TRL (target >= 1.0), and writes them as
JSON. Nothing downloads: the model is a random one built offline from a config, either tiny (a check that
the script runs, also on CPU) or with Qwen2-VL-2B's architecture (what the GPU figures are about: speed and
memory depend on the shapes, not on the weights).

    python benchmarks/gpu_train_vs_trl.py --size 2b --steps 30 --batch-size 8      # GPU, bf16
    python benchmarks/gpu_train_vs_trl.py --size tiny --steps 3 --device cpu       # CPU check, fp32
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fixtures.tiny_dataset import build_dataset  # noqa: E402
from fixtures.tiny_vlm import build_tiny_qwen2_vl  # noqa: E402

# Qwen2-VL-2B-Instruct's shapes (its config.json), random weights.
QWEN2_VL_2B = {
    "text_config": dict(
        vocab_size=151936,
        hidden_size=1536,
        intermediate_size=8960,
        num_hidden_layers=28,
        num_attention_heads=12,
        num_key_value_heads=2,
        max_position_embeddings=32768,
        rope_scaling={"type": "mrope", "mrope_section": [16, 24, 24]},
        tie_word_embeddings=True,
    ),
    "vision_config": dict(
        depth=32,
        embed_dim=1280,
        hidden_size=1536,
        num_heads=16,
        mlp_ratio=4,
        patch_size=14,
        spatial_merge_size=2,
        temporal_patch_size=2,
        in_channels=3,
    ),
}


def build_model(size: str, out: Path, device: str) -> Path:
    """The tiny Qwen2-VL of the tests, or one re-shaped to Qwen2-VL-2B (tokenizer and processor kept)."""
    build_tiny_qwen2_vl(out)
    if size == "2b":
        import torch
        from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration

        tiny = Qwen2VLConfig.from_pretrained(out)
        token_ids = {k: getattr(tiny.text_config, k) for k in ("bos_token_id", "eos_token_id", "pad_token_id")}
        text = {**QWEN2_VL_2B["text_config"], **token_ids}
        config = Qwen2VLConfig(
            text_config=text,
            vision_config=QWEN2_VL_2B["vision_config"],
            image_token_id=tiny.image_token_id,
            video_token_id=tiny.video_token_id,
            vision_start_token_id=tiny.vision_start_token_id,
            vision_end_token_id=tiny.vision_end_token_id,
        )
        with torch.device(device):  # random init of 2B parameters is much faster on the GPU
            Qwen2VLForConditionalGeneration._from_config(config, dtype=torch.bfloat16).save_pretrained(out)
    return out


def peak_and_reset(device: str) -> int | None:
    import torch

    if not device.startswith("cuda"):
        return None
    peak = torch.cuda.max_memory_allocated()
    gc.collect()
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    return peak


def run_ours(base: Path, data: Path, out: Path, args) -> dict:
    from mmskin_build.training.train import TrainConfig, run_train

    config = TrainConfig(
        base=base,
        data=data,
        out=out,
        mix=("captions", "vqa"),
        max_steps=args.steps,
        batch_size=args.batch_size,
        max_length=args.max_length,
        max_pixels=args.max_pixels,
        save_steps=10**9,
        logging_steps=max(1, args.steps // 5),
        device=args.device,
        lora_r=args.lora_r,
        lora_alpha=args.lora_alpha,
    )
    summary = run_train(config)
    return {
        "samples_per_second": summary.samples_per_second,
        "seconds": summary.seconds,
        "peak_memory_bytes": summary.peak_memory_bytes,
        "last_loss": summary.last_loss,
    }


def run_trl(base: Path, data: Path, out: Path, args) -> dict:
    """TRL's own SFT path: its vision collator on the `messages` + `images` export, peft_config for LoRA."""
    import datasets
    import torch
    from peft import LoraConfig
    from trl import SFTConfig, SFTTrainer

    from mmskin_build.training.export import run_export
    from mmskin_build.training.models import LORA_TARGETS, family_of, load_model, load_processor

    run_export(
        data, "messages", out / "export", ("captions", "vqa"), embed_images=True, image_tags=False, splits=("train",)
    )
    train = datasets.load_dataset("parquet", data_files=str(out / "export" / "train.parquet"), split="train")
    train = train.select_columns(["messages", "images"])
    family = family_of(base)
    processor = load_processor(base, family, args.max_pixels)
    processor.tokenizer.padding_side = "right"
    on_gpu = args.device.startswith("cuda")
    model = load_model(base, torch.bfloat16 if on_gpu else torch.float32, args.device)
    config = SFTConfig(
        output_dir=str(out / "trl"),
        max_steps=args.steps,
        per_device_train_batch_size=args.batch_size,
        learning_rate=5e-5,
        lr_scheduler_type="cosine",
        max_length=args.max_length,
        bf16=on_gpu,
        use_cpu=not on_gpu,
        gradient_checkpointing=True,
        gradient_checkpointing_kwargs={"use_reentrant": False},
        report_to=[],
        save_strategy="no",
        logging_steps=max(1, args.steps // 5),
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    lora = LoraConfig(
        r=args.lora_r,
        lora_alpha=args.lora_alpha,
        lora_dropout=0.05,
        target_modules=LORA_TARGETS,
        modules_to_save=[family.projector],
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=train, processing_class=processor, peft_config=lora)
    peak_and_reset(args.device)
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
    losses = [e["loss"] for e in trainer.state.log_history if "loss" in e]
    return {
        "samples_per_second": args.steps * args.batch_size / seconds,
        "seconds": seconds,
        "peak_memory_bytes": peak_and_reset(args.device),
        "last_loss": losses[-1] if losses else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("tiny", "2b"), default="2b")
    parser.add_argument("--device", default=None, help="cuda (default when available) or cpu")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--images", type=int, default=64, help="Training images (two samples each).")
    parser.add_argument("--image-size", type=int, default=448, help="Side of the square training images.")
    parser.add_argument("--max-pixels", type=int, default=448 * 448)
    parser.add_argument("--max-length", type=int, default=1024)
    parser.add_argument("--lora-r", type=int, default=128)
    parser.add_argument("--lora-alpha", type=int, default=64)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args()

    import torch

    args.device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = build_model(args.size, tmp / "model", args.device)
        data = build_dataset(tmp / "data", n_train=args.images, n_test=0, image_size=(args.image_size,) * 2)
        peak_and_reset(args.device)
        # TRL first, then ours: any warm-up advantage (allocator, kernels) goes to the baseline.
        trl = run_trl(base, data, tmp, args)
        peak_and_reset(args.device)  # frees what the TRL run left before ours is measured
        ours = run_ours(base, data, tmp / "ours", args)
    result = {
        "device": torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu",
        "dtype": "bf16" if args.device.startswith("cuda") else "fp32",
        "model": f"random Qwen2-VL ({args.size})",
        "steps": args.steps,
        "batch_size": args.batch_size,
        "image_size": args.image_size,
        "ours": ours,
        "trl": trl,
        "throughput_ratio": ours["samples_per_second"] / trl["samples_per_second"],
        "memory_ratio": (ours["peak_memory_bytes"] / trl["peak_memory_bytes"]) if trl["peak_memory_bytes"] else None,
    }
    for name in ("ours", "trl"):
        r = result[name]
        memory = f"{r['peak_memory_bytes'] / 2**30:.2f} GiB" if r["peak_memory_bytes"] else "n/a"
        print(f"{name:>5}: {r['samples_per_second']:.2f} samples/s, peak memory {memory}, last loss {r['last_loss']}")
    print(
        f"throughput ratio ours/TRL {result['throughput_ratio']:.2f} (target >= 1.0); "
        f"memory ratio {result['memory_ratio'] if result['memory_ratio'] is None else round(result['memory_ratio'], 2)}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
