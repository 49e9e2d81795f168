package kiban.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code kiban} command; it only groups the subcommands. */
@Command(
        name = "kiban",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Kiban: a Java-native platform for physical AI (data, simulation, policies, deployment).",
        subcommands = {QuickstartCommand.class, EmbodimentCommand.class, DataCommand.class, SimCommand.class, TrainCommand.class, FinetuneCommand.class, DaggerCommand.class, EvalCommand.class, ExportCommand.class, ServeCommand.class, RunCommand.class, HealthCommand.class, RulCommand.class, BenchCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'kiban COMMAND --help' for a command's options. Exit codes: 0 ok, 1 failure, 2 usage error."})
public final class KibanCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing a command");
    }
}
