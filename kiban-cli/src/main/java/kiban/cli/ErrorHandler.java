package kiban.cli;

import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** A failure at run time: one line on stderr, the stack trace only with {@code --verbose}; exit 1. */
final class ErrorHandler implements IExecutionExceptionHandler {

    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        // A bad option value found once the command ran (an unknown policy name) is still a usage error.
        if (e instanceof InvalidInputException bad && bad.source().startsWith("--")) {
            cli.getErr().println("kiban: usage error: " + bad.getMessage());
            cli.getErr().println("Run '" + parsed.asCommandLineList().getLast().getCommandSpec().qualifiedName()
                    + " --help' for usage.");
            cli.getErr().flush();
            return UsageErrorHandler.EXIT_USAGE;
        }
        cli.getErr().println("kiban: error: " + message(e));
        if (VerboseOption.verbose) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
        return e instanceof ExitException exit ? exit.code() : EXIT_FAILURE;
    }

    static String message(Throwable e) {
        if (e instanceof KibanException) {
            return e.getMessage();
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
