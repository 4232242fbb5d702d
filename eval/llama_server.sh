#!/usr/bin/env bash
# Serve a GGUF model on loopback with llama-cpp-python's OpenAI-compatible server, run one
# command against it with Amends pointed at it, and stop the server however the command ends.
#
#   eval/llama_server.sh PYTHON MODEL.gguf PORT -- COMMAND [ARGS...]
#
# PYTHON is the interpreter that has `llama-cpp-python[server]`. The command runs with
# AMENDS_PROVIDER=openai and AMENDS_LLM_BASE_URL/AMENDS_LLM_MODEL set for the server; its exit
# status is this script's. The server's own log goes to $LLAMA_LOG (default .llm/server-PORT.log).
# The prompt cache is off unless LLAMA_CACHE=true: with it on, a 12-case Qwen run grew the
# server to 22 GB and the kernel killed it mid-run.
set -euo pipefail
python=$1 model=$2 port=$3
shift 3
[ "${1:-}" = "--" ] && shift
log=${LLAMA_LOG:-.llm/server-$port.log}
mkdir -p "$(dirname "$log")"
"$python" -m llama_cpp.server --model "$model" --model_alias local \
    --host 127.0.0.1 --port "$port" --n_ctx "${LLAMA_CTX:-4096}" \
    --n_threads "${LLAMA_THREADS:-2}" --cache "${LLAMA_CACHE:-false}" --seed 7 --verbose false >"$log" 2>&1 &
server=$!
# llama.cpp's server can ignore SIGTERM while it computes an abandoned answer: give it ten
# seconds, then kill it, so the command's end is never held up by the server.
stop_server() {
    kill "$server" 2>/dev/null || return 0
    for _ in $(seq 1 20); do
        kill -0 "$server" 2>/dev/null || break
        sleep 0.5
    done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap stop_server EXIT
url="http://127.0.0.1:$port/v1"
for _ in $(seq 1 180); do
    if "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "$url/models" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "llama server exited before answering; last lines of $log:" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    sleep 1
done
echo "llama server ready at $url ($(basename "$model"))" >&2
AMENDS_PROVIDER=openai AMENDS_LLM_BASE_URL="$url" AMENDS_LLM_MODEL=local AMENDS_LLM_API_KEY= \
    "$@"
