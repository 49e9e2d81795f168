package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.EmbodimentSpecs;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiban embodiment}: list, show and validate embodiment specs. */
@Command(
        name = "embodiment",
        mixinStandardHelpOptions = true,
        description = "List, show and validate embodiment specs (the machines Kiban controls).",
        subcommands = {
            EmbodimentCommand.ListCommand.class,
            EmbodimentCommand.ShowCommand.class,
            EmbodimentCommand.ValidateCommand.class
        })
final class EmbodimentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A spec by built-in name or, where the argument is an existing file, from that file. */
    static EmbodimentSpec resolve(String nameOrFile) {
        Path file = Path.of(nameOrFile);
        if (Files.isRegularFile(file)) {
            return EmbodimentSpecs.read(file);
        }
        return EmbodimentRegistry.withBuiltIns().get(nameOrFile);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in embodiments.")
    static final class ListCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print a JSON array of full specs.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            List<EmbodimentSpec> specs = EmbodimentRegistry.withBuiltIns().all();
            if (json) {
                ArrayNode array = Json.array();
                specs.forEach(s -> array.add(EmbodimentSpecs.toTree(s)));
                out.println(Json.pretty(array));
                return;
            }
            out.printf("%-14s %-18s %8s %6s %7s  %s%n", "NAME", "DOMAIN", "HZ", "STATE", "ACTION", "DESCRIPTION");
            for (EmbodimentSpec s : specs) {
                out.printf("%-14s %-18s %8s %6d %7d  %s%n", s.name(), s.domain().wireName(), Text.number(s.controlHz()),
                        s.stateDim(), s.actionDim(), s.description());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one embodiment: its features, limits, cameras and safety envelope.")
    static final class ShowCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME|FILE", description = "A built-in name (see 'kiban embodiment list') or a spec file.")
        String name;

        @Option(names = "--json", description = "Print the spec as JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            EmbodimentSpec s = resolve(name);
            if (json) {
                out.println(Json.pretty(EmbodimentSpecs.toTree(s)));
                return;
            }
            out.printf("%s (%s, %s Hz): %s%n", s.name(), s.domain().wireName(), Text.number(s.controlHz()), s.description());
            out.println("state:");
            s.state().forEach(f -> out.println(describe(f)));
            out.println("action:");
            s.action().forEach(f -> out.println(describe(f)));
            if (!s.cameras().isEmpty()) {
                out.println("cameras:");
                s.cameras().forEach(c -> out.printf("  %-16s %dx%dx%d%n", c.name(), c.height(), c.width(), c.channels()));
            }
            var safety = s.safety();
            out.printf("safety: watchdog %d cycles, stop by %s", safety.watchdogCycles(), safety.stopMode().wireName());
            if (!safety.workspace().isEmpty()) {
                out.print(", workspace " + safety.workspace().stream().map(z -> z.name()).collect(Collectors.joining(", ")));
            }
            if (!safety.keepOut().isEmpty()) {
                out.print(", keep-out " + safety.keepOut().stream().map(z -> z.name()).collect(Collectors.joining(", ")));
            }
            if (Double.isFinite(safety.minTimeToCollision())) {
                out.print(", min TTC " + Text.number(safety.minTimeToCollision()) + " s");
            }
            if (Double.isFinite(safety.minSeparation())) {
                out.print(", min separation " + Text.number(safety.minSeparation()) + " m");
            }
            out.println();
        }

        private static String describe(FeatureSpec f) {
            StringBuilder b = new StringBuilder();
            b.append(String.format("  %-16s %-10s [%s]", f.name(), f.unit(),
                    f.shape().stream().map(String::valueOf).collect(Collectors.joining("x"))));
            for (int i = 0; i < f.size(); i++) {
                String label = f.names().isEmpty() ? (f.size() == 1 ? "" : "[" + i + "]") : f.names().get(i);
                b.append(String.format("%n    %-14s %s .. %s", label, Text.number(f.low().get(i)), Text.number(f.high().get(i))));
                if (f.rateLimited()) {
                    b.append("  max rate ").append(Text.number(f.maxRate().get(i))).append("/s");
                }
            }
            return b.toString();
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check embodiment spec files (YAML or JSON); exit 1 if any is invalid.")
    static final class ValidateCommand implements Runnable {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Spec files to check.")
        List<Path> files;

        @Option(names = "--json", description = "Print one JSON object per file: file, valid, error.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int invalid = 0;
            ArrayNode results = Json.array();
            for (Path file : files) {
                ObjectNode r = results.addObject().put("file", file.toString());
                try {
                    EmbodimentSpec s = EmbodimentSpecs.read(file);
                    r.put("valid", true).put("name", s.name());
                    if (!json) {
                        out.printf("%s: ok (%s, %s, state %d, action %d)%n", file, s.name(), s.domain().wireName(),
                                s.stateDim(), s.actionDim());
                    }
                } catch (KibanException e) {
                    invalid++;
                    r.put("valid", false).put("error", e.getMessage());
                    if (!json) {
                        err.println("kiban: invalid: " + e.getMessage());
                    }
                }
            }
            if (json) {
                out.println(Json.pretty(results));
            }
            out.flush();
            if (invalid > 0) {
                throw new ExitException(invalid + " of " + files.size() + " spec files invalid", ErrorHandler.EXIT_FAILURE);
            }
        }
    }
}
