package kiban.cli;

import kiban.core.policy.PolicyObservation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code --instruction} a command gives a policy: a sentence, checked as the server checks openpi's prompt. */
final class InstructionOption {

    private InstructionOption() {}

    /** Refuses a blank or overlong {@code --instruction} (null: not given) as a usage error. */
    static void check(CommandSpec spec, String instruction) {
        if (instruction != null && (instruction.isBlank() || instruction.length() > PolicyObservation.MAX_INSTRUCTION_CHARS)) {
            throw new ParameterException(spec.commandLine(), "--instruction must be a sentence of 1-"
                    + PolicyObservation.MAX_INSTRUCTION_CHARS + " characters, got " + instruction.length() + " characters"
                    + (instruction.isBlank() ? " of blanks" : ""));
        }
    }
}
