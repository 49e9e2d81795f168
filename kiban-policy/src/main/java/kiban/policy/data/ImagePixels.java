package kiban.policy.data;

import kiban.core.error.KibanException;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyObservation;

/**
 * Camera frames as networks read them: recorded HWC RGB bytes become CHW floats in [0, 1]
 * (Diffusion Policy's image convention, without ImageNet normalisation).
 */
public final class ImagePixels {

    private ImagePixels() {}

    /**
     * The frame of {@code spec} in {@code o}, checked against its size: a missing or misshapen frame
     * is the caller's input (a client's, an env's), so it fails as a KibanException naming the feature.
     */
    public static byte[] frame(PolicyObservation o, ImageSpec spec) {
        try {
            return o.image(spec);
        } catch (IllegalArgumentException e) {
            throw new KibanException(e.getMessage(), e);
        }
    }

    /** Writes {@code hwc} (laid out as {@code spec}) into {@code out} at {@code offset} as CHW values in [0, 1]. */
    public static void toChw(byte[] hwc, ImageSpec spec, float[] out, int offset) {
        int c = spec.channels();
        int plane = spec.height() * spec.width();
        if (hwc.length != plane * c) {
            throw new IllegalArgumentException("image " + spec.name() + " needs " + plane * c + " bytes, got " + hwc.length);
        }
        for (int p = 0; p < plane; p++) {
            for (int k = 0; k < c; k++) {
                out[offset + k * plane + p] = (hwc[p * c + k] & 0xff) / 255f;
            }
        }
    }
}
