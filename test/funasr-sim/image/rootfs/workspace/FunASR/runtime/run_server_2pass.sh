#!/bin/sh
# Starts the 2pass (streaming + offline) server in the background, like FunASR's runtime/run_server_2pass.sh:
# the same variables and defaults, overridable with `--name value` (run from /workspace/FunASR/runtime).
# `--certfile 0` (or "") turns TLS off. The server logs to this script's stdout/stderr; the script returns at once.

download_model_dir="/workspace/models"
model_dir="damo/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx"
online_model_dir="damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online-onnx"
vad_dir="damo/speech_fsmn_vad_zh-cn-16k-common-onnx"
punc_dir="damo/punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727-onnx"
itn_dir="thuduj12/fst_itn_zh"
lm_dir="damo/speech_ngram_lm_zh-cn-ai-wesp-fst"
port=10095
certfile="$(pwd)/ssl_key/server.crt"
keyfile="$(pwd)/ssl_key/server.key"
hotword="$(pwd)/websocket/hotwords.txt"
decoder_thread_num=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)
[ "${decoder_thread_num:-0}" -gt 0 ] 2>/dev/null || decoder_thread_num=32
multiple_io=16
io_thread_num=$(((decoder_thread_num + multiple_io - 1) / multiple_io))
model_thread_num=1
cmd_path=/workspace/FunASR/runtime/websocket/build/bin
cmd=funasr-wss-server-2pass

. ./tools/utils/parse_options.sh || exit 1
. ./tools/utils/start_server.sh
