#!/usr/bin/env bash
# Whole-process benchmark of `baas synth` on generated backends (see BENCHMARKS.md).
#
#   bench/run.sh                      # 10, 100, 1,000 and 5,000 CRUD APIs; 1 and 3 regions
#   SIZES="100 1000" RUNS=50 bench/run.sh
#
# Builds the release binary, generates each backend with bench/gen.rs, checks that
# `baas validate` accepts it, then measures `baas synth FILE -o DIR` as a whole process: wall
# time with hyperfine (or a loop taking the median when hyperfine is missing) and peak memory
# (maximum resident set size) with /usr/bin/time. Prints a Markdown table on stdout.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10 100 1000 5000"}
REGIONS=${REGIONS:-"1 3"}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

log() { echo "$@" >&2; }

log "building the release binary and the generator"
cargo build --release --quiet --bin baas
baas="${CARGO_TARGET_DIR:-target}/release/baas"
rustc --edition 2021 -O -o "$work/gen" bench/gen.rs

if [[ ! -x /usr/bin/time ]]; then
  log "error: /usr/bin/time is missing (apt-get install -y time)"
  exit 2
fi
if command -v hyperfine >/dev/null; then
  timer="hyperfine $(hyperfine --version | cut -d' ' -f2), $RUNS runs after $WARMUP warm-up runs"
else
  timer="a loop of $RUNS runs (hyperfine not found: apt-get install -y hyperfine)"
fi

# Prints "median mean stddev min user system" in milliseconds for one command.
measure_time() {
  local out=$1
  shift
  if command -v hyperfine >/dev/null; then
    hyperfine --style none -N --warmup "$WARMUP" --runs "$RUNS" \
      --export-json "$work/time.json" "$*" >/dev/null
    local field value values=()
    for field in median mean stddev min user system; do
      value=$(grep -m1 "\"$field\":" "$work/time.json" | sed 's/.*: *\([0-9.e+-]*\).*/\1/')
      values+=("$(awk -v s="$value" 'BEGIN { printf "%.1f", s * 1000 }')")
    done
    echo "${values[*]}"
  else
    local i start end
    for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1; done
    for ((i = 0; i < RUNS; i++)); do
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1
      end=$(date +%s%N)
      echo $(((end - start) / 1000))
    done | sort -n | awk '
      { t[NR] = $1 / 1000; sum += t[NR]; sq += t[NR] * t[NR] }
      END {
        median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
        mean = sum / NR; sd = sqrt(sq / NR - mean * mean)
        printf "%.1f %.1f %.1f %.1f - -\n", median, mean, sd, t[1]
      }'
  fi
  rm -rf "$out"
}

# Prints the median wall time in milliseconds of runs that each start without an output folder
# (the first synth into a folder; the runs above re-synthesize into the folder of the run
# before, where unchanged files are linked rather than written).
measure_fresh() {
  local out=$1
  shift
  if command -v hyperfine >/dev/null; then
    hyperfine --style none -N --warmup "$WARMUP" --runs "$RUNS" --prepare "rm -rf $out" \
      --export-json "$work/fresh.json" "$*" >/dev/null
    awk -v s="$(grep -m1 '"median":' "$work/fresh.json" | sed 's/.*: *\([0-9.e+-]*\).*/\1/')" \
      'BEGIN { printf "%.1f", s * 1000 }'
  else
    local i start end
    for ((i = 0; i < RUNS; i++)); do
      rm -rf "$out"
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1
      end=$(date +%s%N)
      echo $(((end - start) / 1000))
    done | sort -n | awk '{ t[NR] = $1 / 1000 } END { printf "%.1f", (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
  fi
  rm -rf "$out"
}

# Prints the median peak resident set size in MB over three runs.
measure_rss() {
  local out=$1
  shift
  local i
  for i in 1 2 3; do
    /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>&1
    cat "$work/rss"
  done | sort -n | sed -n 2p | awk '{ printf "%.1f", $1 / 1024 }'
  rm -rf "$out"
}

# 12345 -> 12,345
group() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

