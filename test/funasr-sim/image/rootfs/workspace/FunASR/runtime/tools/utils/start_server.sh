# Sourced by run_server*.sh after parse_options.sh: blanks TLS for `--certfile 0`, records the command line in
# /workspace/.config/server_config (the images' restart daemon reads it), then starts the binary in the background.
if [ -z "$certfile" ] || [ "$certfile" = "0" ]; then
  certfile=""
  keyfile=""
fi

set -- --download-model-dir "$download_model_dir" --model-dir "$model_dir"
if [ -n "${online_model_dir+set}" ]; then set -- "$@" --online-model-dir "$online_model_dir"; fi
set -- "$@" --vad-dir "$vad_dir" --punc-dir "$punc_dir" --itn-dir "$itn_dir" --lm-dir "$lm_dir" \
  --decoder-thread-num "$decoder_thread_num" --io-thread-num "$io_thread_num" \
  --model-thread-num "$model_thread_num" --port "$port" \
  --certfile "$certfile" --keyfile "$keyfile" --hotword "$hotword"

server_config="{\"server\":[{\"exec\":\"$cmd_path/$cmd\""
for_each=$#
while [ "$for_each" -gt 0 ]; do
  server_config="$server_config,\"$1\":\"$2\""
  set -- "$@" "$1" "$2"
  shift 2
  for_each=$((for_each - 2))
done
mkdir -p /workspace/.config
echo "$server_config}]}" >/workspace/.config/server_config
unset for_each server_config

cd "$cmd_path" || exit 1
"$cmd_path/$cmd" "$@" &
