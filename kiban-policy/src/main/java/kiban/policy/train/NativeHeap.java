package kiban.policy.train;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Keeps glibc's malloc from handing a training step's large tensors back to the kernel. By
 * default glibc serves blocks over a (self-adjusting) threshold with fresh mmaps and trims freed
 * memory at the top of the heap, so a step that allocates and frees megabyte tensors page-faults
 * through them again at every step: measured at 700 faults and about 1.5 ms of a 13 ms mlp step.
 * Raising both thresholds keeps the memory in the process for reuse, as PyTorch's caching
 * allocators (or jemalloc, which PyTorch's CPU tuning guide recommends) do. The training
 * benchmark runs its Python peer with the same settings ({@link #GLIBC_TUNABLES}).
 */
public final class NativeHeap {

    /** The same settings as glibc tunables, for a child process. */
    public static final String GLIBC_TUNABLES =
            "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728";

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    private static volatile boolean tuned;

    private NativeHeap() {}

    /** Applies the settings once per process; a no-op where the C library has no {@code mallopt}. */
    public static synchronized void keepFreedMemory() {
        if (tuned) {
            return;
        }
        tuned = true;
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            // 32 MiB is glibc's largest mmap threshold; tensors above it are rare and large enough to amortise a fault.
            mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, 32 << 20});
            mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, 128 << 20});
        } catch (LinkageError | RuntimeException e) {
            // Not glibc (macOS, musl): its allocator's own behaviour stands.
        }
    }
}
