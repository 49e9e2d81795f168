package kiban.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiban health}: machine health models and their use on the factory floor. */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Machine health: maintenance policies for the factory cell and the online health watch.",
        subcommands = {HealthMaintenanceCommand.class, HealthWatchCommand.class})
final class HealthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
