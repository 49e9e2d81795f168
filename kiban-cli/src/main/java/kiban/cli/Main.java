package kiban.cli;

import picocli.CommandLine;

/** Entry point of the {@code kiban} command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code: 0 success, 1 failure at run time, 2 usage error. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        // --verbose sets a static (the error handlers read it); a new command line starts without it,
        // so that one run in a JVM (a test, say) does not make the next one verbose.
        VerboseOption.verbose = false;
        CommandLine cli = new CommandLine(new KibanCommand());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        return cli;
    }
}
