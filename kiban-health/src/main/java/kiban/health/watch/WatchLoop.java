package kiban.health.watch;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import kiban.health.cell.CellReading;

/**
 * Samples a machine at a fixed period and feeds each fresh reading to a {@link HealthWatch}. It only
 * reads: the watch never commands the machine. Readings taken while the link is down, or with a
 * value that is not a finite number, are skipped and counted rather than fed to the model.
 */
public final class WatchLoop {

    /** What a loop did before it stopped. */
    public record Summary(long readings, long skipped, long alarmsRaised, long maintenanceRequests) {}

    private WatchLoop() {}

    /**
     * Runs until {@code stop} says so or {@code maxReadings} readings were taken (0: no limit). The
     * health model assumes one reading a minute of machine time, so {@code period} should be the
     * time a machine minute takes (a minute on the floor, a second on {@code kiban sim opcua}).
     */
    public static Summary run(Machine machine, ReadingLayout layout, HealthWatch watch, Duration period, long maxReadings,
            BooleanSupplier stop) throws InterruptedException {
        long periodNanos = period.toNanos();
        long next = System.nanoTime();
        long taken = 0;
        long skipped = 0;
        while (!stop.getAsBoolean() && (maxReadings == 0 || taken < maxReadings)) {
            MachineReading m = machine.read();
            CellReading r = m.connected() ? layout.read(m.state()) : null;
            if (r == null) {
                skipped++;
            } else {
                watch.accept(r);
                taken++;
            }
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } else {
                next = System.nanoTime(); // fell behind: start the schedule again rather than burst to catch up
            }
        }
        return new Summary(taken, skipped, watch.alarmsRaised(), watch.maintenanceRequests());
    }
}
