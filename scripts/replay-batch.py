#!/usr/bin/env python3
"""Replays a `chattag batch prepare` file through the official `openai` Python SDK against an
OpenAI-compatible endpoint and writes the Batch API output file `chattag batch ingest` reads.

The SDK's chat.completions.create takes each line's `body` as keyword arguments and rejects
unknown parameters, so a clean replay proves the bodies are valid requests.

    pip install openai
    python3 scripts/replay-batch.py requests.jsonl results.jsonl --base-url http://127.0.0.1:8080/v1

With --inject-failures, the last two lines become an error line and a non-200 response, as
providers write them, to exercise the failure paths of ingest."""
import argparse
import json
import sys

import openai

parser = argparse.ArgumentParser()
parser.add_argument("requests")
parser.add_argument("results")
parser.add_argument("--base-url", required=True)
parser.add_argument("--api-key", default="sk-local")
parser.add_argument("--inject-failures", action="store_true")
args = parser.parse_args()

client = openai.OpenAI(base_url=args.base_url, api_key=args.api_key, max_retries=0)
lines = [json.loads(line) for line in open(args.requests, encoding="utf-8") if line.strip()]
with open(args.results, "w", encoding="utf-8") as out:
    for number, request in enumerate(lines, 1):
        assert request["method"] == "POST" and request["url"] == "/v1/chat/completions", request
        if args.inject_failures and number == len(lines) - 1:
            row = {"id": f"batch_req_{number}", "custom_id": request["custom_id"], "response": None,
                   "error": {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}}
        elif args.inject_failures and number == len(lines):
            row = {"id": f"batch_req_{number}", "custom_id": request["custom_id"],
                   "response": {"status_code": 500, "request_id": f"req_{number}", "body": {"error": {"message": "The server had an error", "type": "server_error"}}},
                   "error": None}
        else:
            completion = client.chat.completions.create(**request["body"])
            row = {"id": f"batch_req_{number}", "custom_id": request["custom_id"],
                   "response": {"status_code": 200, "request_id": f"req_{number}", "body": completion.model_dump()}, "error": None}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
print(f"replayed {len(lines)} request bodies through openai {openai.__version__}", file=sys.stderr)
