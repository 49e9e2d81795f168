package kiban.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI in a JVM of its own, started as the launcher starts it, for what only a real process
 * shows: signals, exit codes set by the JVM, and everything a library prints to stderr.
 */
final class CliProcess {

    private CliProcess() {}

    static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as ./kiban does: Netty's warning is not ours to print
        }
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dai.djl.offline=true"); // as ./kiban does: the natives come from Maven, nothing is downloaded
        // A short-lived process on a shared 2-core machine: C1 alone and the serial collector halve its CPU time.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    static Process start(String... args) throws IOException {
        return builder(args).start();
    }

    /**
     * As {@link #builder}, with SIGINT handled as a terminal's Ctrl-C is: a process a build or a
     * script starts in the background inherits SIGINT ignored, and the JVM keeps it ignored.
     */
    static ProcessBuilder interruptible(String... args) {
        ProcessBuilder b = builder(args);
        b.command().addAll(0, List.of("/usr/bin/python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"));
        return b;
    }
}
