package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.util.List;
import kiban.core.json.Json;
import kiban.runtime.bench.LoopBench;
import kiban.runtime.loop.LoopReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban bench loop}: the control loop's jitter with inference and allocation pressure, beside the C floor. */
@Command(name = "loop", mixinStandardHelpOptions = true,
        description = "Control-loop wake-up lateness (p50, p99, p99.9, max) at 100 Hz and 1 kHz with a model inferring and "
                + "another thread allocating, beside C's clock_nanosleep floor measured in the same run; prints the JVM flags.")
final class LoopBenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "60", description = "Seconds per rate (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--hz", split = ",", defaultValue = "100,1000", description = "Rates (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--alloc-mb", defaultValue = "200", description = "Garbage allocated per second by the pressure thread, MiB "
            + "(default: ${DEFAULT-VALUE}).")
    long allocMb;

    @Option(names = "--model-width", defaultValue = "192", description = "Width of the stand-in model's layers; its cost grows "
            + "with the square (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--no-c-floor", description = "Skip the C floor (it needs a C compiler, cc).")
    boolean noCFloor;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public void run() {
        if (!(seconds > 0) || allocMb < 0 || width < 1) {
            throw new ParameterException(spec.commandLine(), "--seconds and --model-width must be positive, --alloc-mb >= 0");
        }
        for (double hz : rates) {
            if (!(hz >= 10 && hz <= 1000)) {
                throw new ParameterException(spec.commandLine(), "--hz: each rate must lie in 10-1000, got " + hz);
            }
        }
        LoopBench.Result r = new LoopBench(new LoopBench.Options(seconds, rates, allocMb, width, !noCFloor)).run();
        print(spec.commandLine().getOut(), r);
    }

    private void print(PrintWriter out, LoopBench.Result r) {
        ObjectNode o = Json.object();
        o.put("benchmark", "bench loop");
        o.set("machine", BenchCommand.machine());
        o.putArray("jvm_flags").addAll(r.jvmFlags().stream().map(TextNode::valueOf).toList());
        o.putArray("collectors").addAll(r.collectors().stream().map(TextNode::valueOf).toList());
        o.put("seconds_per_rate", seconds);
        o.put("allocated_mib", r.allocatedMb());
        ArrayNode loops = o.putArray("loop");
        for (LoopReport l : r.loops()) {
            ObjectNode n = loops.addObject();
            n.put("hz", l.hz());
            n.put("cycles", l.cycles());
            n.put("skipped", l.skipped());
            n.put("overruns", l.overruns());
            n.set("lateness_ms", RunCommand.percentiles(l.lateness()));
            n.set("cycle_time_ms", RunCommand.percentiles(l.cycleTime()));
            n.put("inferences", l.inferences());
            n.set("inference_ms", RunCommand.percentiles(l.inferenceTime()));
            n.put("expired_actions", l.expiredActions());
            n.put("no_command_cycles", l.noCommand());
        }
        ArrayNode floors = o.putArray("c_floor");
        for (LoopBench.Floor f : r.floors()) {
            ObjectNode n = floors.addObject();
            n.put("hz", f.hz());
            if (!f.error().isEmpty()) {
                n.put("error", f.error());
                continue;
            }
            n.put("cycles", f.cycles());
            n.set("lateness_ms", Json.object().put("p50", f.p50() / 1e6).put("p99", f.p99() / 1e6).put("p99_9", f.p999() / 1e6)
                    .put("max", f.max() / 1e6));
        }
        if (json) {
            out.println(Json.pretty(o));
            return;
        }
        out.printf("bench loop, %.0f s per rate, %d MiB allocated by the pressure thread; JVM flags %s; collectors %s%n",
                seconds, r.allocatedMb(), r.jvmFlags(), r.collectors());
        for (LoopReport l : r.loops()) {
            out.printf("  java %5.0f Hz  lateness p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms  (overruns %d, skipped %d, %d inferences)%n",
                    l.hz(), l.lateness().p50() / 1e6, l.lateness().p99() / 1e6, l.lateness().p999() / 1e6, l.lateness().max() / 1e6,
                    l.overruns(), l.skipped(), l.inferences());
        }
        for (LoopBench.Floor f : r.floors()) {
            if (!f.error().isEmpty()) {
                out.printf("  C    %5.0f Hz  %s%n", f.hz(), f.error());
            } else {
                out.printf("  C    %5.0f Hz  lateness p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms%n", f.hz(), f.p50() / 1e6,
                        f.p99() / 1e6, f.p999() / 1e6, f.max() / 1e6);
            }
        }
    }
}
