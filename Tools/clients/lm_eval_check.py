#!/usr/bin/env python3
"""Runs lm-evaluation-harness (`local-completions`) against seald over TCP on a
local multiple-choice task, offline, and checks that every log-likelihood the
harness computed from seald's `echo`/`logprobs` answers equals what seald's own
`POST /api/score` gives for the same context and continuation tokens.

    lm_eval_check.py --base-url http://127.0.0.1:11435 --model models/SmolLM2-135M-Instruct.Q4_1.gguf

The harness needs the model's tokenizer: it is rebuilt from the GGUF file
(Tools/reference/gguf_to_hf_tokenizer.py) into a temporary directory.
Prints `N passed, M failed` last; exits non-zero on any failure.
"""
import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def post(base, path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.load(reply)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True, help="the GGUF file seald has loaded (for its tokenizer)")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    work = tempfile.mkdtemp(prefix="seal-lm-eval-")
    tokenizer = os.path.join(work, "tokenizer")
    os.makedirs(tokenizer)
    subprocess.run([sys.executable, os.path.join(ROOT, "Tools/reference/gguf_to_hf_tokenizer.py"), args.model,
                    os.path.join(tokenizer, "tokenizer.json")], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(tokenizer, "tokenizer_config.json"), "w") as file:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast"}, file)
    tasks = os.path.join(work, "tasks")
    os.makedirs(tasks)
    with open(os.path.join(HERE, "lm_eval_task/seal_capitals.yaml")) as file:
        task = file.read().replace("CAPITALS_JSONL", os.path.join(HERE, "lm_eval_task/capitals.jsonl"))
    with open(os.path.join(tasks, "seal_capitals.yaml"), "w") as file:
        file.write(task)
    environment = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                       HF_HOME=os.path.join(work, "hf"))
    output = os.path.join(work, "out")
    command = ["lm_eval", "--model", "local-completions",
               "--model_args", f"model=seal,base_url={base}/v1/completions,tokenizer_backend=huggingface,"
                               f"tokenizer={tokenizer},num_concurrent=1,max_retries=1",
               "--tasks", "seal_capitals", "--include_path", tasks, "--output_path", output, "--log_samples"]
    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900)
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("ok " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)

    check("lm_eval runs", run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:])
    samples = glob.glob(os.path.join(output, "**", "samples_seal_capitals_*.jsonl"), recursive=True)
    check("samples written", len(samples) == 1, samples)
    if run.returncode == 0 and len(samples) == 1:
        with open(samples[0]) as file:
            docs = [json.loads(line) for line in file if line.strip()]
        check("every question scored", len(docs) == 4, len(docs))
        worst, greedy_agrees = 0.0, True
        for doc in docs:
            # The harness's own (context, continuation) pairs, split into tokens as it splits them.
            for index, response in enumerate(doc["resps"]):
                pair = doc["arguments"][f"gen_args_{index}"]
                context, continuation = pair["arg_0"], pair["arg_1"]
                context_ids = post(base, "/api/tokenize", {"text": context, "add_special_tokens": False})["tokens"]
                whole = post(base, "/api/tokenize", {"text": context + continuation, "add_special_tokens": False})["tokens"]
                score = post(base, "/api/score", {"context_tokens": context_ids, "continuation_tokens": whole[len(context_ids):]})
                harness, greedy = float(response[0][0]), response[0][1] in (True, "True")
                worst = max(worst, abs(harness - score["logprob"]))
                greedy_agrees = greedy_agrees and greedy == score["greedy"]
        check("harness log-likelihoods equal /api/score", worst < 1e-6, f"largest difference {worst}")
        check("harness is_greedy equals /api/score greedy", greedy_agrees)
        print(f"largest |harness - score| = {worst:.3g}")
        accuracy = [doc["acc"] for doc in docs]
        check("SmolLM2 names the four capitals", accuracy == [1.0] * 4, accuracy)
    shutil.rmtree(work, ignore_errors=True)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
