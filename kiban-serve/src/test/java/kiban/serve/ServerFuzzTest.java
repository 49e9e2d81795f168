package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import kiban.client.ClientOptions;
import kiban.client.MsgpackNumpy;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import org.junit.jupiter.api.Test;

/**
 * Mutated frames over real connections: the server answers each with a reply or an error and a
 * close, keeps serving a well-behaved client throughout, and leaves no connections, heap or threads
 * behind.
 */
class ServerFuzzTest {

    @Test
    void survivesMutatedFramesWithoutLeakingThreads() throws Exception {
        int threadsBefore = Thread.activeCount();
        byte[] valid = MsgpackNumpy.pack(PolicyServerTest.request(PolicyServerTest.history(1)));
        SplittableRandom r = new SplittableRandom(42);
        int closed = 0;
        int answered = 0;
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withPort(0), p -> new FakePolicy(0, 0)).start();
                HttpClient http = HttpClient.newHttpClient();
                PolicyClient good = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
            long heapBefore = 0;
            for (int i = 0; i < 150; i++) {
                if (i == 30) {
                    heapBefore = usedHeapAfterGc();
                }
                byte[] m = valid.clone();
                for (int e = 0; e < 1 + r.nextInt(3); e++) {
                    m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                }
                Outcome o = new Outcome();
                WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(s.url()), o).get(5, TimeUnit.SECONDS);
                o.metadata.get(5, TimeUnit.SECONDS);
                ws.sendBinary(ByteBuffer.wrap(m), true).get(5, TimeUnit.SECONDS);
                String result = o.result.get(5, TimeUnit.SECONDS);
                if (result.startsWith("close 1011")) {
                    closed++;
                } else {
                    answered++;
                }
                ws.abort();
                if (i % 10 == 0) {
                    assertThat(good.infer(PolicyServerTest.request(PolicyServerTest.history(i))).get(5, TimeUnit.SECONDS))
                            .containsKey(Wire.ACTIONS);
                }
            }
            // Every fuzzing connection is gone (closed by the server or aborted), only the good client remains.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (s.metrics().connections().get() > 1 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(s.metrics().connections().get()).isEqualTo(1);
            // 120 connections later the heap holds no more than noise (sessions, buffers and requests are released).
            assertThat(usedHeapAfterGc() - heapBefore).isLessThan(32L << 20);
        }
        assertThat(closed + answered).isEqualTo(150);
        assertThat(closed).isPositive();
        // Jetty's and the client's pools wind down asynchronously; give them a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.activeCount() > threadsBefore + 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        Thread.sleep(50);
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Records the first thing after the metadata: a reply, or an error text followed by a close code. */
    static final class Outcome implements WebSocket.Listener {
        final CompletableFuture<Void> metadata = new CompletableFuture<>();
        final CompletableFuture<String> result = new CompletableFuture<>();
        private String text;

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (last && !metadata.isDone()) {
                metadata.complete(null);
            } else if (last) {
                result.complete("reply");
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text = data.toString();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            result.complete("close " + code + " " + text);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            result.completeExceptionally(error);
        }
    }

}
