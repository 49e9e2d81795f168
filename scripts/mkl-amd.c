/*
 * Preloaded by ./kiban on AMD processors (scripts/mkl-amd.sh). DJL's libtorch multiplies matrices
 * in Intel MKL, which asks these two functions whether it runs on an Intel processor and, where
 * not, takes its AVX2 code path even on AMD processors that have AVX-512. Answering yes lets MKL
 * choose its code path from the processor's instruction set alone. On this project's AMD EPYC it
 * halves the time of a 256x512 by 512x512 product (docs/PERFORMANCE.md).
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_cpuhaspnr_true(void) { return 1; }
