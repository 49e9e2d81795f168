package kiban.cli;

import picocli.CommandLine.Command;

/** {@code kiban health watch}: placeholder until the watch lands. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Watch a machine's health online.")
final class HealthWatchCommand implements Runnable {
    @Override
    public void run() {}
}
