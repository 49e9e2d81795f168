package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import kiban.bench.DataBench;
import kiban.bench.ImageInferBench;
import kiban.bench.ImageTrainBench;
import kiban.bench.InferBench;
import kiban.bench.Measurement;
import kiban.bench.PeerServeBench;
import kiban.bench.PushTRun;
import kiban.bench.ServeBench;
import kiban.bench.SimBench;
import kiban.bench.TrainBench;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.model.PolicyTypes;
import kiban.policy.nn.ImageEncoders;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;
import kiban.policy.torchscript.TorchScriptPolicy;
import kiban.policy.train.TrainingKinds;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban bench}: measured performance figures (never asserted). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks; record their figures in docs/PERFORMANCE.md.",
        subcommands = {BenchCommand.SimBenchCommand.class, BenchCommand.TrainBenchCommand.class, BenchCommand.InferBenchCommand.class,
            BenchCommand.DataBenchCommand.class, BenchCommand.ServeBenchCommand.class, LoopBenchCommand.class, RulBenchCommand.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The machine a figure was measured on, printed with every benchmark. */
    static ObjectNode machine() {
        ObjectNode m = Json.object();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        m.put("java", Runtime.version().toString());
        m.put("vm", System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        // The collector moves latency tails (KIBAN_JAVA_OPTS may choose another than the JVM's default), so say which.
        m.put("gc", String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList()));
        // The launcher preloads scripts/mkl-amd.c on AMD processors; it changes matrix-product speed, so say so.
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && !preload.isBlank()) {
            m.put("ld_preload", preload);
        }
        return m;
    }

    static void print(PrintWriter out, String name, List<Measurement> ms, boolean json) {
        if (json) {
            ObjectNode o = Json.object();
            o.put("benchmark", name);
            o.set("machine", machine());
            ArrayNode results = o.putArray("results");
            for (Measurement m : ms) {
                results.addObject().put("subject", m.subject()).put("setting", m.setting()).put("value", m.value())
                        .put("unit", m.unit()).put("operations", m.operations()).put("seconds", m.seconds());
            }
            out.println(Json.pretty(o));
            return;
        }
        ObjectNode machine = machine();
        out.printf("%s on %d cores, Java %s (%s)%n", name, machine.get("cores").asInt(), machine.get("java").asText(),
                machine.get("gc").asText());
        for (Measurement m : ms) {
            String value = m.value() >= 1000 ? String.format("%,.0f", m.value()) : String.format("%.3f", m.value());
            out.printf("  %-18s %-52s %14s %s%n", m.subject(), m.setting(), value, m.unit());
        }
    }

    static void checkPolicies(CommandSpec spec, List<String> policies) {
        for (String p : policies) {
            if (!PolicyTypes.registry().has(p) && TrainingKinds.of(p).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--policy: unknown policy '" + p + "'; known: "
                        + PolicyTypes.registry().names() + " and " + TrainingKinds.policies());
            }
        }
    }

    /**
     * Checks {@code --image-encoder}'s names and that the options beside it fit the image policy (flow
     * only, as docs/TRAINING.md's camera config trains it); true where it was given.
     */
    static boolean checkImageEncoders(CommandSpec spec, List<String> encoders, List<String> policies) {
        if (encoders == null) {
            return false;
        }
        for (String e : encoders) {
            if (!ImageEncoders.NAMES.contains(e)) {
                throw new ParameterException(spec.commandLine(), "--image-encoder: expected one of " + ImageEncoders.NAMES
                        + ", got \"" + e + "\"");
            }
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--policy") && !policies.equals(List.of("flow"))) {
            throw new ParameterException(spec.commandLine(), "--image-encoder times the flow image policy; --policy must be "
                    + "flow or left out, got " + String.join(",", policies));
        }
        return true;
    }

    @Command(name = "sim", mixinStandardHelpOptions = true,
            description = "Env steps per second for each simulator: one thread and vectorised, state-only and with images; "
                    + "for an env with a camera also with render randomisation on, and camera frames per second alone.")
    static final class SimBenchCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--env", description = "Only this simulator (default: all).")
        String env;

        @Option(names = "--seconds", defaultValue = "3", description = "Measured seconds per figure (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--copies", defaultValue = "8", description = "Env copies in the vectorised figure (default: ${DEFAULT-VALUE}).")
        int copies;

        @Option(names = "--threads", description = "Threads of the vectorised figure (default: the cores).")
        Integer threads;

        @Option(names = "--cpu-time", description = "Count the one-thread figures in the thread's CPU seconds instead of "
                + "the clock's (a machine shared with other work slows them far less).")
        boolean cpuTime;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Override
        public void run() {
            if (!(seconds > 0) || copies < 1 || (threads != null && threads < 1)) {
                throw new ParameterException(spec.commandLine(), "--seconds, --copies and --threads must be positive");
            }
            EnvRegistry registry = EnvRegistry.load();
            List<EnvProvider> providers = env == null ? registry.all() : List.of(registry.get(env));
            int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            List<Measurement> results;
            try (Progress p = Progress.start("bench sim", "figures", SimBench.figures(providers), true)) {
                results = new SimBench(seconds, copies, t, cpuTime).run(providers, p);
            }
            print(spec.commandLine().getOut(), "bench sim", results, json);
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Time per training step of each policy beside the same model in Python PyTorch (run in the same call).")
    static final class TrainBenchCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--policy", split = ",", defaultValue = "mlp,flow,diffusion,act", description = "Policies (default: "
                + "${DEFAULT-VALUE}; also foundation, at its default config on one embodiment of PushT's sizes).")
        List<String> policies;

        @Option(names = "--batch", description = "Batch size (default: " + TrainBench.DEFAULT_BATCH
                + "; foundation: its config's, 128).")
        Integer batch;

        @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per figure (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--hidden", split = ",", paramLabel = "W", description = "Hidden widths of the mlp, flow and "
                + "diffusion networks, as the config field hidden (default: the config's default, 512,512,512).")
        List<Integer> hidden;

        @Option(names = "--flow-head", paramLabel = "HEAD", description = "The flow network's head, as the config field "
                + "flow_head: mlp or film (default: mlp; ./kiban quickstart trains film).")
        String flowHead;

        @Option(names = "--image-encoder", split = ",", paramLabel = "ENCODER", description = "Instead: the flow image "
                + "policy (PushT's 96x96 camera and agent position, as docs/TRAINING.md trains it) with each camera "
                + "encoder named, as the config field image_encoder: cnn, resnet; images per second through the encoder "
                + "too (batch default: 64; the mlp head only).")
        List<String> imageEncoders;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Override
        public void run() {
            if (!(seconds > 0) || (batch != null && batch < 1)) {
                throw new ParameterException(spec.commandLine(), "--seconds and --batch must be positive");
            }
            checkPolicies(spec, policies);
            boolean images = checkImageEncoders(spec, imageEncoders, policies);
            if (images && flowHead != null && !flowHead.equals("mlp")) {
                throw new ParameterException(spec.commandLine(), "--flow-head: the image benchmark's peer builds the mlp head "
                        + "only, got " + flowHead);
            }
            TrainConfig network;
            try {
                network = TrainConfig.defaults().with(c -> {
                    if (hidden != null) {
                        hidden.forEach(c.putArray("hidden")::add);
                    }
                    if (flowHead != null) {
                        c.put("flow_head", flowHead);
                    }
                });
            } catch (InvalidInputException e) {
                String option = e.field().startsWith("hidden") ? "--hidden" : "--flow-head";
                throw new ParameterException(spec.commandLine(), option + ": expected " + e.expected() + ", got " + e.actual());
            }
            Path peer = Path.of(System.getProperty("kiban.home", ".")).resolve("bench/peers/train_step.py");
            List<Measurement> results;
            if (images) {
                try (Progress p = Progress.start("bench train --image-encoder", "encoders", imageEncoders.size(), true)) {
                    results = new ImageTrainBench(seconds, batch == null ? 64 : batch, network, peer).run(imageEncoders, p);
                }
                print(spec.commandLine().getOut(), "bench train --image-encoder", results, json);
                return;
            }
            try (Progress p = Progress.start("bench train", "figures", policies.size() * 2L, true)) {
                results = new TrainBench(seconds, batch == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(batch), network, peer).run(policies, p);
            }
            print(spec.commandLine().getOut(), "bench train", results, json);
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Batch-1 inference latency (p50, p99, p99.9) of each policy network on the CPU, with the thread "
                    + "choice of every Kiban policy, beside the same network in Python PyTorch eager at the same thread count "
                    + "(mlp, act and foundation; run in the same call). The foundation policy (its default config, one "
                    + "embodiment of PushT's sizes, 10 flow steps) is timed at batch 64 too.")
    static final class InferBenchCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--policy", split = ",", defaultValue = "mlp,flow,diffusion,act", description = "Policies (default: "
                + "${DEFAULT-VALUE}; also foundation).")
        List<String> policies;

        @Option(names = "--calls", defaultValue = "3000", description = "Timed calls per policy and side (default: ${DEFAULT-VALUE}).")
        int calls;

        @Option(names = "--batch", defaultValue = "" + InferBench.FOUNDATION_BATCH, description = "Rows a call of the "
                + "foundation policy's and the image policy's batched figures (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--no-peer", description = "Kiban's figures only (no Python PyTorch beside them).")
        boolean noPeer;

        @Option(names = "--image-encoder", split = ",", paramLabel = "ENCODER", description = "Instead: the flow image "
                + "policy (PushT's 96x96 camera and agent position, 10 flow steps) with each camera encoder named, as the "
                + "config field image_encoder: cnn, resnet; batch 1 and --batch rows a call, with images per second "
                + "through the encoder.")
        List<String> imageEncoders;

        @Option(names = "--batches", split = ",", paramLabel = "N", description = "Instead: p50 and p99 of a forward pass "
                + "of each batch size on one thread and on libtorch's default, for the first --policy (how Kiban's "
                + "one-thread limit, " + IntraOpThreads.SMALL_BATCH_ROWS + " rows, was chosen).")
        List<Integer> batches;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Override
        public void run() {
            if (calls < 10) {
                throw new ParameterException(spec.commandLine(), "--calls must be at least 10, got " + calls);
            }
            if (batches != null && batches.stream().anyMatch(b -> b < 1 || b > 4096)) {
                throw new ParameterException(spec.commandLine(), "--batches: expected sizes from 1 to 4096, got " + batches);
            }
            if (batch < 1 || batch > 4096) {
                throw new ParameterException(spec.commandLine(), "--batch: expected a size from 1 to 4096, got " + batch);
            }
            checkPolicies(spec, policies);
            Path peer = noPeer ? null : Path.of(System.getProperty("kiban.home", ".")).resolve("bench/peers/infer_step.py");
            if (checkImageEncoders(spec, imageEncoders, policies)) {
                if (batches != null) {
                    throw new ParameterException(spec.commandLine(), "--batches does not go with --image-encoder");
                }
                List<Measurement> results;
                try (Progress p = Progress.start("bench infer --image-encoder", "encoders", imageEncoders.size(), true)) {
                    results = new ImageInferBench(calls, peer, batch, TrainConfig.defaults()).run(imageEncoders, p);
                }
                print(spec.commandLine().getOut(), "bench infer --image-encoder", results, json);
                return;
            }
            InferBench bench = new InferBench(calls, peer, batch);
            List<Measurement> results;
            if (batches != null) {
                try (Progress p = Progress.start("bench infer", "batch sizes", batches.size(), true)) {
                    results = bench.sweep(policies.getFirst(), batches, p);
                }
            } else {
                try (Progress p = Progress.start("bench infer", "policies", policies.size(), true)) {
                    results = bench.run(policies, p);
                }
            }
            print(spec.commandLine().getOut(), "bench infer", results, json);
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = "Dataset throughput: write and read (state-only and with video), a full read beside DuckDB's scan of "
                    + "the same files, and the training feed's batches beside the training step it feeds. With --video, the "
                    + "image pipeline instead: direct decoding against the frame cache, and cached frames into augmented "
                    + "batches beside the flow image policy's training step.")
    static final class DataBenchCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--frames", defaultValue = "200000", description = "Frames of the state-only dataset (default: ${DEFAULT-VALUE}).")
        int frames;

        @Option(names = "--episode-length", defaultValue = "500", description = "Frames per episode (default: ${DEFAULT-VALUE}).")
        int episodeLength;

        @Option(names = "--state-dim", defaultValue = "14", description = "observation.state elements (default: ${DEFAULT-VALUE}).")
        int stateDim;

        @Option(names = "--action-dim", defaultValue = "7", description = "action elements (default: ${DEFAULT-VALUE}).")
        int actionDim;

        @Option(names = "--video-frames", defaultValue = "2000", description = "Frames of the video dataset (default: ${DEFAULT-VALUE}).")
        int videoFrames;

        @Option(names = "--video-size", defaultValue = "96", description = "Video frame height and width (default: ${DEFAULT-VALUE}).")
        int videoSize;

        @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds of the sampler and step figures "
                + "(default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--batch", description = "Batch size (default: 256; with --video 64, Diffusion Policy's).")
        Integer batch;

        @Option(names = "--video", description = "Measure the image training pipeline (see above) instead.")
        boolean video;

        @Option(names = "--crop", description = "With --video: the random crop's side in pixels, 0 for the whole frame "
                + "(default: 7/8 of --video-size, Diffusion Policy's 84 of 96).")
        Integer crop;

        @Option(names = "--jitter", defaultValue = "0.1", description = "With --video: colour jitter strength, 0 to 0.5 "
                + "(default: ${DEFAULT-VALUE}).")
        double jitter;

        @Option(names = "--workers", description = "Loader threads (default: the cores).")
        Integer workers;

        @Option(names = "--scratch", description = "Directory for the scratch datasets, deleted after (default: the temp dir).")
        Path scratch;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Override
        public void run() {
            int batch = this.batch == null ? (video ? 64 : 256) : this.batch;
            if (frames < 1 || episodeLength < 1 || stateDim < 1 || actionDim < 1 || videoFrames < 1 || batch < 1 || !(seconds > 0)
                    || (workers != null && workers < 1)) {
                throw new ParameterException(spec.commandLine(), "--frames, --episode-length, --state-dim, --action-dim, "
                        + "--video-frames, --batch, --workers and --seconds must be positive");
            }
            if (videoSize < 2 || videoSize % 2 != 0) {
                throw new ParameterException(spec.commandLine(), "--video-size must be even and at least 2 (yuv420p), got " + videoSize);
            }
            int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
            Path dir = scratch == null ? Path.of(System.getProperty("java.io.tmpdir")) : scratch;
            List<Measurement> results;
            if (video) {
                int side = crop == null ? videoSize * 7 / 8 : crop;
                if (side < 0 || side > videoSize || !(jitter >= 0 && jitter <= 0.5)) {
                    throw new ParameterException(spec.commandLine(), "--crop must lie in [0, --video-size] and --jitter in "
                            + "[0, 0.5], got " + side + " and " + jitter);
                }
                try (Progress p = Progress.start("bench data --video", "groups", 3, true)) {
                    results = DataBench.runVideo(new DataBench.VideoOptions(videoFrames, Math.min(episodeLength, 200), videoSize,
                            stateDim, actionDim, side, jitter, seconds, batch, dir), p);
                }
                print(spec.commandLine().getOut(), "bench data --video", results, json);
                return;
            }
            try (Progress p = Progress.start("bench data", "groups", 4, true)) {
                results = new DataBench(new DataBench.Options(frames, episodeLength, stateDim, actionDim, videoFrames, videoSize,
                        seconds, batch, w, dir)).run(p);
            }
            print(spec.commandLine().getOut(), "bench data", results, json);
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "The policy server on loopback: concurrent closed-loop WebSocket clients with batching off and on, "
                    + "some of them hostile (oversized, malformed, slow-reading, never-reading messages); the well-behaved "
                    + "clients' throughput, latency p50/p99/p99.9 and errors, server overhead (round trip minus the forward "
                    + "pass), what the hostile clients tried, and the heap's peak. With --peer python: one openpi-style Python "
                    + "client's round trips against Kiban's server and a Python server (openpi's WebsocketPolicyServer, eager "
                    + "PyTorch) serving the same trained network, side by side with their ratios.")
    static final class ServeBenchCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds per scenario (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--policy", defaultValue = "mlp", description = "Network served, freshly initialised with PushT's sizes "
                + "(default: ${DEFAULT-VALUE}).")
        String policy;

        @Option(names = "--max-batch", defaultValue = "64", description = "The server's largest batch when batching (default: ${DEFAULT-VALUE}).")
        int maxBatch;

        @Option(names = "--max-wait-ms", defaultValue = "0", description = "The server's batching window (default: ${DEFAULT-VALUE}).")
        double maxWaitMs;

        @Option(names = "--hostile", paramLabel = "N", description = "How many of the clients misbehave, taking the four kinds "
                + "in turn (default: " + ServeBench.DEFAULT_HOSTILE + " from " + ServeBench.HOSTILE_FROM + " clients on, else 0).")
        Integer hostile;

        @Option(names = "--peer", paramLabel = "LANGUAGE", description = "Compare with a server written in this language "
                + "serving the same network, timed by one openpi-style Python client; only " + PeerServeBench.PEER + " "
                + "(bench/peers; Debian's python3-torch, -websockets, -msgpack), with --calls, --warmup, --rounds and --run.")
        String peer;

        @Option(names = "--calls", paramLabel = "N", description = "With --peer: timed round trips per server and round "
                + "(default: " + DEFAULT_CALLS + ").")
        Integer calls;

        @Option(names = "--warmup", paramLabel = "N", description = "With --peer: untimed round trips before them (default: "
                + DEFAULT_WARMUP + ").")
        Integer warmup;

        @Option(names = "--rounds", paramLabel = "N", description = "With --peer: rounds, Kiban then the peer in each; "
                + "a server's samples are pooled (default: " + DEFAULT_ROUNDS + ").")
        Integer rounds;

        @Option(names = "--run", paramLabel = "DIR", description = "With --peer: the state-only training run both servers "
                + "serve (default: an mlp with PushT's sizes, trained for a few seconds in a temporary folder).")
        Path run;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        static final int DEFAULT_CALLS = 3000;
        static final int DEFAULT_WARMUP = 200;
        static final int DEFAULT_ROUNDS = 2;

        @Override
        public void run() {
            if (peer != null || calls != null || warmup != null || rounds != null || run != null) {
                runPeer();
                return;
            }
            if (clients < 1 || !(seconds > 0) || maxBatch < 2) {
                throw new ParameterException(spec.commandLine(), "--clients and --seconds must be positive and --max-batch at least 2");
            }
            int h = hostile == null ? ServeBench.defaultHostile(clients) : hostile;
            if (h < 0 || h >= clients) {
                throw new ParameterException(spec.commandLine(), "--hostile: expected from 0 to " + (clients - 1)
                        + " (at least one client must behave), got " + h);
            }
            checkPolicies(spec, List.of(policy));
            var scenarios = ServeBench.scenarios(clients, h, maxBatch, maxWaitMs);
            List<Measurement> results;
            try (Progress p = Progress.start("bench serve", "scenarios", scenarios.size(), true)) {
                results = new ServeBench(policy, seconds).run(scenarios, p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new kiban.core.error.KibanException("interrupted");
            }
            print(spec.commandLine().getOut(), "bench serve", results, json);
        }

        private void runPeer() {
            if (peer == null) {
                throw new ParameterException(spec.commandLine(), "--calls, --warmup, --rounds and --run go with --peer "
                        + PeerServeBench.PEER);
            }
            if (!PeerServeBench.PEER.equals(peer)) {
                throw new ParameterException(spec.commandLine(), "--peer: expected " + PeerServeBench.PEER + ", got '" + peer + "'");
            }
            for (String other : List.of("--clients", "--seconds", "--policy", "--max-batch", "--max-wait-ms", "--hostile")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(other)) {
                    throw new ParameterException(spec.commandLine(), other + " does not go with --peer: the peer comparison "
                            + "serves one client a training run (--run) with the server's default flags");
                }
            }
            var options = optionsOrUsageError();
            if (run != null) {
                if (!Files.isDirectory(run)) {
                    throw new ParameterException(spec.commandLine(), "--run: " + run + ": no such folder; pass a training run's folder");
                }
                if (TorchScriptPolicy.isTorchScript(run)) {
                    throw new ParameterException(spec.commandLine(), "--run: " + run + " is a TorchScript export; pass the "
                            + "training run it came from (the peer rebuilds the network from the run's weights)");
                }
            }
            Path peers = Path.of(System.getProperty("kiban.home", ".")).resolve("bench/peers");
            var bench = new PeerServeBench(peers, TorchScriptExport.defaultPython(), options);
            Path scratch = null;
            List<Measurement> results;
            try (Progress p = Progress.start("bench serve --peer " + peer, "client runs", 2L * options.rounds(), true)) {
                Path dir = run;
                if (dir == null) {
                    scratch = Files.createTempDirectory("kiban-bench-peer");
                    p.message("kiban: training a PushT-sized mlp run to serve (--run names one of yours)");
                    dir = PushTRun.train(scratch.resolve("run"));
                }
                results = bench.run(dir, p).measurements();
            } catch (IOException e) {
                throw new KibanException("cannot make a temporary folder for the run: " + e.getMessage(), e);
            } finally {
                if (scratch != null) {
                    deleteTree(scratch);
                }
            }
            print(spec.commandLine().getOut(), "bench serve --peer " + peer, results, json);
        }

        private PeerServeBench.Options optionsOrUsageError() {
            int c = calls == null ? DEFAULT_CALLS : calls;
            int w = warmup == null ? DEFAULT_WARMUP : warmup;
            int r = rounds == null ? DEFAULT_ROUNDS : rounds;
            if (c < 1 || w < 0 || r < 1) {
                throw new ParameterException(spec.commandLine(), "--calls and --rounds must be positive and --warmup at least 0, got "
                        + c + ", " + r + " and " + w);
            }
            return new PeerServeBench.Options(c, w, r);
        }

        private static void deleteTree(Path dir) {
            try (var s = Files.walk(dir)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                // A temporary folder left behind; nothing depends on it.
            }
        }
    }
}
