package kiban.data.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.KibanException;
import kiban.data.table.Column;
import kiban.data.table.Table;

/**
 * Any bytes as a Parquet file (the seeds are a Kiban data file, its episodes file and a tasks file
 * written as pandas writes it): a table whose every column holds the rows the table says, or a
 * {@link KibanException} naming the file; never anything else, and never an allocation the file's
 * size cannot back.
 */
class ParquetTablesFuzzTest {

    private static final Path FILE = scratchFile();

    @FuzzTest(maxDuration = "10m")
    void readsAnyFileOrNamesTheProblem(byte[] content) throws IOException {
        Files.write(FILE, content);
        Table t;
        try {
            t = ParquetTables.read(FILE);
        } catch (KibanException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        for (var e : t.columns().entrySet()) {
            Column c = e.getValue();
            assertThat(c.rows()).as("rows of column %s", e.getKey()).isEqualTo(t.rows());
            if (c.rows() > 0 && c.width() > 0) {
                c.getDouble(c.rows() - 1, c.width() - 1); // the storage holds every row it claims
            }
        }
    }

    private static Path scratchFile() {
        try {
            Path f = Files.createTempFile("kiban-fuzz", ".parquet");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
