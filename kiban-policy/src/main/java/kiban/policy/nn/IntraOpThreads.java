package kiban.policy.nn;

import ai.djl.engine.Engine;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * How many threads libtorch splits one operation over, chosen per forward pass from its rows: one
 * for a small batch, the engine's default (the cores, or {@code OMP_NUM_THREADS}) for a large one.
 * A second OpenMP thread saves a batch-1 pass a little when the machine is idle, but a robot's
 * policy shares its cores (a client, the collector, a control loop), and waiting for that thread
 * to be scheduled made the served pass's p99 four times longer (docs/PERFORMANCE.md); a training
 * batch needs every core.
 *
 * <p>libtorch keeps the count per calling thread, and changing it costs tens of microseconds, so
 * it is set only when a thread's choice changes. Every forward pass and training step sets its
 * own, so no thread depends on what another set. Engines other than PyTorch are left alone; the
 * code sees DJL's API alone, so the PyTorch call is looked up at run time.
 */
public final class IntraOpThreads {

    /**
     * The most rows a forward pass runs on one thread. Alone on the machine two threads are faster
     * at every size ({@code kiban bench infer --batches}); beside a client on the same two cores one
     * thread cut the served forward pass's p99 from about 3 ms to 0.7 ms (docs/PERFORMANCE.md). Up to
     * 8 rows a one-thread pass costs at most 1.3 times a batch-1 pass; beyond, the work grows enough
     * for a second thread to pay for its wake-up. A judgement from those figures, not an optimum.
     */
    public static final int SMALL_BATCH_ROWS = 8;

    private static final MethodHandle SET = find("setNumThreads", MethodType.methodType(void.class, int.class));
    private static final MethodHandle GET = find("getNumThreads", MethodType.methodType(int.class));
    /** The engine's own count, read before Kiban changes any thread's. */
    private static final int DEFAULT = get();
    /** What this class last set on each thread; 0 until it sets one, so that its first choice is always set. */
    private static final ThreadLocal<int[]> CURRENT = ThreadLocal.withInitial(() -> new int[1]);

    private IntraOpThreads() {}

    /** The engine's default count (1 where the engine is not PyTorch). */
    public static int engineDefault() {
        return DEFAULT;
    }

    /** The count a forward pass of {@code rows} rows runs with. */
    public static int forRows(int rows) {
        return rows <= SMALL_BATCH_ROWS ? 1 : DEFAULT;
    }

    /** Makes the calling thread's next operations run on {@link #forRows}{@code (rows)} threads. */
    public static void use(int rows) {
        set(forRows(rows));
    }

    /** Makes the calling thread's next operations run on {@code threads} threads (a benchmark's comparison). */
    public static void set(int threads) {
        int[] current = CURRENT.get();
        if (SET == null || current[0] == threads) {
            return;
        }
        try {
            SET.invokeExact(threads);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot set libtorch's intra-op threads to " + threads, e);
        }
        current[0] = threads;
    }

    private static int get() {
        if (GET == null) {
            return 1;
        }
        // The count lives in the native library, which the engine loads when it starts.
        Engine.getEngine("PyTorch");
        try {
            return (int) GET.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read libtorch's intra-op threads", e);
        }
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            return MethodHandles.publicLookup().findStatic(jni, name, type);
        } catch (ClassNotFoundException e) {
            return null; // another engine: its own defaults stand
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DJL's PyTorch engine has no JniUtils." + name, e);
        }
    }
}
