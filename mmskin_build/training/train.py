"""LoRA supervised fine-tuning of a local vision-language model on a built dataset (SkinVL's recipe)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from mmskin_build.pipeline import StageEvents
from mmskin_build.store.dataset import atomic_write_bytes
from mmskin_build.training import TrainingInputError
from mmskin_build.training.collate import Collator, check_lengths
from mmskin_build.training.models import LORA_TARGETS, family_of, load_model, load_processor
from mmskin_build.training.samples import DEFAULT_MIX, build_samples, image_sizes, parse_mix

ADAPTER_DIR = "adapter"
CHECKPOINTS_DIR = "checkpoints"
RUN_FILE = "run.json"


@dataclass
class TrainConfig:
    """Defaults are SkinVL's: LoRA rank 128, alpha 64, lr 5e-5, projector lr 2e-5, one epoch."""

    base: Path
    data: Path
    out: Path
    mix: tuple[str, ...] = DEFAULT_MIX
    classification_csv: Path | None = None
    lora_r: int = 128
    lora_alpha: int = 64
    lora_dropout: float = 0.05
    lr: float = 5e-5
    projector_lr: float = 2e-5
    epochs: float = 1.0
    max_steps: int = -1
    batch_size: int = 4
    grad_accum: int = 1
    max_length: int = 2048
    max_pixels: int | None = None
    warmup_ratio: float = 0.03
    save_steps: int = 500
    logging_steps: int = 10
    gradient_checkpointing: bool = True
    seed: int = 0
    workers: int | None = None  # data loader processes decoding images; default 4 on a GPU, 0 on CPU
    device: str | None = field(default=None, metadata={"help": "cuda when available, else cpu"})

    def as_json(self) -> dict:
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}


@dataclass
class TrainSummary:
    samples: int
    steps: int
    first_loss: float | None
    last_loss: float | None
    seconds: float
    samples_per_second: float
    peak_memory_bytes: int | None
    adapter: Path
    resumed_from: str | None
    model: object = field(default=None, repr=False)  # the trained PeftModel, for callers that go on using it

    def as_json(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "model"}
        return {k: str(v) if isinstance(v, Path) else v for k, v in values.items()}


def _progress_callback(events: StageEvents):
    from transformers import TrainerCallback

    class StageProgress(TrainerCallback):
        """Steps done on the stage's progress bar, the latest loss as its status."""

        def on_train_begin(self, args, state, control, **kwargs):
            self.advance = events.progress("training", state.max_steps)
            self.advance(state.global_step)  # a resumed run starts part way
            self.done = state.global_step

        def on_step_end(self, args, state, control, **kwargs):
            self.advance(state.global_step - self.done)
            self.done = state.global_step

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                events.status(f"loss {logs['loss']:.4f}")

    return StageProgress()


def _optimizer(model, config: TrainConfig, projector: str):
    """AdamW with the LoRA weights at `lr` and the fully trained projector at `projector_lr`."""
    import torch

    lora, proj = [], []
    for name, param in model.named_parameters():
        if param.requires_grad:
            (proj if f"{projector}." in name and "modules_to_save" in name else lora).append(param)
    groups = [{"params": lora, "lr": config.lr}, {"params": proj, "lr": config.projector_lr}]
    return torch.optim.AdamW([g for g in groups if g["params"]], weight_decay=0.0)


def last_checkpoint(out: Path) -> Path | None:
    checkpoints = sorted((out / CHECKPOINTS_DIR).glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    return checkpoints[-1] if checkpoints else None


def run_train(config: TrainConfig, events: StageEvents | None = None) -> TrainSummary:
    """Check every input, then train; resumes from the last checkpoint in OUT when there is one.

    Writes OUT/adapter (the LoRA adapter, the projector and the processor), OUT/checkpoints and OUT/run.json.
    """
    # Every check that can fail runs before the heavy imports, the model load and any step.
    family = family_of(config.base)
    config.mix = parse_mix(list(config.mix))
    samples = build_samples(config.data, "train", config.mix, config.classification_csv)
    sizes = image_sizes(samples)
    processor = load_processor(config.base, family, config.max_pixels)
    check_lengths(processor, samples, sizes, config.max_length)

    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import PrinterCallback, TrainingArguments

    from mmskin_build.training.loss import AnswerTokenLossTrainer

    device = config.device or ("cuda" if torch.cuda.is_available() else "cpu")
    on_gpu = device.startswith("cuda")
    model = load_model(config.base, torch.bfloat16 if on_gpu else torch.float32, device)
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=config.lora_dropout,
        target_modules=LORA_TARGETS,
        modules_to_save=[family.projector],
    )
    model = get_peft_model(model, lora)
    config.out.mkdir(parents=True, exist_ok=True)
    args = TrainingArguments(
        output_dir=str(config.out / CHECKPOINTS_DIR),
        per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        learning_rate=config.lr,
        lr_scheduler_type="cosine",
        warmup_steps=config.warmup_ratio,  # a float under 1 is a ratio of the total steps
        logging_steps=config.logging_steps,
        save_steps=config.save_steps,
        save_total_limit=2,
        bf16=on_gpu,
        use_cpu=not on_gpu,
        gradient_checkpointing=config.gradient_checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False},
        remove_unused_columns=False,
        report_to=[],
        disable_tqdm=True,
        seed=config.seed,
        # Images are decoded and processed in the collator: worker processes keep a GPU fed.
        dataloader_num_workers=config.workers if config.workers is not None else (4 if on_gpu else 0),
    )
    trainer = AnswerTokenLossTrainer(
        model=model,
        args=args,
        train_dataset=samples,
        data_collator=Collator(processor, model.config.image_token_id, config.max_length),
        optimizers=(_optimizer(model, config, family.projector), None),
        callbacks=[_progress_callback(events or StageEvents())],
    )
    trainer.remove_callback(PrinterCallback)  # stages never print: the loss goes to the events' status
    resume = last_checkpoint(config.out)
    if on_gpu:
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    seconds = time.perf_counter() - start
    peak = torch.cuda.max_memory_allocated() if on_gpu else None

    adapter = config.out / ADAPTER_DIR
    model.save_pretrained(adapter)
    processor.save_pretrained(adapter)
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    trained = trainer.state.global_step - (int(resume.name.split("-")[1]) if resume else 0)
    done = trained * config.batch_size * config.grad_accum
    summary = TrainSummary(
        samples=len(samples),
        steps=trainer.state.global_step,
        first_loss=losses[0] if losses else None,
        last_loss=losses[-1] if losses else None,
        seconds=seconds,
        samples_per_second=done / seconds if seconds else 0.0,
        peak_memory_bytes=peak,
        adapter=adapter,
        resumed_from=resume.name if resume else None,
        model=model,
    )
    record = {
        "base": str(Path(config.base).resolve()),
        "family": family.name,
        "config": config.as_json(),
        "summary": summary.as_json(),
        "log_history": trainer.state.log_history,
    }
    atomic_write_bytes(config.out / RUN_FILE, json.dumps(record, indent=2).encode())
    return summary


def read_run(run_dir: Path) -> dict:
    path = Path(run_dir) / RUN_FILE
    if not path.is_file():
        raise TrainingInputError(f"{run_dir}: not a training run directory (no {RUN_FILE})")
    return json.loads(path.read_text())
