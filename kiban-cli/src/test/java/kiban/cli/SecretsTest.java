package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    void aFileHoldsOneLineWhoseEndingIsNotPartOfThePassword(@TempDir Path dir) throws Exception {
        assertThat(read(file(dir, "unix", "s3cret pass\n"))).isEqualTo("s3cret pass");
        assertThat(read(file(dir, "dos", "s3cret\r\n"))).isEqualTo("s3cret");
        assertThat(read(file(dir, "bare", " padded "))).isEqualTo(" padded ");
        assertThat(warnings).isEmpty();
        assertThatThrownBy(() -> read(file(dir, "two", "a\nb\n"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--password-file").hasMessageContaining("several lines").hasMessageNotContaining("a\nb");
        assertThatThrownBy(() -> read(file(dir, "empty", "\n"))).hasMessageContaining("an empty file");
        assertThatThrownBy(() -> read(dir.resolve("missing"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> read(dir)).hasMessageContaining("is not a regular file");
        assertThatThrownBy(() -> read(file(dir, "huge", "x".repeat(Secrets.MAX_BYTES + 1))))
                .hasMessageContaining("at most " + Secrets.MAX_BYTES + " bytes");
    }

    @Test
    void aFileOthersCanReadIsUsedWithAWarning(@TempDir Path dir) throws Exception {
        Path open = file(dir, "open", "pw\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(read(open)).isEqualTo("pw");
        assertThat(warnings).singleElement().asString().contains(open.toString()).contains("chmod 600");
    }

    @Test
    void anEnvironmentVariableIsNamedNeverShown() {
        var env = Map.of("PLANT_PW", "from-env", "EMPTY_PW", "");
        assertThat(new String(Secrets.read(new Secrets.Source(null, "--password-file", "PLANT_PW", "--password-env"), env, warnings::add)))
                .isEqualTo("from-env");
        assertThatThrownBy(() -> Secrets.read(new Secrets.Source(null, "--password-file", "NOPE", "--password-env"), env, warnings::add))
                .hasMessageContaining("--password-env").hasMessageContaining("'NOPE', which is not set");
        assertThatThrownBy(() -> Secrets.read(new Secrets.Source(null, "--password-file", "EMPTY_PW", "--password-env"), env, warnings::add))
                .hasMessageContaining("which is empty");
        assertThatThrownBy(() -> Secrets.read(new Secrets.Source(Path.of("f"), "--password-file", "PLANT_PW", "--password-env"), env,
                warnings::add)).hasMessageContaining("one of --password-file and --password-env").hasMessageNotContaining("from-env");
        assertThat(Secrets.read(new Secrets.Source(null, "--password-file", null, "--password-env"), env, warnings::add)).isNull();
    }

    private String read(Path file) {
        return new String(Secrets.read(new Secrets.Source(file, "--password-file", null, "--password-env"), Map.of(), warnings::add));
    }

    private static Path file(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }
}
