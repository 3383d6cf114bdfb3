#!/usr/bin/env python3
"""Tags the same dialogues against the same mock endpoint twice — once with `chattag run`,
once with the official `openai` Python SDK (AsyncOpenAI, the same request bodies from
`chattag batch prepare`, the same concurrency) — and prints wall time, CPU seconds and
peak memory of each. The performance target (docs/performance.md): chattag below the SDK client in CPU and memory.

    swift build -c release --static-swift-stdlib
    pip install openai
    python3 scripts/python-sdk-bench.py --dialogues 5000 --latency-ms 50 --concurrency 64

The SDK side only sends and parses; chattag also renders prompts, validates replies and
writes tags and audit rows to SQLite, so the comparison favours the SDK."""
import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--dialogues", type=int, default=5000)
parser.add_argument("--latency-ms", type=int, default=50)
parser.add_argument("--concurrency", type=int, default=64)
parser.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release"))
args = parser.parse_args()
chattag = os.path.join(args.bin, "chattag")
mock = os.path.join(args.bin, "chattag-mock-llm")

work = tempfile.mkdtemp(prefix="chattag-sdk-bench-")
database = os.path.join(work, "bench.db")
# The mock takes any key; this placeholder only fills the header.
environment = dict(os.environ, CHATTAG_PSEUDONYM_KEY="bench-key-0123456789abcdef", **{"OPENAI_API_KEY": "sk-local"})
random.seed(1)
asks = ["Здравствуйте, сколько стоит маникюр с покрытием?", "Можно записаться на субботу к Анне?", "Есть окно на стрижку завтра после 18?",
        "Хочу перенести запись с четверга на пятницу", "Покрытие слезло через три дня, очень недовольна", "Вы работаете в воскресенье?"]
answers = ["Добрый день! Маникюр с покрытием 2500 ₽", "Есть 12:00 и 15:30, записать вас?", "Да, в 18:30 свободно", "Перенесли на пятницу 14:00, ждём вас"]
with open(os.path.join(work, "dialogues.jsonl"), "w", encoding="utf-8") as out:
    for number in range(args.dialogues):
        day = 1 + number % 28
        messages = [{"at": f"2025-03-{day:02d}T10:00:00+03:00", "role": "client", "author": f"c-{number}", "text": random.choice(asks)},
                    {"at": f"2025-03-{day:02d}T10:07:00+03:00", "role": "staff", "author": "Анна", "text": random.choice(answers)},
                    {"at": f"2025-03-{day:02d}T10:09:00+03:00", "role": "client", "author": f"c-{number}", "text": "Спасибо!"}]
        out.write(json.dumps({"id": f"d{number:06d}", "channel": "whatsapp", "messages": messages}, ensure_ascii=False) + "\n")
subprocess.run([chattag, "import", "--quiet", "--db", database, os.path.join(work, "dialogues.jsonl")], check=True, env=environment)
requests_path = os.path.join(work, "requests.jsonl")
subprocess.run([chattag, "batch", "prepare", "--quiet", "--db", database, "--prompt", "tagging@1", "--model", "gpt-sdk",
                "--out", requests_path], check=True, env=environment)
bodies = [json.loads(line)["body"] for line in open(requests_path, encoding="utf-8") if line.strip()]

server = subprocess.Popen([mock, "--port", "0", "--latency-ms", str(args.latency_ms)], stdout=subprocess.PIPE, text=True)
base_url = "http://" + server.stdout.readline().split()[-1] + "/v1"
limit = args.dialogues * args.latency_ms / 1000 / args.concurrency


def chattag_run():
    started = time.monotonic()
    process = subprocess.Popen([chattag, "run", "--quiet", "--db", database, "--prompt", "tagging@1", "--model", "gpt-chattag",
                                "--concurrency", str(args.concurrency), "--base-url", base_url], env=environment)
    # Peak RSS from the child's own VmHWM: wait4's ru_maxrss would carry this (large) Python
    # process's high-water mark into a child started with vfork.
    peak = 0
    while True:
        try:
            with open(f"/proc/{process.pid}/status") as status_file:
                for line in status_file:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            break
        time.sleep(0.002)
    wall = time.monotonic() - started
    return wall, usage.ru_utime + usage.ru_stime, peak / 1024, os.waitstatus_to_exitcode(status)


async def sdk_run():
    import openai
    # The SDK's own client with its default pool (1,000 connections, 100 kept alive): the
    # semaphore below holds the concurrency, as chattag's limiter does.
    client = openai.AsyncOpenAI(base_url=base_url, api_key="sk-local", max_retries=0, http_client=openai.DefaultAsyncHttpxClient())
    gate = asyncio.Semaphore(args.concurrency)
    replies = []

    async def one(body):
        async with gate:
            completion = await client.chat.completions.create(**body)
            replies.append(json.loads(completion.choices[0].message.content))

    await asyncio.gather(*(one(body) for body in bodies))
    await client.close()
    return len(replies)


try:
    wall, cpu, rss, status = chattag_run()
    print(f"N={args.dialogues} L={args.latency_ms} ms C={args.concurrency}: limit N·L/C = {limit:.2f} s")
    print(f"chattag run:       {wall:6.2f} s wall (ratio {wall / limit:.3f}), {cpu:6.2f} s CPU, {rss:6.1f} MB peak RSS, exit {status}")
    # The SDK runs in this process: its CPU is measured around the run; its peak RSS includes
    # the request bodies held in memory (printed separately).
    import openai  # noqa: F401 — loaded before measuring, as a long-lived client would be
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    count = asyncio.run(sdk_run())
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"openai SDK (async): {wall:6.2f} s wall (ratio {wall / limit:.3f}), {cpu:6.2f} s CPU, {after.ru_maxrss / 1024:6.1f} MB peak RSS ({loaded:.1f} MB before the first call), {count} replies")
finally:
    server.kill()
