package kiban.data.sample;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.data.lerobot.EpisodeInfo;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.table.Column;
import kiban.data.table.FloatColumn;
import kiban.data.table.Table;

/**
 * Windows over one dataset's frames: sample {@code i} is the {@code i}-th frame of the chosen
 * episodes, with each feature read at that frame plus its offsets. Offsets beyond an episode's
 * first or last frame repeat that edge frame and set the pad mask, as LeRobot's
 * {@code _get_query_indices} does. The features' columns are loaded into memory once (as float32).
 */
public final class WindowedSampler implements SampleSource {

    private final DeltaTimestamps deltas;
    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, Integer> widths = new LinkedHashMap<>();
    private final FrameIndex index;
    private final int[] episodeNumbers;
    private final long[] episodeFrom;
    private final int rows;

    /** Windows over every episode. */
    public WindowedSampler(LeRobotDataset ds, DeltaTimestamps deltas) {
        this(ds, deltas, ds.episodes().stream().map(EpisodeInfo::index).toList());
    }

    /** Windows over the given episodes only (e.g. one side of an {@link EpisodeSplit}). */
    public WindowedSampler(LeRobotDataset ds, DeltaTimestamps deltas, Collection<Integer> episodes) {
        this.deltas = deltas;
        Set<String> cols = new LinkedHashSet<>();
        for (String f : deltas.frameOffsets().keySet()) {
            Feature feat = ds.info().features().get(f);
            if (feat == null || !feat.numeric()) {
                throw new InvalidInputException("delta_timestamps", f, "a numeric feature of " + ds.root(),
                        feat == null ? "no such feature" : feat.dtype());
            }
            cols.add(f);
        }
        List<Table> parts = new ArrayList<>();
        List<EpisodeInfo> eps = new ArrayList<>();
        for (int e : episodes) {
            eps.add(ds.episode(e));
            parts.add(ds.readEpisode(e, cols));
        }
        Table all = Table.concat(parts);
        rows = all.rows();
        for (String c : cols) {
            Column col = all.column(c);
            widths.put(c, col.width());
            if (col instanceof FloatColumn f) {
                data.put(c, f.values());
            } else {
                float[] v = new float[col.rows() * col.width()];
                for (int i = 0; i < col.rows(); i++) {
                    for (int j = 0; j < col.width(); j++) {
                        v[i * col.width() + j] = (float) col.getDouble(i, j);
                    }
                }
                data.put(c, v);
            }
        }
        index = new FrameIndex(eps.stream().mapToInt(e -> (int) e.length()).toArray());
        episodeNumbers = eps.stream().mapToInt(EpisodeInfo::index).toArray();
        episodeFrom = eps.stream().mapToLong(EpisodeInfo::from).toArray();
    }

    @Override
    public int size() {
        return rows;
    }

    /** Elements per frame of a feature. */
    public int width(String feature) {
        return widths.get(feature);
    }

    @Override
    public Sample get(int i) {
        if (i < 0 || i >= rows) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + rows);
        }
        int ep = index.episode(i);
        int frame = index.frame(i);
        int length = index.length(ep);
        int start = index.episodeStart(i);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, boolean[]> pads = new LinkedHashMap<>();
        for (var e : deltas.frameOffsets().entrySet()) {
            int[] off = e.getValue();
            int w = widths.get(e.getKey());
            float[] src = data.get(e.getKey());
            float[] out = new float[off.length * w];
            boolean[] pad = new boolean[off.length];
            for (int t = 0; t < off.length; t++) {
                int r = start + FrameIndex.clamp(frame, off[t], length);
                pad[t] = FrameIndex.padded(frame, off[t], length);
                System.arraycopy(src, r * w, out, t * w, w);
            }
            values.put(e.getKey(), out);
            pads.put(e.getKey(), pad);
        }
        return new Sample(episodeFrom[ep] + frame, episodeNumbers[ep], values, pads);
    }
}
