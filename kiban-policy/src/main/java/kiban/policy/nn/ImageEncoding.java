package kiban.policy.nn;

/**
 * How a policy encodes its cameras: which {@link ImageEncoders encoder} ({@code image_encoder}) and
 * whether all cameras share one ({@code shared_image_encoder}) or each has its own.
 */
public record ImageEncoding(String encoder, boolean shared) {

    /** The first image encoder, one per camera: what runs that name none were trained with. */
    public static final ImageEncoding DEFAULT = new ImageEncoding(ImageEncoders.CNN, false);

    public ImageEncoding {
        if (!ImageEncoders.NAMES.contains(encoder)) {
            throw new IllegalArgumentException("unknown image encoder \"" + encoder + "\"; one of " + ImageEncoders.NAMES);
        }
    }
}
