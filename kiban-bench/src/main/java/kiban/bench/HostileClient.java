package kiban.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import kiban.client.DType;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.Wire;

/**
 * A client that misbehaves against the policy server, over and over until stopped, on its own
 * thread: each {@link Kind} is one attack a server on a network must survive without its
 * well-behaved clients noticing. It counts its attacks and how many the server refused (closed
 * with the code that says so).
 */
final class HostileClient implements Runnable {

    /** The four misbehaviours of the serving acceptance test. */
    enum Kind {
        /** One message above the size limit (the server closes with 1009), then again. */
        OVERSIZED,
        /**
         * A malformed message (1011), taking turns: random bytes, a megabyte of one-byte msgpack nils
         * (a million objects if decoded), a state of the wrong shape, a text frame.
         */
        MALFORMED,
        /** Pipelines up to 48 requests (more than a connection may have in flight) and reads one reply every 100 ms. */
        SLOW_READING,
        /** Sends requests as fast as it can and never reads a byte, not even the metadata. */
        NEVER_READING
    }

    /** What one kind did: attacks made and attacks the server refused. */
    record Tally(LongAdder attacks, LongAdder refused) {
        Tally() {
            this(new LongAdder(), new LongAdder());
        }
    }

    private static final long TIMEOUT_S = 10;

    private final Kind kind;
    private final URI uri;
    private final int maxMessageBytes;
    private final byte[] request;
    private final int stateDim;
    private final AtomicBoolean stop;
    private final Tally tally;
    private final SplittableRandom random;

    HostileClient(Kind kind, URI uri, int maxMessageBytes, byte[] request, int stateDim, AtomicBoolean stop, Tally tally, long seed) {
        this.kind = kind;
        this.uri = uri;
        this.maxMessageBytes = maxMessageBytes;
        this.request = request;
        this.stateDim = stateDim;
        this.stop = stop;
        this.tally = tally;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void run() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            byte[] oversized = kind == Kind.OVERSIZED ? new byte[maxMessageBytes + 1] : null;
            int turn = 0;
            while (!stop.get()) {
                try {
                    switch (kind) {
                        case OVERSIZED -> oversized(http, oversized);
                        case MALFORMED -> malformed(http, turn++);
                        case SLOW_READING -> slowReading(http);
                        case NEVER_READING -> neverReading(http);
                    }
                } catch (Exception e) {
                    // The server dropped us, as it should; go again.
                    pause(20);
                }
            }
        }
    }

    private void oversized(HttpClient http, byte[] big) throws Exception {
        Watcher w = new Watcher(true);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, w).get(TIMEOUT_S, TimeUnit.SECONDS);
        try {
            tally.attacks().increment();
            ws.sendBinary(ByteBuffer.wrap(big), true).handle((x, e) -> null).get(TIMEOUT_S, TimeUnit.SECONDS);
            if (w.closeCode.get(TIMEOUT_S, TimeUnit.SECONDS) == 1009) {
                tally.refused().increment();
            }
        } finally {
            ws.abort();
        }
        // Each try moves 16 MiB through both ends; a short pause keeps the two cores for the others.
        pause(100);
    }

    private void malformed(HttpClient http, int turn) throws Exception {
        Watcher w = new Watcher(true);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, w).get(TIMEOUT_S, TimeUnit.SECONDS);
        try {
            tally.attacks().increment();
            switch (turn % 4) {
                case 0 -> {
                    byte[] garbage = request.clone();
                    for (int e = 0; e < 4; e++) {
                        garbage[random.nextInt(garbage.length)] = (byte) random.nextInt(256);
                    }
                    ws.sendBinary(ByteBuffer.wrap(garbage), true);
                }
                case 1 -> ws.sendBinary(ByteBuffer.wrap(MEGABYTE_OF_NILS), true);
                case 2 -> ws.sendBinary(ByteBuffer.wrap(MsgpackNumpy.pack(Map.of(Wire.STATE, NdArray.of(DType.FLOAT32,
                        new double[3 * (stateDim + 1)], 3, stateDim + 1)))), true);
                default -> ws.sendText("{\"observation.state\": [1, 2]}", true);
            }
            // A mutated message may still be a valid request: then it is answered, not refused.
            CompletableFuture.anyOf(w.closeCode, w.replied).get(TIMEOUT_S, TimeUnit.SECONDS);
            if (!w.replied.isDone() && w.closeCode.getNow(0) == 1011) {
                tally.refused().increment();
            }
        } finally {
            ws.abort();
        }
    }

    /** Built once: every malformed-message attack of this kind sends the same bytes. */
    private static final byte[] MEGABYTE_OF_NILS = nils(1 << 20);

    /** A msgpack map {prompt: [n nils]}. */
    private static byte[] nils(int n) {
        byte[] m = new byte[1 + 7 + 5 + n];
        int i = 0;
        m[i++] = (byte) 0x81;
        m[i++] = (byte) 0xa6;
        for (char c : "prompt".toCharArray()) {
            m[i++] = (byte) c;
        }
        m[i++] = (byte) 0xdd;
        m[i++] = (byte) (n >>> 24);
        m[i++] = (byte) (n >>> 16);
        m[i++] = (byte) (n >>> 8);
        m[i++] = (byte) n;
        Arrays.fill(m, i, m.length, (byte) 0xc0);
        return m;
    }

    private void slowReading(HttpClient http) throws Exception {
        Watcher w = new Watcher(false);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, w).get(TIMEOUT_S, TimeUnit.SECONDS);
        tally.attacks().increment();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long nextRead = System.nanoTime();
            while (!stop.get() && !w.closeCode.isDone() && System.nanoTime() < deadline) {
                if (w.sent.get() - w.received.get() < 48) {
                    ws.sendBinary(ByteBuffer.wrap(request), true).get(TIMEOUT_S, TimeUnit.SECONDS);
                    w.sent.incrementAndGet();
                } else {
                    pause(5);
                }
                if (System.nanoTime() >= nextRead) {
                    ws.request(1);
                    nextRead = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                }
            }
            if (w.closeCode.isDone()) {
                tally.refused().increment();
            }
        } finally {
            ws.abort();
        }
    }

    private void neverReading(HttpClient http) throws Exception {
        Watcher w = new Watcher(false);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, w).get(TIMEOUT_S, TimeUnit.SECONDS);
        tally.attacks().increment();
        try {
            while (!stop.get()) {
                CompletableFuture<WebSocket> sent = ws.sendBinary(ByteBuffer.wrap(request), true);
                try {
                    sent.get(2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // The server dropped us (or stopped reading what we will not stop sending).
                    tally.refused().increment();
                    return;
                }
            }
        } finally {
            ws.abort();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Demands frames only when told to ({@code reads}); records the close code (-1 for a dropped connection). */
    private static final class Watcher implements WebSocket.Listener {
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        /** The first binary frame after the metadata: a reply. */
        final CompletableFuture<Void> replied = new CompletableFuture<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        private final boolean reads;

        Watcher(boolean reads) {
            this.reads = reads;
        }

        @Override
        public void onOpen(WebSocket ws) {
            if (reads) {
                ws.request(1);
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (last && received.incrementAndGet() == 2) {
                replied.complete(null);
            }
            if (reads) {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (reads) {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closeCode.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
