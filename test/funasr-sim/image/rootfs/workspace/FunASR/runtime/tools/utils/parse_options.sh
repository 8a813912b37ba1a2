# Sourced by run_server*.sh: turns `--some-name value` into some_name=value for variables the script already
# defines (Kaldi-style option parsing, POSIX sh). Anything else is an invalid option. Stops at the first non-option.
while [ $# -gt 0 ]; do
  case "$1" in
    --*) ;;
    *) break ;;
  esac
  option_name=$(printf '%s' "${1#--}" | tr '-' '_')
  case "$option_name" in
    '' | [0-9]* | *[!A-Za-z0-9_]*)
      echo "$0: invalid option $1" 1>&2
      exit 1
      ;;
  esac
  if ! eval "[ \"\${$option_name+set}\" = set ]"; then
    echo "$0: invalid option $1" 1>&2
    exit 1
  fi
  if [ $# -lt 2 ]; then
    echo "$0: option $1 needs a value" 1>&2
    exit 1
  fi
  eval "$option_name=\$2"
  shift 2
done
unset option_name
true
