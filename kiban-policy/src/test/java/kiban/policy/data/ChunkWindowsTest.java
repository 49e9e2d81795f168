package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.normalize.FeatureStats;
import kiban.core.normalize.NormalizationMode;
import kiban.core.normalize.Normalizer;
import org.junit.jupiter.api.Test;

class ChunkWindowsTest {

    private static final FeatureSpec POS = new FeatureSpec("pos", "m", List.of(1), List.of(), List.of(-10.0), List.of(10.0),
            List.of());

    @Test
    void rowsEndWithTheInstructionOfTheirNewestFrame() {
        Map<String, FeatureStats> stats = new java.util.LinkedHashMap<>();
        stats.put("observation.pos", FeatureStats.fit(new double[][] {{-10}, {10}}));
        stats.put("action.pos", FeatureStats.fit(new double[][] {{-10}, {10}}));
        FeatureCodec codec = new FeatureCodec(List.of(POS), List.of(POS), Normalizer.of(NormalizationMode.MIN_MAX, stats));
        double[][] x = {{0}, {1}, {2}};
        // The task changes within the episode (LeRobot allows a task per frame).
        Episode e = new Episode(x, x, List.of(), new String[] {"go left", "go left", "go right"});
        InstructionFeatures features = new InstructionFeatures(4);
        try (ChunkWindows plain = new ChunkWindows(List.of(e), codec, 2, 1, 0);
                ChunkWindows instructed = new ChunkWindows(List.of(e), codec, List.of(), Optional.of(features), 2, 1, 0)) {
            assertThat(instructed.observationInputs()).isEqualTo(plain.observationInputs() + 4);
            float[] without = plain.all(3).getFirst().observations();
            float[] with = instructed.all(3).getFirst().observations();
            for (int w = 0; w < 3; w++) {
                // The states are as before; the instruction follows them.
                assertThat(Arrays.copyOfRange(with, w * 6, w * 6 + 2)).isEqualTo(Arrays.copyOfRange(without, w * 2, w * 2 + 2));
                assertThat(Arrays.copyOfRange(with, w * 6 + 2, w * 6 + 6))
                        .isEqualTo(features.encode(w == 2 ? "go right" : "go left"));
            }
        }
    }

    private static final kiban.core.policy.ImageSpec CAMERA = new kiban.core.policy.ImageSpec("observation.images.top", 12, 10, 3);

    private static FeatureCodec codec() {
        Map<String, FeatureStats> stats = new java.util.LinkedHashMap<>();
        stats.put("observation.pos", FeatureStats.fit(new double[][] {{-10}, {10}}));
        stats.put("action.pos", FeatureStats.fit(new double[][] {{-10}, {10}}));
        return new FeatureCodec(List.of(POS), List.of(POS), Normalizer.of(NormalizationMode.MIN_MAX, stats));
    }

    /** Episodes of random frames (seeded), so that any two crops of a frame differ. */
    private static List<Episode> cameraEpisodes() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        List<Episode> out = new java.util.ArrayList<>();
        for (int e = 0; e < 3; e++) {
            int len = 5 + e;
            double[][] x = new double[len][1];
            byte[][] frames = new byte[len][CAMERA.bytes()];
            for (int k = 0; k < len; k++) {
                x[k][0] = k - e;
                for (int i = 0; i < frames[k].length; i++) {
                    frames[k][i] = (byte) r.nextInt(256);
                }
            }
            out.add(new Episode(x, x, List.<byte[][]>of(frames)));
        }
        return out;
    }

    private static ChunkWindows windows(ImageAugmentation a, long seed) {
        return new ChunkWindows(cameraEpisodes(), codec(), List.of(CAMERA), Optional.empty(), a, 2, 3, seed);
    }

    private static final ImageAugmentation AUGMENT = new ImageAugmentation(8, 6, 0.2);

    @Test
    void augmentationWithTheSameSeedGivesTheSameBatchesAndAnotherSeedOthers() {
        int[] some = {0, 4, 9, 13, 16};
        try (ChunkWindows a = windows(AUGMENT, 3); ChunkWindows b = windows(AUGMENT, 3); ChunkWindows c = windows(AUGMENT, 4)) {
            // Rows hold 2 encoded states, then 2 frames of 8 x 6 x 3.
            assertThat(a.observationInputs()).isEqualTo(2 + 2 * 8 * 6 * 3);
            for (long position : new long[] {0, 5, 1000}) {
                Batch x = a.assemble(position, some);
                assertThat(b.assemble(position, some)).usingRecursiveComparison().isEqualTo(x);
                assertThat(c.assemble(position, some).observations()).isNotEqualTo(x.observations());
                // The actions and mask are not augmented.
                assertThat(c.assemble(position, some).actions()).isEqualTo(x.actions());
            }
            // Another place in the order draws other crops and colours for the same windows.
            assertThat(a.assemble(1, some).observations()).isNotEqualTo(a.assemble(0, some).observations());
        }
    }

    @Test
    void prefetchedBatchesAreTheSyncronouslyAssembledOnes() {
        int size = 4;
        try (ChunkWindows prefetched = windows(AUGMENT, 11); ChunkWindows sync = windows(AUGMENT, 11)) {
            kiban.data.sample.ShuffledOrder order = new kiban.data.sample.ShuffledOrder(sync.windows(), 11);
            for (int i = 0; i < 12; i++) {
                long position = order.position();
                Batch expected = sync.assemble(position, order.next(size));
                assertThat(prefetched.next(size)).as("batch %d", i).usingRecursiveComparison().isEqualTo(expected);
            }
        }
    }

    @Test
    void validationReadsTheCentreCropWithoutColourChanges() {
        try (ChunkWindows w = windows(AUGMENT, 0)) {
            Batch first = w.all(1).getFirst();
            // Window 0 is the first frame of episode 0, its history padded with itself.
            byte[] frame = cameraEpisodes().getFirst().images().getFirst().frame(0);
            float[] obs = first.observations();
            int top = (12 - 8) / 2;
            int left = (10 - 6) / 2;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 6; x++) {
                    for (int k = 0; k < 3; k++) {
                        float expected = (frame[((top + y) * 10 + left + x) * 3 + k] & 0xff) / 255f;
                        assertThat(obs[2 + k * 48 + y * 6 + x]).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void withoutAugmentationFramesAreAsRecorded() {
        try (ChunkWindows w = windows(ImageAugmentation.NONE, 5)) {
            byte[] frame = cameraEpisodes().getFirst().images().getFirst().frame(0);
            float[] expected = new float[CAMERA.bytes()];
            ImagePixels.toChw(frame, CAMERA, expected, 0);
            float[] obs = w.assemble(0, new int[] {0}).observations();
            assertThat(Arrays.copyOfRange(obs, 2, 2 + CAMERA.bytes())).isEqualTo(expected);
        }
    }
}
