package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Diffusion Policy's image encoder scaled to a CPU: a 3x3 stem convolution, three residual stages
 * of {@link #WIDTHS} channels (two 3x3 convolutions each, GroupNorm after every convolution, a 1x1
 * projection on the shortcut), then a 1x1 convolution to {@link #KEYPOINTS} maps whose spatial
 * softmax gives each one's expected image position (robomimic's keypoints), then a linear layer.
 * The stem and each stage halve the map while its smaller side is at least {@link #HALVE_FROM}
 * (96x96: 48, 24, 12, 12), so a small camera keeps its resolution. Unlike {@link ImageEncoder}
 * the keypoint maps are not rectified, so the softmax can sharpen on one spot.
 * Input {@code (B, channels, height, width)} in [0, 1]; output {@code (B, features)}.
 */
public final class ResNetEncoder extends KeypointEncoder implements FrameEncoder {

    static final int[] WIDTHS = {16, 32, 64};
    static final int KEYPOINTS = 32;
    static final int HALVE_FROM = 16;
    /** Channels per GroupNorm group; Diffusion Policy's ResNet uses 16, half of it suits 16-channel stages. */
    static final int GROUP_CHANNELS = 8;
    private final Conv stem;
    private final GroupNorm stemNorm;
    private final List<Residual> stages = new ArrayList<>();
    private final Conv keypoints;
    private final Dense out;

    public ResNetEncoder(int channels, int height, int width, int features) {
        super("resnet encoder", 4, channels, height, width, features);
        int side = Math.min(height, width);
        int stride = side >= HALVE_FROM ? 2 : 1;
        side = (side + stride - 1) / stride;
        this.stem = conv("stem", channels, WIDTHS[0], 3, stride);
        this.stemNorm = groupNorm("stem_norm", WIDTHS[0]);
        int in = WIDTHS[0];
        for (int i = 0; i < WIDTHS.length; i++) {
            stride = side >= HALVE_FROM ? 2 : 1;
            side = (side + stride - 1) / stride;
            String n = "stage" + i;
            stages.add(new Residual(conv(n + "_conv1", in, WIDTHS[i], 3, stride), groupNorm(n + "_norm1", WIDTHS[i]),
                    conv(n + "_conv2", WIDTHS[i], WIDTHS[i], 3, 1), groupNorm(n + "_norm2", WIDTHS[i]),
                    conv(n + "_shortcut", in, WIDTHS[i], 1, stride)));
            in = WIDTHS[i];
        }
        this.keypoints = conv("keypoints", in, KEYPOINTS, 1, 1);
        this.out = dense("keypoints_out", 2L * KEYPOINTS, features);
    }

    /** The strides of the stem and the stages for a frame of this size, in order. */
    int[] strides() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(stem), stages.stream().map(Residual::conv1))
                .mapToInt(Conv::stride).toArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = Activation.relu(stemNorm.apply(store, stem.apply(store, inputs.singletonOrThrow(), training), training));
        for (Residual r : stages) {
            NDArray h = Activation.relu(r.norm1.apply(store, r.conv1.apply(store, x, training), training));
            h = r.norm2.apply(store, r.conv2.apply(store, h, training), training);
            x = Activation.relu(h.add(r.shortcut.apply(store, x, training)));
        }
        NDArray maps = keypoints.apply(store, x, training);
        return new NDList(out.apply(store, spatialSoftmax(maps), training));
    }

    private GroupNorm groupNorm(String name, int width) {
        return new GroupNorm(param(name + "_gamma", Parameter.Type.GAMMA, Initializer.ONES, new Shape(width)),
                param(name + "_beta", Parameter.Type.BETA, Initializer.ZEROS, new Shape(width)),
                Math.max(1, width / GROUP_CHANNELS));
    }

    /**
     * GroupNorm (Wu and He, 2018): each sample's channels normalised in {@code groups} groups, then scaled per channel.
     * DJL has no {@code group_norm}; libtorch's fused {@code layer_norm} over each group's values (contiguous in NCHW)
     * does the normalisation in one kernel each way, where composing it from a dozen elementwise operations cost
     * half of the resnet encoder's training step.
     */
    private record GroupNorm(Parameter gamma, Parameter beta, int groups) {
        NDArray apply(ParameterStore store, NDArray x, boolean training) {
            Shape s = x.getShape();
            long b = s.get(0);
            long c = s.get(1);
            long perGroup = s.size() / (b * groups);
            // layer_norm's own scale and shift are per element of a group; the per-channel ones follow it.
            NDManager m = x.getManager();
            Shape group = new Shape(perGroup);
            NDArray normed = x.getNDArrayInternal().layerNorm(x.reshape(b, groups, perGroup), group, m.ones(group), m.zeros(group),
                    1e-5f).singletonOrThrow().reshape(s);
            return normed.mul(value(store, gamma, x, training).reshape(1, c, 1, 1))
                    .add(value(store, beta, x, training).reshape(1, c, 1, 1));
        }
    }

    private record Residual(Conv conv1, GroupNorm norm1, Conv conv2, GroupNorm norm2, Conv shortcut) {}
}
