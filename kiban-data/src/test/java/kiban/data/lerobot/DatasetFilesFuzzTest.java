package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import kiban.core.error.KibanException;
import kiban.data.table.Table;

/**
 * A small v3.0 dataset with its info.json or its episodes file replaced by any bytes: it opens and
 * every episode reads back with the rows its metadata promises, or a {@link KibanException} names the problem;
 * never anything else (no OutOfMemoryError, no runtime exception from deep inside a reader).
 */
class DatasetFilesFuzzTest {

    private static final Path ROOT = scratchDataset();
    private static final String INFO = "meta/info.json";
    private static final String EPISODES = "meta/episodes/chunk-000/file-000.parquet";

    @FuzzTest(maxDuration = "10m")
    void opensAnyInfoJsonOrNamesTheProblem(byte[] content) {
        withFile(INFO, content);
    }

    @FuzzTest(maxDuration = "10m")
    void opensAnyEpisodesFileOrNamesTheProblem(byte[] content) {
        withFile(EPISODES, content);
    }

    /** Puts {@code content} in place of one file, opens and reads the dataset, and puts the original back. */
    private static void withFile(String relative, byte[] content) {
        Path file = ROOT.resolve(relative);
        try {
            byte[] original = Files.readAllBytes(file);
            Files.write(file, content);
            try {
                openAndReadAll();
            } finally {
                Files.write(file, original);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openAndReadAll() {
        LeRobotDataset d;
        try {
            d = LeRobotDataset.open(ROOT);
        } catch (KibanException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        for (EpisodeInfo e : d.episodes()) {
            Table t;
            try {
                t = d.readEpisode(e.index());
            } catch (KibanException refused) {
                assertThat(refused.getMessage()).isNotBlank();
                continue;
            }
            assertThat((long) t.rows()).as("rows of episode %d", e.index()).isEqualTo(e.length());
        }
    }

    /** The seed dataset, written once per JVM into a temporary folder: three episodes, as {@link TestData} makes them. */
    static Path scratchDataset() {
        try {
            Path dir = Files.createTempDirectory("kiban-fuzz-dataset");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            Path root = dir.resolve("d");
            try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(root, TestData.options())) {
                for (int e = 0; e < 3; e++) {
                    TestData.writeEpisode(w, e);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: the OS cleans it up in the end
        }
    }
}
