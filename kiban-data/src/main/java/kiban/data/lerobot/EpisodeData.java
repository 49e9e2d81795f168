package kiban.data.lerobot;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiban.core.io.AtomicFiles;
import kiban.data.parquet.ParquetTables;
import kiban.data.table.LongColumn;
import kiban.data.table.Table;

/**
 * The data-file side of {@link LeRobotDatasetWriter}: an episode's rows are appended to the
 * current data file (its row groups copied, the episode one more) while it stays under the cap and
 * holds the writer's schema, else they start the next file, and the full file is re-encoded as one
 * row group. All through {@link FileChanges}, so a failed save can be undone; the position moves
 * only when the save commits. See the writer's class comment.
 */
final class EpisodeData {

    /** Where an episode's rows went, and whether they were appended to a file that had rows already. */
    record Placement(int chunk, int file, boolean appended) {
    }

    private final Path root;
    private final Path staging;
    private final DatasetFiles files;
    private final DatasetInfo info;
    private final long capBytes;
    private int chunk;
    private int file = -1;
    /** Whether this writer appended to the current file (then it has row groups to merge). */
    private boolean appendedToCurrent;

    EpisodeData(Path root, Path staging, DatasetFiles files, DatasetInfo info, long capBytes, EpisodeInfo last) {
        this.root = root;
        this.staging = staging;
        this.files = files;
        this.info = info;
        this.capBytes = capBytes;
        if (last != null) {
            chunk = last.dataChunk();
            file = last.dataFile();
        }
    }

    /** Writes the episode's rows through {@code changes}; the position stays until {@link #committed}. */
    Placement append(FileChanges changes, Table t) {
        Path episodeFile = AtomicFiles.tempFile(staging, "episode.parquet");
        try {
            files.write(episodeFile, tmp -> ParquetTables.write(tmp, t, HfFeatures.metadata(info)));
            Path current = file < 0 ? null : path(chunk, file);
            // A file of another schema (one pyarrow wrote) is left as it is.
            boolean ours = current != null && ParquetTables.schema(current).equals(ParquetTables.schema(episodeFile));
            if (ours && LeRobotDatasetWriter.sizeOf(current) + LeRobotDatasetWriter.sizeOf(episodeFile) <= capBytes) {
                changes.replace(current, tmp -> ParquetTables.concatFiles(tmp, List.of(current, episodeFile), HfFeatures.metadata(info)));
                return new Placement(chunk, file, true);
            }
            if (ours && appendedToCurrent) {
                compact(changes, current);
            }
            int c = chunk;
            int f = file;
            if (f < 0) {
                c = 0;
                f = 0;
            } else if (++f >= info.chunksSize()) {
                f = 0;
                c++;
            }
            changes.install(episodeFile, path(c, f));
            return new Placement(c, f, false);
        } finally {
            FileChanges.deleteQuietly(episodeFile);
        }
    }

    /** The save that wrote {@code p} committed: the next episode goes after it. */
    void committed(Placement p) {
        chunk = p.chunk();
        file = p.file();
        appendedToCurrent = p.appended();
    }

    /** Re-encodes the current file as one row group if this writer appended to it (on close). */
    void compactCurrent(FileChanges changes) {
        if (appendedToCurrent && file >= 0) {
            compact(changes, path(chunk, file));
        }
    }

    /**
     * Re-encodes a finished data file as one row group (appending left one per episode), which
     * reads about a third faster; the rows are unchanged and the replacement is atomic.
     */
    private void compact(FileChanges changes, Path dataFile) {
        Table t = ParquetTables.read(dataFile);
        changes.replace(dataFile, tmp -> ParquetTables.write(tmp, t, HfFeatures.metadata(info)));
    }

    /** Drops the rows and files of an uncommitted episode a kill left after {@code last}, the last committed one. */
    void truncate(FileChanges changes, LeRobotDataset ds, EpisodeInfo last) {
        if (last == null) {
            for (Path p : MetaFiles.listParquet(root.resolve("data"))) {
                files.delete(p);
            }
            return;
        }
        Path lastFile = path(chunk, file);
        long committedRows = ds.episodes().stream().filter(e -> e.dataChunk() == chunk && e.dataFile() == file)
                .mapToLong(EpisodeInfo::length).sum();
        if (ParquetTables.rowCount(lastFile) > committedRows) {
            Table t = ParquetTables.read(lastFile);
            LongColumn idx = t.longs("index");
            int keep = 0;
            while (keep < t.rows() && idx.get(keep) < last.to()) {
                keep++;
            }
            Table kept = t.slice(0, keep);
            changes.replace(lastFile, tmp -> ParquetTables.write(tmp, kept, HfFeatures.metadata(info)));
        }
        // Files after the last committed one can only be an uncommitted episode's new file.
        for (Path p : MetaFiles.listParquet(root.resolve("data"))) {
            if (p.compareTo(lastFile) > 0) {
                files.delete(p);
            }
        }
    }

    private Path path(int c, int f) {
        return root.resolve(DatasetInfo.format(DatasetInfo.V3_DATA_PATH, Map.of("chunk_index", c, "file_index", f)));
    }
}
