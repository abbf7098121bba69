#!/usr/bin/env bash
# Completion as a person meets it: a real interactive bash (and zsh) in tmux,
# with the completion script the build generated (what `cmake --install`
# installs), and bbcheck on PATH. The test types `bbcheck --<TAB><TAB>` and
# `bbcheck --set <TAB><TAB>` and reads the screen: bare bbcheck runs `run`,
# so run's options complete, and --set completes the profile's vars.
# Every wait is for screen content, bounded by a deadline.
# Usage: completion_tmux.sh BBCHECK BASH_COMPLETION ZSH_COMPLETION
set -euo pipefail
bbcheck=$(readlink -f "$1")
bash_completion=$(readlink -f "$2")
zsh_completion=$(readlink -f "$3")

work=$(mktemp -d)
sock=$work/tmux.sock
cleanup() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/bin" "$work/zfunc"
ln -s "$bbcheck" "$work/bin/bbcheck"
cp "$zsh_completion" "$work/zfunc/_bbcheck"

cat >"$work/bashrc" <<EOF
PS1='bash\$ '
PATH=$work/bin:/usr/bin:/bin
source '$bash_completion'
EOF
cat >"$work/.zshrc" <<EOF
PS1='zsh%# '
PATH=$work/bin:/usr/bin:/bin
fpath=($work/zfunc \$fpath)
autoload -Uz compinit && compinit -u -d $work/zcompdump
EOF

fail() {
  echo "FAIL: $*" >&2
  echo "--- screen ---" >&2
  tmux -S "$sock" capture-pane -p -t "$session" >&2 || true
  exit 1
}

# Waits until the screen of $session shows every one of the words (fixed
# strings), or fails after 15 s.
wait_for_screen() {
  local deadline=$((SECONDS + 15)) screen word missing
  while :; do
    screen=$(tmux -S "$sock" capture-pane -p -t "$session" -S - 2>/dev/null || true)
    missing=""
    for word in "$@"; do
      grep -qF -- "$word" <<<"$screen" || missing="$missing $word"
    done
    [ -z "$missing" ] && return 0
    ((SECONDS < deadline)) || fail "the screen never showed:$missing"
    sleep 0.1 # the next look at the screen, not a wait for time to pass
  done
}

# A fresh shell in a session of its own, waited for until its prompt shows.
start_shell() { # NAME PROMPT COMMAND...
  session=$1
  local prompt=$2
  shift 2
  tmux -S "$sock" new-session -d -s "$session" -x 220 -y 50 \
    env -i HOME="$work" TERM=xterm LANG=C.UTF-8 ZDOTDIR="$work" "$@"
  wait_for_screen "$prompt"
}

run_options=(--profile --set --only --skip --format --report --jobs --timeout --deadline
  --fail-on --color --no-color --quiet --verbose --stage --help)
# The default profile's vars, as --set NAME= takes them.
vars=(allow_root= buildarea= master= worker_user= dns_name=)

for shell in bash zsh; do
  if [ "$shell" = bash ]; then
    start_shell "$shell-options" 'bash$' bash --noprofile --rcfile "$work/bashrc" -i
  else
    command -v zsh >/dev/null || fail "zsh is not installed (scripts/install-deps test)"
    start_shell "$shell-options" 'zsh#' zsh -i
  fi
  # bbcheck --<TAB><TAB>: run's options and the version flag.
  tmux -S "$sock" send-keys -t "$session" 'bbcheck --' Tab Tab
  wait_for_screen "${run_options[@]}" --version
  echo "ok: $shell completes run's options after bare bbcheck"

  if [ "$shell" = bash ]; then
    start_shell "$shell-set" 'bash$' bash --noprofile --rcfile "$work/bashrc" -i
  else
    start_shell "$shell-set" 'zsh#' zsh -i
  fi
  # bbcheck --set <TAB><TAB>: the profile's vars; one of them completes to
  # NAME= with the cursor after the =, ready for the value.
  tmux -S "$sock" send-keys -t "$session" 'bbcheck --set ' Tab Tab
  if [ "$shell" = bash ]; then
    wait_for_screen "${vars[@]}"
  else
    wait_for_screen "${vars[@]%=}"
  fi
  tmux -S "$sock" send-keys -t "$session" C-u 'bbcheck run --set allow_r' Tab
  wait_for_screen 'bbcheck run --set allow_root='
  # No space after the =: the value typed next joins it.
  tmux -S "$sock" send-keys -t "$session" 'true'
  wait_for_screen 'bbcheck run --set allow_root=true'
  echo "ok: $shell completes the profile's vars after --set"
done
