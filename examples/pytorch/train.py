#!/usr/bin/env python3
"""A small, real PyTorch training script that resumes exactly, written the way people write them.

It trains an MLP classifier on synthetic data with AdamW and a warmup-then-cosine LR schedule, and saves
Hugging Face Trainer-style `checkpoint-{N}` folders under --output_dir every --save_steps steps. Each folder holds the
model, the optimizer, the scheduler and the RNG states (torch.save), and `trainer_state.json` with `global_step`,
written last: once that file exists, the folder is complete. `--resume_from_checkpoint DIR` continues from such a
folder. Batches are a pure function of (seed, step), the math runs on one thread with deterministic algorithms, so a
run killed and resumed ends with the same parameters, bit for bit, as one that was never interrupted. At the end it
prints `final-params-sha256=<hex>` over the parameters' bytes in a fixed order (before its last save).

Savepoint runs it unchanged under the `hf-trainer` preset (examples/hf-trainer.json). It needs PyTorch; Debian's
`apt-get install python3-torch` installs it for /usr/bin/python3.
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time

import torch
from torch import nn

INPUTS, HIDDEN, CLASSES, SAMPLES, BATCH = 32, 128, 10, 4096, 64


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output_dir", required=True, help="where checkpoint-{N} folders are written")
    p.add_argument("--max_steps", type=int, default=300, help="optimizer steps in total")
    p.add_argument("--save_steps", type=int, default=50, help="save a checkpoint every this many steps")
    p.add_argument("--seed", type=int, default=42, help="seeds the model, the data and the batch order")
    p.add_argument("--learning_rate", type=float, default=3e-3, help="peak learning rate")
    p.add_argument("--warmup_steps", type=int, default=20, help="linear warmup before the cosine decay")
    p.add_argument("--weight_decay", type=float, default=0.01, help="AdamW weight decay")
    p.add_argument("--resume_from_checkpoint", default=None, help="a checkpoint-{N} folder to continue from")
    p.add_argument("--logging_steps", type=int, default=25, help="print the loss every this many steps")
    p.add_argument("--step_delay", type=float, default=0.0, help="seconds to sleep per step (slows a demo down)")
    return p.parse_args(argv)


def synthetic_data(seed):
    """A fixed classification set: points around one random centre per class."""
    g = torch.Generator().manual_seed(seed)
    centres = torch.randn(CLASSES, INPUTS, generator=g) * 0.4
    labels = torch.randint(0, CLASSES, (SAMPLES,), generator=g)
    features = centres[labels] + torch.randn(SAMPLES, INPUTS, generator=g)
    return features, labels


def batch_indices(seed, step):
    """The batch of a step depends only on (seed, step): a resumed run sees the same batches."""
    g = torch.Generator().manual_seed(seed * 1_000_003 + step)
    return torch.randint(0, SAMPLES, (BATCH,), generator=g)


def build(args):
    torch.manual_seed(args.seed)
    model = nn.Sequential(nn.Linear(INPUTS, HIDDEN), nn.ReLU(), nn.Dropout(0.1),
                          nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, CLASSES))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate, weight_decay=args.weight_decay)

    def lr_factor(step):
        if step < args.warmup_steps:
            return (step + 1) / args.warmup_steps
        progress = (step - args.warmup_steps) / max(1, args.max_steps - args.warmup_steps)
        return 0.05 + 0.95 * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    return model, optimizer, scheduler


def save_checkpoint(output_dir, step, model, optimizer, scheduler, loss):
    folder = os.path.join(output_dir, f"checkpoint-{step}")
    os.makedirs(folder, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(folder, "model.pt"))
    torch.save(optimizer.state_dict(), os.path.join(folder, "optimizer.pt"))
    torch.save(scheduler.state_dict(), os.path.join(folder, "scheduler.pt"))
    torch.save({"torch": torch.get_rng_state(), "python": random.getstate()}, os.path.join(folder, "rng_state.pt"))
    # Written last, through a temporary name: the folder is complete once trainer_state.json exists.
    state = {"global_step": step, "loss": loss}
    tmp = os.path.join(folder, "trainer_state.json.tmp")
    with open(tmp, "w") as f:
        json.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(folder, "trainer_state.json"))


def load_checkpoint(folder, model, optimizer, scheduler):
    with open(os.path.join(folder, "trainer_state.json")) as f:
        step = json.load(f)["global_step"]
    model.load_state_dict(torch.load(os.path.join(folder, "model.pt")))
    optimizer.load_state_dict(torch.load(os.path.join(folder, "optimizer.pt")))
    scheduler.load_state_dict(torch.load(os.path.join(folder, "scheduler.pt")))
    rng = torch.load(os.path.join(folder, "rng_state.pt"))
    torch.set_rng_state(rng["torch"])
    random.setstate(rng["python"])
    return step


def params_sha256(model):
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    random.seed(args.seed)
    features, labels = synthetic_data(args.seed)
    model, optimizer, scheduler = build(args)
    step = 0
    if args.resume_from_checkpoint:
        step = load_checkpoint(args.resume_from_checkpoint, model, optimizer, scheduler)
        print(f"resumed from {args.resume_from_checkpoint} at step {step}", flush=True)
    os.makedirs(args.output_dir, exist_ok=True)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    started = time.monotonic()
    while step < args.max_steps:
        idx = batch_indices(args.seed, step)
        optimizer.zero_grad()
        loss = loss_fn(model(features[idx]), labels[idx])
        loss.backward()
        optimizer.step()
        scheduler.step()
        step += 1
        if step % args.logging_steps == 0 or step == args.max_steps:
            print(f"step {step} loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.6f}", flush=True)
        if step == args.max_steps:
            # Printed before the last save: a supervisor may stop the trainer as soon as that state is saved.
            print(f"trained to step {step} in {time.monotonic() - started:.1f}s", flush=True)
            print(f"final-params-sha256={params_sha256(model)}", flush=True)
        if step % args.save_steps == 0 or step == args.max_steps:
            save_checkpoint(args.output_dir, step, model, optimizer, scheduler, loss.item())
        if args.step_delay > 0 and step < args.max_steps:
            time.sleep(args.step_delay)


if __name__ == "__main__":
    main(sys.argv[1:])
