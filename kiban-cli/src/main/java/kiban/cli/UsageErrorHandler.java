package kiban.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** A usage error: the message and a pointer to {@code --help}; exit 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {

    static final int EXIT_USAGE = 2;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        List<String> unmatched = cli.getUnmatchedArguments();
        if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
            // picocli checks required options before it reports unknown ones, but a mistyped option
            // (--episode for --episodes) is usually why a required one is missing: name it first.
            UnmatchedArgumentException typo = new UnmatchedArgumentException(cli, unmatched);
            err.println("kiban: usage error: " + typo.getMessage());
            UnmatchedArgumentException.printSuggestions(typo, err);
            err.println("and: " + e.getMessage());
        } else {
            err.println("kiban: usage error: " + e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
        }
        err.println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return EXIT_USAGE;
    }
}
