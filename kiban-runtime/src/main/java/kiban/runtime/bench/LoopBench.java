package kiban.runtime.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import kiban.core.embodiment.SafetyEnvelope;
import kiban.runtime.loop.ChunkQueue;
import kiban.runtime.loop.ControlLoop;
import kiban.runtime.loop.LoopConfig;
import kiban.runtime.loop.LoopReport;
import kiban.runtime.shield.SafetyShield;

/**
 * {@code kiban bench loop}: the control loop's wake-up lateness at each rate, with a model
 * inferring on its own thread and another thread allocating hard, beside the C floor measured in
 * the same run ({@code clock_nanosleep} with an absolute deadline, compiled with the system's
 * {@code cc}), and the JVM flags and collectors in use. Figures, not assertions.
 */
public final class LoopBench {

    /**
     * @param allocationMbPerSecond garbage the pressure thread allocates (0: none)
     * @param policyWidth           the stand-in model's layer width (its cost grows with the square)
     */
    public record Options(double seconds, List<Double> rates, long allocationMbPerSecond, int policyWidth, boolean cFloor) {}

    /** The C floor at one rate, in nanoseconds, or why it could not be measured. */
    public record Floor(double hz, long cycles, long p50, long p99, long p999, long max, String error) {}

    public record Result(List<LoopReport> loops, List<Floor> floors, List<String> jvmFlags, List<String> collectors,
            long allocatedMb) {}

    private final Options options;

    public LoopBench(Options options) {
        if (!(options.seconds() > 0) || options.rates().isEmpty() || options.allocationMbPerSecond() < 0 || options.policyWidth() < 1) {
            throw new IllegalArgumentException("need seconds > 0, at least one rate, allocation >= 0, width >= 1");
        }
        this.options = options;
    }

    public Result run() {
        List<LoopReport> loops = new ArrayList<>();
        Allocator allocator = new Allocator(options.allocationMbPerSecond());
        Thread pressure = Thread.ofPlatform().name("kiban-bench-alloc").daemon().start(allocator);
        try {
            for (double hz : options.rates()) {
                BenchMachine machine = new BenchMachine();
                BenchPolicy policy = new BenchPolicy(options.policyWidth(), 1);
                SafetyShield shield = SafetyShield.builder(machine.actionFeatures(), machine.observationFeatures(),
                        SafetyEnvelope.defaults()).setDt(1 / hz).build();
                LoopConfig config = LoopConfig.of(hz, options.seconds(), ChunkQueue.Blend.CROSSFADE, BenchPolicy.ACTION_STEPS);
                loops.add(new ControlLoop(machine, policy, shield, config, List.of(), kiban.core.machine.Telemetry.none(),
                        System.err).run());
            }
        } finally {
            allocator.stop = true;
            try {
                pressure.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Floor> floors = new ArrayList<>();
        if (options.cFloor()) {
            for (double hz : options.rates()) {
                floors.add(cFloor(hz, options.seconds()));
            }
        }
        List<String> collectors = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList();
        return new Result(loops, floors, ManagementFactory.getRuntimeMXBean().getInputArguments(), collectors,
                allocator.allocated >> 20);
    }

    /** Compiles and runs the C floor program; the error says why when there is no C compiler. */
    static Floor cFloor(double hz, double seconds) {
        long cycles = Math.max(1, Math.round(hz * seconds));
        try {
            Path dir = Files.createTempDirectory("kiban-cfloor");
            try {
                Path src = dir.resolve("cfloor.c");
                try (InputStream in = LoopBench.class.getResourceAsStream("cfloor.c")) {
                    Files.write(src, in.readAllBytes());
                }
                Path exe = dir.resolve("cfloor");
                String compiled = exec(List.of("cc", "-O2", "-o", exe.toString(), src.toString()), 60);
                if (!Files.isExecutable(exe)) {
                    return new Floor(hz, 0, 0, 0, 0, 0, "cc failed: " + compiled.strip());
                }
                String out = exec(List.of(exe.toString(), String.valueOf(Math.round(hz)), String.valueOf(cycles)),
                        (long) (seconds * 2) + 30).strip();
                String[] f = out.split("\\s+");
                if (f.length != 5) {
                    return new Floor(hz, 0, 0, 0, 0, 0, "unexpected output: " + out);
                }
                return new Floor(hz, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), "");
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException | RuntimeException e) {
            return new Floor(hz, 0, 0, 0, 0, 0, "cannot run the C floor: " + e.getMessage());
        }
    }

    private static String exec(List<String> command, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " timed out");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    /** Allocates short-lived garbage at a steady rate, keeping a few survivors so some reach the old generation. */
    private static final class Allocator implements Runnable {
        private final long bytesPerMilli;
        private final Object[] survivors = new Object[4096];
        volatile boolean stop;
        volatile long allocated;

        Allocator(long mbPerSecond) {
            this.bytesPerMilli = (mbPerSecond << 20) / 1000;
        }

        @Override
        public void run() {
            if (bytesPerMilli == 0) {
                return;
            }
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            long next = System.nanoTime();
            while (!stop) {
                for (long b = 0; b < bytesPerMilli; b += 1024) {
                    byte[] garbage = new byte[1024];
                    garbage[r.nextInt(1024)] = 1;
                    if (r.nextInt(64) == 0) {
                        survivors[r.nextInt(survivors.length)] = garbage;
                    }
                }
                allocated += bytesPerMilli;
                next += 1_000_000;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }
}
