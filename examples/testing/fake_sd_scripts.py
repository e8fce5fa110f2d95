#!/usr/bin/python3
"""A stand-in for Kohya sd-scripts' train_network.py in tests: no torch, Python 3 standard library only.

It behaves like sd-scripts with --save_state where it matters to Savepoint:
  * every --save_every_n_steps steps it writes a state folder <name>-step{N:08d}-state/ file by file
    (train_state.json with current_step and current_epoch first, then model.bin, optimizer.bin, random_states.json),
    and the weights <name>-step{N:08d}.safetensors beside it, last;
  * --resume DIR loads such a folder and, like sd-scripts (issues #1999, #2248), starts its step counter at 0 again;
  * its "weights" are a deterministic value: a SHA-256 chain advanced once per step from the state it resumed, so a
    run resumed from a state ends with the same weights as an uninterrupted run after the same number of steps;
  * at the end it prints final-params-sha256=<hex>, the SHA-256 of its last weights file's bytes.

Test hooks: --step_seconds pauses each step, --slow_save_seconds pauses between the files of a save (so that a kill
can land mid-save), --hang_in_save_at_step N writes part of step N's state and then keeps appending to its current
file forever (a save that is never finished and never settles, until the process is killed).

Usage: fake_sd_scripts.py --output_dir DIR [--output_name NAME] --max_train_steps N [--save_every_n_steps K]
       [--resume DIR] [--step_seconds S] [--slow_save_seconds S] [--hang_in_save_at_step N]
"""
import argparse
import hashlib
import json
import os
import sys
import time

WEIGHTS_BYTES = 4096


def weights_bytes(value):
    """The fake weights: WEIGHTS_BYTES bytes expanded from the 32-byte value."""
    out = bytearray()
    block = value
    while len(out) < WEIGHTS_BYTES:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:WEIGHTS_BYTES])


def write_file(path, data, slow_seconds):
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if slow_seconds > 0:
        time.sleep(slow_seconds)


def hang_appending(path):
    """Never finishes the save: the file keeps growing, so the folder never looks settled."""
    print("saving: hanging mid-save in " + path, flush=True)
    with open(path, "ab") as f:
        while True:
            f.write(b"\0")
            f.flush()
            time.sleep(0.1)


def save_state(args, step, epoch, value):
    stem = "%s-step%08d" % (args.output_name, step)
    folder = os.path.join(args.output_dir, stem + "-state")
    os.makedirs(folder, exist_ok=True)
    print("saving state at step %d to %s" % (step, folder), flush=True)
    weights = weights_bytes(value)
    loss = int.from_bytes(value[:2], "big") / 65536.0
    state = {"current_step": step, "current_epoch": epoch, "weights": value.hex(), "loss": loss}
    write_file(os.path.join(folder, "train_state.json"), json.dumps(state).encode(), args.slow_save_seconds)
    write_file(os.path.join(folder, "model.bin"), weights, args.slow_save_seconds)
    if args.hang_in_save_at_step == step:
        hang_appending(os.path.join(folder, "optimizer.bin"))
    write_file(os.path.join(folder, "optimizer.bin"), hashlib.sha256(weights).digest() * 64, args.slow_save_seconds)
    write_file(os.path.join(folder, "random_states.json"), json.dumps({"seed": step}).encode(),
               args.slow_save_seconds)
    write_file(os.path.join(args.output_dir, stem + ".safetensors"), weights, 0)
    print("saved state at step %d" % step, flush=True)
    return hashlib.sha256(weights).hexdigest()


def resume(folder):
    with open(os.path.join(folder, "train_state.json")) as f:
        state = json.load(f)
    value = bytes.fromhex(state["weights"])
    with open(os.path.join(folder, "model.bin"), "rb") as f:
        if f.read() != weights_bytes(value):
            print("error: state %s is corrupt: model.bin does not match train_state.json" % folder, flush=True)
            sys.exit(3)
    print("resumed from %s (its current_step %d); the step counter starts at 0 again"
          % (folder, state["current_step"]), flush=True)
    return value


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output_dir", required=True)
    p.add_argument("--output_name", default="fake")
    p.add_argument("--max_train_steps", type=int, required=True)
    p.add_argument("--save_every_n_steps", type=int, default=10)
    p.add_argument("--resume")
    p.add_argument("--step_seconds", type=float, default=0.01)
    p.add_argument("--slow_save_seconds", type=float, default=0.0)
    p.add_argument("--hang_in_save_at_step", type=int, default=-1)
    args = p.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    value = resume(args.resume) if args.resume else hashlib.sha256(b"fake-sd-scripts").digest()
    final_hash = None
    step = 0  # sd-scripts' counter: 0 after a resume, whatever the resumed state's was
    while step < args.max_train_steps:
        time.sleep(args.step_seconds)
        value = hashlib.sha256(value + b"step").digest()
        step += 1
        print("step %d/%d" % (step, args.max_train_steps), flush=True)
        if step % args.save_every_n_steps == 0 or step == args.max_train_steps:
            final_hash = save_state(args, step, step // 10, value)
    print("final-params-sha256=" + final_hash, flush=True)


if __name__ == "__main__":
    main()
