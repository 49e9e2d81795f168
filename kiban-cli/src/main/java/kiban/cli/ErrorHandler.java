package kiban.cli;

import java.util.List;
import java.util.Optional;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.error.UnknownNameException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A failure at run time: one line on stderr, the stack trace only with {@code --verbose}; exit 1.
 * A bad value the user typed, found only once the command ran, is a usage error instead: exit 2.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        if (typedByTheUser(e, innermost(parsed))) {
            cli.getErr().println("kiban: usage error: " + e.getMessage());
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

    /**
     * Whether {@code e} is about a value given on the command line: an input error whose source is
     * an option, an unknown name typed as an option's or a parameter's value (an env, an embodiment),
     * or an input error whose field is an option given with the value it complains of
     * ({@code data head --episode 99}).
     */
    static boolean typedByTheUser(Exception e, ParseResult parsed) {
        if (e instanceof InvalidInputException bad) {
            if (bad.source().startsWith("--")) {
                return true;
            }
            String field = bad.field() == null ? "" : bad.field();
            Optional<OptionSpec> option = field.matches("[a-z][a-z0-9_-]*")
                    ? Optional.ofNullable(parsed.matchedOption("--" + field.replace('_', '-'))) : Optional.empty();
            return option.isPresent() && bad.actual() != null && typed(option.get(), unquoted(bad.actual()));
        }
        if (e instanceof UnknownNameException unknown) {
            return parsed.matchedArgs().stream().anyMatch(a -> typed(a, unknown.name()));
        }
        return false;
    }

    private static boolean typed(ArgSpec arg, String value) {
        List<String> values = arg.originalStringValues();
        return values.contains(value);
    }

    private static String unquoted(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    private static ParseResult innermost(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    static String message(Throwable e) {
        if (e instanceof KibanException) {
            return e.getMessage();
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
