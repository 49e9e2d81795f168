package kiban.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban health}: machine-health models and their use on the factory floor; it only groups the subcommands. */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Machine health: failure classifiers on UCI's Robot Execution Failures data (train, eval), "
                + "maintenance policies for the factory cell (maintenance) and the online health watch (watch).",
        subcommands = {HealthTrainCommand.class, HealthEvalCommand.class, HealthMaintenanceCommand.class, HealthWatchCommand.class},
        commandListHeading = "%nCommands:%n")
final class HealthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing a command");
    }
}
