package kiban.policy.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Small forward passes run on one libtorch thread, large ones on the engine's default, per calling thread. */
class IntraOpThreadsTest {

    /** libtorch's count as the calling thread sees it. */
    private static int libtorchThreads() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    private static int onFreshThread(Runnable before) throws InterruptedException {
        AtomicInteger seen = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> {
            before.run();
            seen.set(libtorchThreads());
        });
        t.join();
        return seen.get();
    }

    @Test
    void smallBatchesTakeOneThreadAndLargeOnesTheEnginesDefault() throws InterruptedException {
        assertThat(IntraOpThreads.forRows(1)).isEqualTo(1);
        assertThat(IntraOpThreads.forRows(IntraOpThreads.SMALL_BATCH_ROWS)).isEqualTo(1);
        assertThat(IntraOpThreads.forRows(IntraOpThreads.SMALL_BATCH_ROWS + 1)).isEqualTo(IntraOpThreads.engineDefault());
        // Each thread starts from a count other than the one expected (the tests' JVM runs libtorch on one thread by default).
        assertThat(onFreshThread(() -> {
            IntraOpThreads.set(2);
            IntraOpThreads.use(1);
        })).isEqualTo(1);
        int other = IntraOpThreads.engineDefault() == 1 ? 2 : 1;
        assertThat(onFreshThread(() -> {
            IntraOpThreads.set(other);
            IntraOpThreads.use(256);
        })).isEqualTo(IntraOpThreads.engineDefault());
    }
}
