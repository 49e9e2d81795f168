package kiban.data.lerobot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.data.parquet.ParquetTables;
import kiban.data.table.Table;

/**
 * What a dataset holds, however its files are laid out (row groups, which file an episode is in):
 * two recordings with equal contents hold the same frames, episodes, tasks, totals and statistics.
 */
record DatasetContent(String info, String stats, List<String> tasks, Table episodes, Table frames) {

    private static Table withoutLayout(Table episodes) {
        var cols = new java.util.LinkedHashMap<>(episodes.columns());
        cols.keySet().removeIf(c -> c.startsWith("data/") || c.startsWith("videos/"));
        return new Table(cols, episodes.rows());
    }

    static DatasetContent of(Path root) {
        LeRobotDataset ds = LeRobotDataset.open(root);
        try {
            return new DatasetContent(Files.readString(root.resolve("meta/info.json")), Files.readString(root.resolve("meta/stats.json")),
                    ds.tasks(), withoutLayout(ParquetTables.read(root.resolve(MetaFiles.EPISODES_FILE))), ds.readAll(ds.parquetColumns()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