echo "### \`baas synth\`, whole process"
echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'),"
echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg). Timing: $timer."
echo
echo "| CRUD APIs | regions | backend.yaml | resources | output | wall median (ms) | wall mean ± σ (ms) | wall min (ms) | user + sys (ms) | fresh output: wall median (ms) | peak RSS (MB) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for regions in $REGIONS; do
  for n in $SIZES; do
    file="$work/backend-$n-$regions.yaml"
    out="$work/out-$n-$regions"
    "$work/gen" "$n" "$regions" >"$file"
    if ! "$baas" validate "$file" >"$work/validate.log" 2>&1; then
      log "error: baas validate rejects the generated backend ($n APIs, $regions regions):"
      cat "$work/validate.log" >&2
      exit 1
    fi
    log "measuring $n APIs, $regions region(s)"
    "$baas" synth "$file" -o "$out" >/dev/null 2>&1
    resources=$(grep -o '"resources": [0-9]*' "$out/baas.manifest.json" |
      awk '{ s += $2 } END { print s }')
    output=$(du -sk "$out" | awk '{ printf "%.1f MB", $1 / 1024 }')
    rm -rf "$out"
    read -r median mean sd min user system < <(measure_time "$out" "$baas" synth "$file" -o "$out")
    fresh=$(measure_fresh "$out" "$baas" synth "$file" -o "$out")
    rss=$(measure_rss "$out" "$baas" synth "$file" -o "$out")
    cpu=$([[ $user == - ]] && echo - || awk -v u="$user" -v s="$system" 'BEGIN { printf "%.1f", u + s }')
    size="$(group "$(du -k "$file" | cut -f1)") KB"
    echo "| $(group "$n") | $regions | $size | $(group "$resources") | $output | $median | $mean ± $sd | $min | $cpu | $fresh | $rss |"
  done
done

# `baas diff` of the 1,000-API, 3-region output: against the committed output as it is
# (identical, exit 0) and after a change that touches every stack (a tag's new value: every
# taggable resource changes in place, exit 3). The issue's budget is 200 ms whole process.
DIFF_SIZE=${DIFF_SIZE:-1000}
DIFF_REGIONS=${DIFF_REGIONS:-3}
file="$work/diff-backend.yaml"
out="$work/diff-out"
"$work/gen" "$DIFF_SIZE" "$DIFF_REGIONS" >"$file"
"$baas" synth "$file" -o "$out" >/dev/null 2>&1
changed="$work/diff-changed.yaml"
sed 's/cost-center: "4711"/cost-center: "4712"/' "$file" >"$changed"
if cmp -s "$file" "$changed"; then
  log "error: bench/gen.rs no longer writes the cost-center tag that the diff benchmark changes"
  exit 1
fi

# Prints "median min" in milliseconds; exit codes 3 and 4 are what diff is for, not failures.
measure_diff() {
  if command -v hyperfine >/dev/null; then
    hyperfine --style none -N -i --warmup "$WARMUP" --runs "$RUNS" \
      --export-json "$work/diff.json" "$*" >/dev/null
    local field value values=()
    for field in median min; do
      value=$(grep -m1 "\"$field\":" "$work/diff.json" | sed 's/.*: *\([0-9.e+-]*\).*/\1/')
      values+=("$(awk -v s="$value" 'BEGIN { printf "%.1f", s * 1000 }')")
    done
    echo "${values[*]}"
  else
    local i start end
    for ((i = 0; i < RUNS; i++)); do
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      end=$(date +%s%N)
      echo $(((end - start) / 1000))
    done | sort -n | awk '{ t[NR] = $1 / 1000 } END { printf "%.1f %.1f\n", (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2, t[1] }'
  fi
}

echo
echo "### \`baas diff\`, whole process ($(group "$DIFF_SIZE") CRUD APIs, $DIFF_REGIONS regions)"
echo
echo "| committed output vs. | exit | wall median (ms) | wall min (ms) | peak RSS (MB) |"
echo "|---|---:|---:|---:|---:|"
for case in identical changed; do
  input=$([[ $case == identical ]] && echo "$file" || echo "$changed")
  set +e
  "$baas" diff "$input" -o "$out" >/dev/null 2>&1
  code=$?
  set -e
  read -r median min < <(measure_diff "$baas" diff "$input" -o "$out")
  rss=$(for i in 1 2 3; do
    /usr/bin/time -f "%M" -o "$work/rss" "$baas" diff "$input" -o "$out" >/dev/null 2>&1 || true
    # On a non-zero exit, time writes "Command exited with non-zero status N" first.
    tail -1 "$work/rss"
  done | sort -n | sed -n 2p | awk '{ printf "%.1f", $1 / 1024 }')
  echo "| $case | $code | $median | $min | $rss |"
done
