package kiban.data.sample;

import java.util.List;

/** A batch of samples, in the order the loader's (seeded) permutation gave them. */
public record Batch(int epoch, int number, List<Sample> samples) {

    public int size() {
        return samples.size();
    }
}
