package kiban.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban health}: machine-health models; it only groups the subcommands. */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Machine health: failure classifiers on UCI's Robot Execution Failures data (train, eval).",
        subcommands = {HealthTrainCommand.class, HealthEvalCommand.class},
        commandListHeading = "%nCommands:%n")
final class HealthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing a command");
    }
}
