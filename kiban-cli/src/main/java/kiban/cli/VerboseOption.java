package kiban.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code --verbose}, shared by every command: show stack traces with errors. */
final class VerboseOption {

    static volatile boolean verbose;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    void setVerbose(boolean value) {
        verbose = value;
    }
}
