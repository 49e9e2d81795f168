package kiban.data.sample;

/** Anything that yields numbered samples: one dataset's windows, or a mixture. */
public interface SampleSource {

    /** Samples per epoch. */
    int size();

    /** Sample {@code i} in [0, size()); the same {@code i} always gives the same sample. */
    Sample get(int i);
}
