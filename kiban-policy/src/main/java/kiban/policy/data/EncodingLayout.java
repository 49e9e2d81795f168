package kiban.policy.data;

/**
 * {@link FeatureCodec}'s encoding as index and affine tables, so another runtime (an exported
 * TorchScript module) can encode and decode exactly as Kiban does. For one observation vector
 * {@code x} of {@code observationDim} elements, the encoded vector is
 * {@code candidates[select]} where {@code candidates} concatenates {@code (x - offset) * scale},
 * {@code sin(x)}, {@code cos(x)} and the relative features: for each {@code r}, with
 * {@code a = x[relAngle[r]]}, {@code d = x[relOther[r] .. +1] - x[relPosition[r] .. +1]}, the
 * pair {@code (cos a dx + sin a dy, -sin a dx + cos a dy) / relScale[r]}. A normalised action
 * element {@code y} is {@code y * actionScale + actionOffset} in physical units (scale 0 for an
 * element the demonstrations never varied: it is that constant).
 */
public record EncodingLayout(
        int observationDim,
        double[] offset,
        double[] scale,
        int[] select,
        int[] relPosition,
        int[] relAngle,
        int[] relOther,
        double[] relScale,
        double[] actionScale,
        double[] actionOffset) {}
