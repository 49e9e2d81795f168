# Sourced by ./kiban: on AMD x86-64 processors, builds scripts/mkl-amd.c into target/native once
# and adds it to LD_PRELOAD, so that libtorch's MKL uses the processor's widest vector code path
# (see the C file). KIBAN_MKL_AMD=0 turns it off. Without a C compiler, Kiban runs as without it.

kiban_mkl_amd_preload() {
  local root="$1" src="$1/scripts/mkl-amd.c" lib="$1/target/native/libkiban-mkl-amd.so"
  [ "${KIBAN_MKL_AMD:-1}" != 0 ] || return 0
  [ "$(uname -sm)" = "Linux x86_64" ] || return 0
  grep -q -m1 '^vendor_id.*AuthenticAMD' /proc/cpuinfo 2>/dev/null || return 0
  if [ ! -f "$lib" ] || [ "$src" -nt "$lib" ]; then
    command -v cc >/dev/null 2>&1 || return 0
    mkdir -p "$root/target/native"
    # Build beside the target and rename, so that two launchers starting at once never load half a file.
    cc -O2 -shared -fPIC -o "$lib.$$" "$src" 2>/dev/null && mv -f "$lib.$$" "$lib" || { rm -f "$lib.$$"; return 0; }
  fi
  export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
}
