#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzzing/ and runs each on its corpus for the given seconds
# (default 600): scripts/fuzz.sh [seconds] [target ...]
# FUZZ_TIMEOUT (default 10) is the seconds one input may take before it counts as a hang; raise it
# on a loaded machine, where a starved fuzzer reports inputs that take 0.1 s alone as hangs.
# Crashes are saved as Fuzzing/artifacts/<target>/crash-*; the corpora grow in Fuzzing/corpus/.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-FuzzLexer FuzzParser FuzzRun FuzzFiles FuzzFANN FuzzModel FuzzONNX}

for target in $targets; do
    nice swift build --package-path Fuzzing --scratch-path Fuzzing/.build -c release \
        --sanitize=fuzzer --product "$target"
done

# The seed corpus: the example scripts and the hostile-input golden cases; for the file
# readers, the NumPy fixtures and some CSV text; for ONNX, models nn and torch.onnx.export wrote.
mkdir -p Fuzzing/seeds Fuzzing/seeds-files Fuzzing/seeds-onnx Fuzzing/seeds-fann Fuzzing/seeds-model
cp Tests/NNLangTests/Fixtures/*.onnx Fuzzing/seeds-onnx/
cp Fuzzing/RunFiles/*.data Fuzzing/seeds-fann/
cp Fuzzing/RunFiles/*.nnm Fuzzing/seeds-model/
cp scripts/*.nn Tests/nnTests/Golden/*.nn Fuzzing/seeds/
cp Tests/NNLangTests/Fixtures/*.np[yz] Fuzzing/seeds-files/
printf 'a,b,y\n1,2,x\n"3",4.5e1,"y z"\n' >Fuzzing/seeds-files/small.csv
printf '1;2;0\n3;NA;1\n' >Fuzzing/seeds-files/headerless.csv
printf 'x1,x2,y\n-0.12345678901234567,2.2250738585072014e-308,3\n1e23,.5e-400,12345678901234567890123\n' >Fuzzing/seeds-files/floats.csv
# FuzzRun's programs run in its scratch folder and may not name a path with '/': put real
# data files there for them to read (the NumPy and ONNX fixtures, CSV, FANN and a model file
# from Fuzzing/RunFiles), and seed programs that read, train on and write them.
mkdir -p Fuzzing/scratch/FuzzRun
cp Tests/NNLangTests/Fixtures/*.np[yz] Tests/NNLangTests/Fixtures/*.onnx Fuzzing/RunFiles/* Fuzzing/scratch/FuzzRun/
cp Fuzzing/RunSeeds/*.nn Fuzzing/seeds/

# Swift's crash reporter would kill the process before libFuzzer saves the input.
export SWIFT_BACKTRACE=enable=no
# nn runs on a 1 GiB stack; give the fuzzer's main thread the same, or deep (but legal)
# nesting overflows here and nowhere else.
ulimit -s 1048576 2>/dev/null || echo "fuzz.sh: could not raise the stack limit" >&2

for target in $targets; do
    corpus="$root/Fuzzing/corpus/$target"
    artifacts="$root/Fuzzing/artifacts/$target"
    scratch="$root/Fuzzing/scratch/$target"  # FuzzRun's programs may save files here
    seeds="$root/Fuzzing/seeds"
    [ "$target" = FuzzFiles ] && seeds="$root/Fuzzing/seeds-files"
    [ "$target" = FuzzONNX ] && seeds="$root/Fuzzing/seeds-onnx"
    [ "$target" = FuzzFANN ] && seeds="$root/Fuzzing/seeds-fann"
    [ "$target" = FuzzModel ] && seeds="$root/Fuzzing/seeds-model"
    mkdir -p "$corpus" "$artifacts" "$scratch"
    (cd "$scratch" && nice "$root/Fuzzing/.build/release/$target" \
        -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=4096 \
        -dict="$root/Fuzzing/nn.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$corpus" "$seeds" 2>&1 | tee "$root/Fuzzing/$target.log" | grep -E "^#[0-9]+ +(INITED|DONE|pulse)|ERROR|Done|stat::" || true) &
    # At most two at once: the machine is shared.
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
done
wait
