package kiban.policy.run;

import java.util.List;
import kiban.policy.data.InstructionFeatures;

/**
 * What a policy that follows instructions reads them with, and the instructions it was trained on
 * (for a model card; a policy is given any text, and encodes words it never saw too).
 */
public record Instructions(InstructionFeatures features, List<String> trainedOn) {

    public Instructions {
        trainedOn = List.copyOf(trainedOn);
    }
}
