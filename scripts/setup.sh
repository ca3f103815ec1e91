#!/usr/bin/env bash
# Installs what nn builds and tests against, only what is missing: Debian/Ubuntu packages,
# pexpect for the prompt tests, the Jupyter packages for the notebook kernel and its tests,
# onnx, onnxruntime and PyTorch (CPU) for the export tests, and the Python modules of the editor
# tests. Used by the README's first command and by .ci/run, so the list lives here only.
set -euo pipefail

# pexpect drives the prompt tests on a pseudo-terminal; Pygments and textmate-grammar-python
# (VS Code's tokenizer) test the editor grammars.
for requirement in pexpect:pexpect pygments:pygments textmate_grammar:textmate-grammar-python; do
  module=${requirement%%:*} package=${requirement#*:}
  if command -v python3 >/dev/null 2>&1 && ! python3 -c "import $module" >/dev/null 2>&1; then
    echo "setup: installing $package (for the prompt and editor tests)" >&2
    python3 -m pip install --quiet "$package" || echo "setup: could not install $package; the tests that need it will say so" >&2
  fi
done

# ipykernel and jupyter_client run the notebook kernel in jupyter/; nbclient and nbformat run its
# tests and example notebook.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ipykernel, jupyter_client, nbclient, nbformat' >/dev/null 2>&1; then
  echo "setup: installing ipykernel, jupyter_client, nbclient and nbformat (for the notebook kernel)" >&2
  python3 -m pip install --quiet ipykernel jupyter_client nbclient nbformat || echo "setup: could not install the Jupyter packages; the kernel tests will say so" >&2
fi

# The consumers of nn's model exports (Tests/nnTests/Interop). PyTorch is the CPU wheel, which
# pip finds through its find-links setting (PIP_FIND_LINKS) where the machine provides one: a
# plain `pip install torch` would fetch gigabytes of CUDA.
if command -v python3 >/dev/null 2>&1; then
  wanted=()
  python3 -c 'import onnx' >/dev/null 2>&1 || wanted+=(onnx)
  python3 -c 'import onnxruntime' >/dev/null 2>&1 || wanted+=(onnxruntime)
  python3 -c 'import torch' >/dev/null 2>&1 || wanted+=("torch==2.13.0+cpu")
  if [ ${#wanted[@]} -gt 0 ]; then
    echo "setup: installing ${wanted[*]} (for the export tests)" >&2
    python3 -m pip install --quiet "${wanted[@]}" ||
      echo "setup: could not install ${wanted[*]}; the export tests will say so" >&2
  fi
fi

packages=(
  libedit-dev      # line editing, history and completion at the prompt
  libopenblas-dev  # the matrix product behind training (cblas_dgemm, cblas_sgemm)
  pkg-config       # how SwiftPM finds the flags of libedit and OpenBLAS
  zlib1g-dev       # inflating the compressed arrays of NumPy .npz archives
)

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: please install ${missing[*]} with your system's package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
