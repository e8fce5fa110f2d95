# Savepoint's wrapper around a command run's trainer in its Kubernetes Job (POSIX sh; needs mkfifo and tee).
# Run as: /bin/sh -c "$(this script)" savepoint-trainer ARGV...
# It appends the lines of $WORK/resume-args (written by the restore init container; one argument per line, none when
# starting fresh) to ARGV, runs it with its output both in $WORK/trainer.log (read by the watch sidecar) and on this
# container's stdout, forwards SIGTERM to it (and sends it one when $WORK/stop appears), then writes its exit code to
# $WORK/exit-code and exits with it.
work="${SAVEPOINT_WORK:-/savepoint/work}"
# Records the trainer's exit code for the watch sidecar (renamed into place, so never read half-written) and exits.
finish() {
  printf '%s\n' "$1" > "$work/exit-code.tmp" && mv -f "$work/exit-code.tmp" "$work/exit-code"
  exit "$1"
}
if [ -f "$work/resume-args" ]; then
  while IFS= read -r arg || [ -n "$arg" ]; do
    set -- "$@" "$arg"
  done < "$work/resume-args"
else
  echo "savepoint-trainer: no $work/resume-args, starting fresh" >&2
fi
mkdir -p "$work/output" || finish 1
fifo="$work/.trainer-output"
rm -f "$fifo" && mkfifo "$fifo" || finish 1
tee -a "$work/trainer.log" < "$fifo" &
tee_pid=$!
child=
stop=
term() {
  stop=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; fi
}
trap term TERM
"$@" > "$fifo" 2>&1 &
child=$!
if [ -n "$stop" ]; then kill -TERM "$child" 2>/dev/null; fi
# The watch sidecar cannot signal this container: when the run reached maxSteps it writes $WORK/stop, and this loop
# (checking once a second while the trainer lives) sends the trainer SIGTERM.
(
  while kill -0 "$child" 2>/dev/null; do
    if [ -f "$work/stop" ]; then
      echo "savepoint-trainer: the run reached its maxSteps: stopping the trainer" >&2
      kill -TERM "$child" 2>/dev/null
      exit 0
    fi
    sleep 1
  done
) &
stopper=$!
# Waits until process $1 has ended and returns its status. A trapped SIGTERM interrupts wait while the process still
# runs (kill -0 also answers for an ended child not waited for yet); the shell remembers a child's status, so the
# last wait returns it even when the shell reaped the child by itself in the meantime.
await() {
  while kill -0 "$1" 2>/dev/null; do
    wait "$1"
  done
  wait "$1"
}
await "$child"
code=$?
kill "$stopper" 2>/dev/null
await "$tee_pid"
rm -f "$fifo"
finish "$code"
