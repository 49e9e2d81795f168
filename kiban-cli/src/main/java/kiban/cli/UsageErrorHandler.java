package kiban.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** A usage error: the message and a pointer to {@code --help}; exit 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {

    static final int EXIT_USAGE = 2;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("kiban: usage error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr());
        cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        cli.getErr().flush();
        return EXIT_USAGE;
    }
}
